"""The two safety banners of the layout (``templates/base.html``):

- ``{% person_alert_banner %}``: the active risk and safety alerts of the person
  a page is about (its ``person``), on every page about them, in one query.
  The summary written for the person replaces the block that holds it.
- ``{% overdue_check_ins_banner %}``: for supervisors only, the check-ins of
  their teams more than 30 minutes overdue, with each worker's phone, in one
  query (none for anyone else). The result is kept on the request, so the
  dashboard's section (``{% overdue_check_ins_section %}``) costs nothing more.

And ``{% alert_marker person %}``: the marker beside a person's name in a list
(a board card, "my week"), from the ``active_alerts`` the list's query annotated
(``safety.selectors.with_alert_flags``); nothing at all for most people, without
the cost of including a template for each.
"""

from django import template
from django.template.loader import render_to_string
from django.utils import timezone

from caseload.models import ServiceUser

from .. import selectors

register = template.Library()


@register.simple_tag
def alert_marker(person):
    if not getattr(person, "active_alerts", 0):
        return ""
    return render_to_string("safety/_alert_marker.html", {"person": person})


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None), request


@register.inclusion_tag("safety/_alert_banner.html", takes_context=True)
def person_alert_banner(context):
    person = context.get("person")
    user, _request = _user(context)
    if not isinstance(person, ServiceUser) or person.pk is None or user is None:
        return {"alerts": []}
    if not user.is_authenticated:
        return {"alerts": []}
    return {
        "alerts": selectors.active_alerts_for_banner(user, person),
        "person": person,
        "today": timezone.localdate(),
    }


def overdue_for_request(context):
    user, request = _user(context)
    if user is None or not user.is_authenticated or not user.supervised_team_ids:
        return []
    cached = getattr(request, "_overdue_check_ins", None)
    if cached is None:
        cached = selectors.overdue_for_supervisor(user)
        request._overdue_check_ins = cached
    return cached


@register.inclusion_tag("safety/_overdue_banner.html", takes_context=True)
def overdue_check_ins_banner(context):
    return {"overdue": overdue_for_request(context), "now": timezone.now()}


@register.inclusion_tag("safety/_overdue_section.html", takes_context=True)
def overdue_check_ins_section(context):
    return {"overdue": overdue_for_request(context), "now": timezone.now()}
