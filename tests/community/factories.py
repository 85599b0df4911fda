import factory

from community.models import CommunityLink, LinkKind
from tests.accounts.factories import TeamFactory


class CommunityLinkFactory(factory.django.DjangoModelFactory):
    """A link typed in by name; pass ``organisation=`` for one from the directory
    (then the name and the ORUK id are copied, as the service does)."""

    class Meta:
        model = CommunityLink

    team = factory.SubFactory(TeamFactory)
    name = factory.LazyAttributeSequence(
        lambda o, n: o.organisation.name if getattr(o, "organisation", None) else f"Local group {n}"
    )
    kind = LinkKind.INFORMAL

    @factory.lazy_attribute
    def organisation_ref(self):
        organisation = getattr(self, "organisation", None)
        return organisation.public_id if organisation else None
