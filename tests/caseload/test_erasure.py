"""Erasure: requested, approved by a second person, confirmed, carried out."""

import re

import pytest
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from caseload import erasure as erasure_services
from caseload import persondata, subject_access
from caseload.audit import Action
from caseload.models import AuditEvent, ErasureRequest, LegalHoldChange, ServiceUser
from networks.models import NetworkMember, SnapshotImmutable, snapshot_rows_for_data_protection
from tests.accounts.factories import make_supervisor
from tests.caseload.conftest import person_url
from tests.caseload.rights_world import rich_person

pytestmark = pytest.mark.django_db

Status = ErasureRequest.Status


@pytest.fixture
def second_supervisor(team_a):
    return make_supervisor(team_a, username="second", first_name="Sasha")


def erasure_url(name, erasure):
    return reverse(
        f"caseload:{name}",
        kwargs={"public_id": erasure.service_user.public_id, "erasure_id": erasure.public_id},
    )


def requested(person, by, **kwargs):
    erasure, _ = erasure_services.erasure_request(
        service_user=person,
        by=by,
        legal_basis="consent_withdrawn",
        reason="Pat withdrew consent in writing on 3 March.",
        **kwargs,
    )
    return erasure


def approved(person, by, approver):
    erasure = requested(person, by)
    return erasure_services.erasure_decide(erasure=erasure, by=approver, approve=True)


def every_row_as_text():
    """Every row of every table the project's models know, serialised."""
    from django.apps import apps

    chunks = []
    for model in apps.get_models(include_auto_created=True):
        chunks.append(serializers.serialize("json", model._base_manager.all()))
    return "\n".join(chunks)


def test_supervisor_requests_erasure_and_a_second_supervisor_approves(
    client_for, supervisor, second_supervisor, person
):
    client = client_for(supervisor)
    url = person_url("erasure_create", person)
    token = client.get(url).context["form"].initial["submission_token"]
    data = {
        "legal_basis": "consent_withdrawn",
        "reason": "Pat withdrew consent in writing.",
        "submission_token": str(token),
    }
    response = client.post(url, data)
    erasure = ErasureRequest.objects.get()
    assert response["Location"] == erasure_url("erasure", erasure)
    assert client.post(url, data).status_code == 302  # sent twice: one request
    assert ErasureRequest.objects.count() == 1
    assert erasure.status == Status.PENDING and erasure.requested_by == supervisor

    # The requester cannot approve their own request.
    response = client.post(erasure_url("erasure", erasure), {"decision": "approve"})
    assert response.status_code == 409
    assert "someone else must approve it" in response.content.decode()
    erasure.refresh_from_db()
    assert erasure.status == Status.PENDING

    response = client_for(second_supervisor).post(
        erasure_url("erasure", erasure), {"decision": "approve"}
    )
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert erasure.status == Status.APPROVED and erasure.decided_by == second_supervisor


def test_an_administrator_may_approve_and_sees_the_request_not_the_record(
    client_for, supervisor, admin_user, person
):
    person.full_name = "Patricia Example"
    person.save()
    erasure = requested(person, supervisor)
    page = client_for(admin_user).get(erasure_url("erasure", erasure))
    assert page.status_code == 200
    text = page.content.decode()
    assert subject_access.person_reference(person) in text
    # As whole words: the administrator's own random surname may be "Patel".
    shown = re.sub(r"\bPat withdrew\b", "", text)
    assert not re.search(r"\bPatricia\b", shown) and not re.search(r"\bPat\b", shown)
    # The person's own pages stay closed to administrators.
    assert client_for(admin_user).get(person.get_absolute_url()).status_code == 404
    response = client_for(admin_user).post(erasure_url("erasure", erasure), {"decision": "approve"})
    assert response.status_code == 302
    erasure.refresh_from_db()
    assert erasure.decided_by == admin_user


