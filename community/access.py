"""Who may read and change a team's community register. The one place these rules live.

| who                                        | reads the register | changes it |
|--------------------------------------------|--------------------|------------|
| worker or supervisor of the team           | yes                | yes        |
| worker or supervisor of another team in    | yes                | no (403)   |
| the same agency                            |                    |            |
| anyone else (other agencies, curators and  | 404                | 404        |
| administrators without a team, anonymous)  |                    |            |

The register holds no person data, so no audit events are written; outsiders
still get a 404 so that another agency's teams and links are not revealed.
Administrators manage agencies and teams in the Django admin.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from accounts.models import Agency, Team

from .models import CommunityLink


def _active(user):
    return user is not None and user.is_authenticated and user.is_active


def readable_teams(user):
    """Teams whose register ``user`` may read: every team of the agencies they work in."""
    if not _active(user) or not user.agency_ids:
        return Team.objects.none()
    return Team.objects.filter(agency_id__in=user.agency_ids)


def readable_agencies(user):
    if not _active(user) or not user.agency_ids:
        return Agency.objects.none()
    return Agency.objects.filter(pk__in=user.agency_ids)


def can_edit_register(user, team):
    """Workers and supervisors of the team itself."""
    return _active(user) and team.pk in user.member_team_ids


def get_team_for(user, public_id, *, write=False):
    """The team with ``public_id`` if ``user`` may read its register, else 404; with
    ``write``, a reader who may not change it gets 403 (they know the team exists)."""
    try:
        team = readable_teams(user).select_related("agency").get(public_id=public_id)
    except (Team.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such team") from exc
    if write and not can_edit_register(user, team):
        raise PermissionDenied("Only the team's own workers and supervisors change its register.")
    return team


def get_agency_for(user, public_id):
    try:
        return readable_agencies(user).get(public_id=public_id)
    except (Agency.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such agency") from exc


def get_link_for(team, public_id):
    """A link of a team the user may already read, or 404 (never another team's)."""
    try:
        return CommunityLink.objects.select_related(
            "organisation", "service", "updated_by", "team"
        ).get(team=team, public_id=public_id)
    except (CommunityLink.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404("No such link") from exc
