from django.shortcuts import render

from .access import get_service_user_for
from .audit import audit_view


def person_detail(request, public_id):
    service_user = get_service_user_for(request.user, public_id)
    audit_view(request, service_user)
    return render(request, "caseload/person_detail.html", {"person": service_user})
