"""Refused access is recorded: every 404 or 403 on a person's pages and every
403 elsewhere writes one event (who, path, method, time, address; no content)."""

import logging

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AccessDeniedEvent


def test_outsider_on_a_person_page_is_recorded_with_who_what_and_where(
    client_for, colleague, person, caplog
):
    url = reverse("caseload:person", args=[person.public_id])
    with caplog.at_level(logging.WARNING, logger="connecting_people.access_denied"):
        response = client_for(colleague).get(url + "?q=secret+words")
    assert response.status_code == 404
    event = AccessDeniedEvent.objects.get()
    assert (event.user, event.path, event.method, event.status) == (colleague, url, "GET", 404)
    assert event.address == "127.0.0.1"
    assert event.at is not None
    assert "secret" not in event.path  # no query string, no content
    assert any(url in r.getMessage() and r.levelno == logging.WARNING for r in caplog.records)


def test_refused_post_to_a_person_is_recorded(client_for, other_worker, person):
    url = reverse("caseload:person_edit", args=[person.public_id])
    client_for(other_worker).post(url, {"preferred_name": "Changed"})
    event = AccessDeniedEvent.objects.get()
    assert (event.method, event.status, event.user) == ("POST", 404, other_worker)


def test_unknown_person_id_is_recorded_too(client_for, owner, db):
    client_for(owner).get("/people/00000000-0000-0000-0000-000000000000/")
    assert AccessDeniedEvent.objects.get().status == 404


def test_a_403_anywhere_is_recorded(client_for, owner):
    response = client_for(owner).get(reverse("toolkit:curation"))
    assert response.status_code == 403
    event = AccessDeniedEvent.objects.get()
    assert (event.path, event.status, event.user) == (reverse("toolkit:curation"), 403, owner)


def test_a_plain_404_elsewhere_is_not_recorded(client_for, owner):
    assert client_for(owner).get("/there-is-nothing-here/").status_code == 404
    assert not AccessDeniedEvent.objects.exists()


def test_the_owner_viewing_their_person_records_nothing(client_for, owner, person):
    client_for(owner).get(reverse("caseload:person", args=[person.public_id]))
    assert not AccessDeniedEvent.objects.exists()


def test_each_refusal_is_one_insert(client_for, colleague, person):
    client = client_for(colleague)
    url = reverse("caseload:person", args=[person.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    inserts = [q for q in queries if "accessdeniedevent" in q["sql"].lower()]
    assert len(inserts) == 1
    assert inserts[0]["sql"].lstrip().upper().startswith("INSERT")


def test_admin_lists_filters_and_groups_refusals_by_user(
    client_for, admin_user, colleague, other_worker, person
):
    url = reverse("caseload:person", args=[person.public_id])
    for _ in range(3):
        client_for(colleague).get(url)
    client_for(other_worker).get(url)
    admin = client_for(admin_user)
    changelist = reverse("admin:accounts_accessdeniedevent_changelist")
    html = admin.get(changelist).content.decode()
    assert "Refused most often" in html
    assert "<td>colleague</td><td>127.0.0.1</td><td>3</td>" in html
    assert "<td>other</td><td>127.0.0.1</td><td>1</td>" in html
    filtered = admin.get(changelist, {"user__id__exact": other_worker.pk}).content.decode()
    assert "<td>other</td><td>127.0.0.1</td><td>1</td>" in filtered
    assert "<td>colleague</td>" not in filtered


def test_refusal_records_cannot_be_edited_or_deleted_in_the_admin(
    client_for, admin_user, colleague, person
):
    client_for(colleague).get(reverse("caseload:person", args=[person.public_id]))
    event = AccessDeniedEvent.objects.get()
    admin = client_for(admin_user)
    change = admin.get(reverse("admin:accounts_accessdeniedevent_change", args=[event.pk]))
    assert 'name="_save"' not in change.content.decode()
    delete = admin.post(reverse("admin:accounts_accessdeniedevent_delete", args=[event.pk]))
    assert delete.status_code == 403
    assert AccessDeniedEvent.objects.filter(pk=event.pk).exists()