def test_erasure_pages_for_a_person_you_cannot_see_are_not_found(
    client_for, supervisor, person, personas
):
    erasure = requested(person, supervisor)
    for name in ("owner", "colleague", "other_worker", "curator"):
        client = client_for(personas[name])
        assert client.get(erasure_url("erasure", erasure)).status_code == 404, name
        assert (
            client.post(erasure_url("erasure", erasure), {"decision": "approve"}).status_code == 404
        )
        response = client.post(erasure_url("erasure_carry_out", erasure), {"reference": "x"})
        assert response.status_code == 404, name
    assert client_for(None).get(erasure_url("erasure", erasure)).status_code == 302
    assert (
        client_for(personas["owner"]).get(person_url("erasure_create", person)).status_code == 403
    )


def test_refusing_needs_a_reason_and_ends_the_request(
    client_for, supervisor, second_supervisor, person
):
    erasure = requested(person, supervisor)
    client = client_for(second_supervisor)
    response = client.post(erasure_url("erasure", erasure), {"decision": "refuse"})
    assert "Enter why you are refusing" in response.content.decode()
    client.post(erasure_url("erasure", erasure), {"decision": "refuse", "note": "Still needed"})
    erasure.refresh_from_db()
    assert erasure.status == Status.REFUSED
    assert ServiceUser.objects.filter(pk=person.pk).exists()
    # A refused request can be followed by a new one.
    assert requested(person, supervisor).status == Status.PENDING


def test_erasing_needs_the_reference_typed_and_an_approval(
    client_for, supervisor, second_supervisor, person
):
    person.reference = "NHS-123"
    person.save()
    erasure = requested(person, supervisor)
    client = client_for(supervisor)
    carry_out = erasure_url("erasure_carry_out", erasure)
    response = client.post(carry_out, {"reference": "NHS-123"})
    assert response.status_code == 409
    assert "approved by a second person first" in response.content.decode()
    erasure_services.erasure_decide(erasure=erasure, by=second_supervisor, approve=True)
    response = client.post(erasure_url("erasure_carry_out", erasure), {"reference": "NHS-12"})
    assert response.status_code == 200
    assert "does not match" in response.content.decode()
    assert "<title>Error: " in response.content.decode()
    assert ServiceUser.objects.filter(pk=person.pk).exists()
    response = client.post(erasure_url("erasure_carry_out", erasure), {"reference": "nhs-123 "})
    assert response.status_code == 302
    assert response["Location"] == reverse("caseload:erasure_list")
    assert not ServiceUser.objects.filter(pk=person.pk).exists()
    # Sending the confirmation again finds nothing to erase: the request no
    # longer points to anyone.
    again = client.post(carry_out, {"reference": "NHS-123"})
    assert again.status_code == 404


