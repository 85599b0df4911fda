import factory

from toolkit.models import (
    Location,
    Organization,
    PracticeArea,
    Resource,
    ResourceStage,
    Schedule,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Resource {n}")
    summary = "A short summary."
    body = "Some **useful** words."
    status = Resource.Status.PUBLISHED

    @factory.post_generation
    def stages(obj, create, extracted, **kwargs):
        if create and extracted:
            for code in extracted:
                ResourceStage.objects.create(resource=obj, stage=code)

    @factory.post_generation
    def areas(obj, create, extracted, **kwargs):
        """``areas=[1, 2]``: the practice areas numbered 1 and 2 (by number, not by
        primary key, which differs once a test that empties the database has run
        and the areas were seeded again), or PracticeArea objects."""
        if create and extracted:
            numbers = [area for area in extracted if isinstance(area, int)]
            found = list(PracticeArea.objects.filter(number__in=numbers))
            assert len(found) == len(set(numbers)), f"no practice area numbered {numbers}"
            obj.practice_areas.set(found + [a for a in extracted if not isinstance(a, int)])


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organisation {n}")


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Taxonomy

    name = "Activities"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaxonomyTerm

    name = factory.Sequence(lambda n: f"Category {n}")
    taxonomy = factory.SubFactory(TaxonomyFactory)


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location

    name = factory.Sequence(lambda n: f"Hall {n}")
    address_1 = "1 High Street"
    city = "Northfield"
    postal_code = "NF1 1AA"


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Service
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Group {n}")
    organization = factory.SubFactory(OrganizationFactory)
    description = "A friendly weekly group."

    @factory.post_generation
    def related(obj, create, extracted, **kwargs):
        """Give the service a schedule, a place and a category (pass related=False to skip)."""
        if not create or extracted is False:
            return
        Schedule.objects.create(service=obj, byday=kwargs.get("days", "MO"), freq="WEEKLY")
        ServiceAtLocation.objects.create(service=obj, location=LocationFactory())
        obj.categories.add(kwargs.get("term") or TermFactory())
        from toolkit.services import service_refresh_search_text

        service_refresh_search_text(obj)