def test_after_erasure_no_row_refers_to_the_person_and_their_files_are_gone(
    monkeypatch,
    supervisor,
    second_supervisor,
    team_a,
    owner,
    colleague,
    django_capture_on_commit_callbacks,
):
    world = rich_person(team_a, owner, tag="Gone", co_worker=colleague)
    keep = rich_person(team_a, owner, tag="Kept")
    person = world["person"]
    name = default_storage.save("person-files/gone.pdf", ContentFile(b"%PDF gone"))
    field_file = FieldFile(None, models.FileField(), name)
    monkeypatch.setitem(
        persondata._handlers,
        "letters",
        persondata.Handler(
            "letters",
            (),
            lambda su, **kw: [],
            lambda su: None,
            lambda su: [("gone.pdf", field_file)],
        ),
    )
    sar, _ = subject_access.access_request_record(
        service_user=person,
        by=supervisor,
        data={"received_on": person.referral_date, "requested_by": "Pat", "identity_check": "ID"},
    )
    copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
    erasure_services.legal_hold_change(
        service_user=person, by=supervisor, on_hold=True, reason="Complaint", kind="complaint"
    )
    erasure_services.legal_hold_change(
        service_user=person, by=supervisor, on_hold=False, reason="Complaint closed"
    )
    audited = AuditEvent.objects.filter(service_user=person).count()
    erasure = approved(person, supervisor, second_supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        erasure_services.erasure_carry_out(
            erasure=erasure, by=supervisor, typed_reference=subject_access.person_reference(person)
        )

    everything = every_row_as_text()
    assert str(person.public_id) not in everything
    for group in world["strings"].values():
        for value in group:
            assert value not in everything, value
    for session in world["sessions"]:
        assert str(session.public_id) not in everything
    # No foreign key to a person holds the erased person's id.
    for model in persondata.models_about_people():
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is ServiceUser:
                assert not model._base_manager.filter(**{field.attname: person.pk}).exists(), model
    assert not snapshot_rows_for_data_protection(person).exists()
    assert not default_storage.exists(name)
    assert not default_storage.exists(copy.file.name)
    # The other person is untouched.
    assert NetworkMember.objects.filter(service_user=keep["person"]).count() == 2
    assert snapshot_rows_for_data_protection(keep["person"]).count() == 2
    for value in keep["strings"]["sessions"]:
        assert value in everything

    # The tombstone and an audit trail without the person remain.
    erasure.refresh_from_db()
    assert erasure.status == Status.ERASED and erasure.service_user is None
    assert erasure.reference == subject_access.person_reference(person)
    assert erasure.requested_by == supervisor and erasure.decided_by == second_supervisor
    assert erasure.referral_date == person.referral_date
    assert erasure.sections_erased[:2] == ["record", "access_log"]
    trail = AuditEvent.objects.filter(erasure=erasure)
    assert trail.count() == audited + 3  # request, approval, the erasure itself
    assert set(trail.values_list("object_id", "path", "detail")) - {("", "", "request")} == {
        ("", "", "")
    }
    assert trail.filter(action=Action.ERASE, actor=supervisor).exists()
    assert trail.filter(action=Action.VIEW, actor=owner).exists()  # who and when stay


def test_snapshots_cannot_be_changed_except_by_the_data_protection_functions(person, owner):
    from networks import services as network_services

    snapshot = network_services.snapshot_take(service_user=person, label="Baseline", by=owner)
    with pytest.raises(SnapshotImmutable):
        snapshot.delete()
    with pytest.raises(SnapshotImmutable):
        person.network_snapshots.all().delete()


def test_a_person_under_a_legal_hold_cannot_be_erased(
    client_for, supervisor, second_supervisor, person
):
    erasure = approved(person, supervisor, second_supervisor)
    erasure_services.legal_hold_change(
        service_user=person,
        by=second_supervisor,
        on_hold=True,
        kind="safeguarding",
        reason="Section 42 enquiry",
    )
    response = client_for(supervisor).post(
        erasure_url("erasure_carry_out", erasure),
        {"reference": subject_access.person_reference(person)},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "under a legal hold (safeguarding" in page
    assert ServiceUser.objects.filter(pk=person.pk).exists()
    # A new request is refused too, saying why.
    ErasureRequest.objects.filter(pk=erasure.pk).update(status=Status.REFUSED)
    response = client_for(supervisor).get(person_url("erasure_create", person))
    assert "This record cannot be erased" in response.content.decode()
    response = client_for(supervisor).post(
        person_url("erasure_create", person), {"legal_basis": "objection", "reason": "Asked"}
    )
    assert response.status_code == 409
    assert ErasureRequest.objects.filter(status=Status.PENDING).count() == 0
    with pytest.raises(erasure_services.ErasureRefused, match="legal hold"):
        requested(person, supervisor)


def test_legal_hold_is_set_and_cleared_by_supervisors_with_who_when_and_why(
    client_for, supervisor, owner, person
):
    client = client_for(supervisor)
    url = person_url("legal_hold", person)
    response = client.post(url, {"kind": "inquiry"})
    assert "Enter why the record must not be destroyed" in response.content.decode()
    client.post(url, {"kind": "inquiry", "reason": "Coroner's inquest"})
    person.refresh_from_db()
    assert person.legal_hold
    assert "Legal hold" in client.get(person.get_absolute_url()).content.decode()
    client.post(url, {"reason": "Inquest concluded"})
    person.refresh_from_db()
    assert not person.legal_hold
    history = list(LegalHoldChange.objects.filter(service_user=person).order_by("changed_at"))
    assert [(h.on_hold, h.kind, h.reason, h.changed_by) for h in history] == [
        (True, "inquiry", "Coroner's inquest", supervisor),
        (False, "", "Inquest concluded", supervisor),
    ]
    page = client.get(person_url("data_rights", person)).content.decode()
    assert "Coroner&#x27;s inquest" in page and "Inquest concluded" in page
    assert client_for(owner).post(url, {"kind": "inquiry", "reason": "x"}).status_code == 403


def test_erasure_list_shows_tombstones_to_the_teams_supervisors_and_admins(
    client_for, supervisor, second_supervisor, admin_user, other_worker, team_b, person
):
    person.reference = "REF-9"
    person.save()
    erasure = approved(person, supervisor, second_supervisor)
    erasure_services.erasure_carry_out(erasure=erasure, by=supervisor, typed_reference="REF-9")
    for user in (supervisor, admin_user):
        page = client_for(user).get(reverse("caseload:erasure_list")).content.decode()
        assert "REF-9" in page and "Pat withdrew consent" in page
    elsewhere = make_supervisor(team_b, username="south-sup")
    assert (
        "REF-9" not in client_for(elsewhere).get(reverse("caseload:erasure_list")).content.decode()
    )
    assert client_for(other_worker).get(reverse("caseload:erasure_list")).status_code == 403


def test_third_party_name_is_replaced_in_the_map_and_every_snapshot(
    client_for, supervisor, owner, team_a
):
    world = rich_person(team_a, owner, tag="Tp")
    person, bob = world["person"], world["members"][1]
    url = reverse(
        "networks:member_remove_name",
        kwargs={"public_id": person.public_id, "member_id": bob.public_id},
    )
    assert client_for(owner).get(url).status_code == 403
    client = client_for(supervisor)
    assert (
        "Remove their name"
        in client.get(
            reverse(
                "networks:member_edit",
                kwargs={"public_id": person.public_id, "member_id": bob.public_id},
            )
        ).content.decode()
    )
    response = client.post(url, {})
    assert "Confirm that they asked" in response.content.decode()
    response = client.post(url, {"asked_by_them": "on", "clear_notes": "on"})
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.label == "Friend 1" and bob.notes == "" and bob.name_removed_at
    for snapshot in snapshot_rows_for_data_protection(person):
        labels = {m["label"] for m in snapshot.data["members"]}
        assert "BobTp" not in labels and "Friend 1" in labels
    assert "AnnTp" in {m["label"] for m in world["snapshots"][0].data["members"]}
    event = AuditEvent.objects.filter(service_user=person, object_id=str(bob.public_id)).latest(
        "at"
    )
    assert event.detail == "name removed at their request (map and 2 snapshots)"
    assert event.fields == ["label", "notes"]


def _fill(person, supervisor, second_supervisor, count):
    from django.utils import timezone

    for n in range(count):
        subject_access.access_request_record(
            service_user=person,
            by=supervisor,
            data={
                "received_on": timezone.localdate(),
                "requested_by": f"Asker {n}",
                "identity_check": "ID",
            },
        )
        erasure_services.legal_hold_change(
            service_user=person, by=supervisor, on_hold=True, reason=f"Hold {n}", kind="other"
        )
        erasure_services.legal_hold_change(
            service_user=person, by=supervisor, on_hold=False, reason=f"Clear {n}"
        )
        erasure = requested(person, supervisor)
        erasure_services.erasure_decide(
            erasure=erasure, by=second_supervisor, approve=False, note="No"
        )


@pytest.mark.parametrize("name", ["data_rights", "erasure_list"])
def test_data_rights_lists_run_a_fixed_number_of_queries(
    name, client_for, supervisor, second_supervisor, team_a, owner, django_assert_max_num_queries
):
    person = rich_person(team_a, owner, tag="Q")["person"]
    lists = {"data_rights": person_url("data_rights", person), "erasure_list": "/people/erasures/"}
    url = lists[name]
    client = client_for(supervisor)
    _fill(person, supervisor, second_supervisor, 1)
    with django_assert_max_num_queries(20) as few:
        assert client.get(url).status_code == 200
    _fill(person, supervisor, second_supervisor, 6)
    for n in range(3):  # tombstones and waiting requests of other people
        other = rich_person(team_a, owner, tag=f"T{n}")["person"]
        erasure = approved(other, supervisor, second_supervisor)
        if n:
            erasure_services.erasure_carry_out(
                erasure=erasure,
                by=supervisor,
                typed_reference=subject_access.person_reference(other),
            )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('<td data-label="Who asked">Asker') == (
        7 if name == "data_rights" else 0
    )
