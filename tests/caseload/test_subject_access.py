"""Subject access requests: recording them, the copy, who may download it."""

import datetime
import io
import json
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils import timezone

from caseload import persondata, subject_access
from caseload.audit import Action
from caseload.models import AuditEvent, SubjectAccessCopy, SubjectAccessRequest
from tests.accounts.factories import make_supervisor
from tests.caseload.conftest import person_url
from tests.caseload.rights_world import rich_person

pytestmark = pytest.mark.django_db


def sar_url(name, sar, **kwargs):
    return reverse(
        f"caseload:{name}",
        kwargs={"public_id": sar.service_user.public_id, "sar_id": sar.public_id, **kwargs},
    )


def make_request(person, by, *, received_on=None):
    sar, _ = subject_access.access_request_record(
        service_user=person,
        by=by,
        data={
            "received_on": received_on or timezone.localdate(),
            "requested_by": "Pat themselves",
            "identity_check": "Seen in person with a bus pass",
        },
    )
    return sar


def unzip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def prepare(sar, by, **kwargs):
    copy = subject_access.access_copy_prepare(access_request=sar, by=by, **kwargs)
    with copy.file.open("rb") as handle:
        return copy, unzip(handle.read())


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (datetime.date(2026, 11, 26), datetime.date(2026, 12, 26)),
        (datetime.date(2026, 12, 15), datetime.date(2027, 1, 15)),
        (datetime.date(2027, 1, 31), datetime.date(2027, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 8, 31), datetime.date(2026, 9, 30)),
    ],
)
def test_a_copy_is_due_one_calendar_month_after_the_request(received, due):
    assert subject_access.one_calendar_month_after(received) == due


def test_supervisor_records_a_request_and_sees_when_it_is_due(client_for, supervisor, person):
    client = client_for(supervisor)
    url = person_url("sar_create", person)
    form = client.get(url)
    token = form.context["form"].initial["submission_token"]
    data = {
        "received_on": "2026-01-31",
        "requested_by": "Pat's advocate, Sam Jones",
        "identity_check": "Letter of authority signed by Pat, checked against the file",
        "submission_token": str(token),
    }
    response = client.post(url, data)
    sar = SubjectAccessRequest.objects.get(service_user=person)
    assert response.status_code == 302
    assert response["Location"] == sar_url("sar", sar)
    assert sar.recorded_by == supervisor
    assert client.post(url, data).status_code == 302  # sent twice: one request
    assert SubjectAccessRequest.objects.count() == 1
    page = client.get(sar_url("sar", sar)).content.decode()
    assert "28 February 2026" in page
    assert "Overdue" in page
    assert AuditEvent.objects.filter(
        service_user=person, action=Action.CREATE, object_type="subjectaccessrequest"
    ).exists()


def test_request_form_errors_keep_the_answers(client_for, supervisor, person):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client_for(supervisor).post(
        person_url("sar_create", person),
        {"received_on": tomorrow, "requested_by": "Pat", "identity_check": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert 'href="#id_received_on"' in page
    assert "today or in the past" in page
    assert 'value="Pat"' in page
    assert not SubjectAccessRequest.objects.exists()


def test_data_rights_pages_are_for_the_teams_supervisors_only(
    client_for, owner, supervisor, person, assert_person_access
):
    sar = make_request(person, supervisor)
    copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
    urls = [
        person_url("data_rights", person),
        person_url("sar_create", person),
        person_url("legal_hold", person),
        person_url("erasure_create", person),
        sar_url("sar", sar),
        sar_url("sar_download", sar, copy_id=copy.public_id),
    ]
    for url in urls:
        assert_person_access(url, allowed=("supervisor",))
        assert client_for(owner).get(url).status_code == 403, url
    for name in ("sar_prepare", "sar_answered"):
        assert_person_access(
            sar_url(name, sar), method="post", allowed=("supervisor",), ok=(200, 302)
        )


def test_another_persons_request_is_not_found_under_this_person(
    client_for, supervisor, person, team_a, owner
):
    other = rich_person(team_a, owner, tag="Other")["person"]
    sar = make_request(other, supervisor)
    url = reverse("caseload:sar", kwargs={"public_id": person.public_id, "sar_id": sar.public_id})
    assert client_for(supervisor).get(url).status_code == 404


def test_the_copy_holds_everything_about_the_person_and_nothing_about_anyone_else(
    supervisor, team_a, owner
):
    mine = rich_person(team_a, owner, tag="Mine", reference="NHS-1")
    theirs = rich_person(team_a, owner, tag="Theirs")
    person = mine["person"]
    sar = make_request(person, supervisor)
    _copy, files = prepare(sar, supervisor)

    assert {"copy.html", "style.css", "data.json"} <= set(files)
    html = files["copy.html"].decode()
    data = json.loads(files["data.json"])
    text = json.dumps(data, ensure_ascii=False)
    for value in mine["strings"]["sessions"] + mine["strings"]["goals"] + mine["strings"]["person"]:
        assert value in html, value
        assert value in text, value
    # Every member, in the map and in both snapshots, by pseudonym.
    network = data["sections"]["network"]["data"]
    assert [m["name"] for m in network["members"]] == ["Family 1", "Friend 1"]
    assert len(network["snapshots"]) == 2
    for snapshot in network["snapshots"]:
        assert sorted(m["name"] for m in snapshot["members"]) == ["Family 1", "Friend 1"]
        assert snapshot["links_between_members"] == [{"between": "Family 1", "and": "Friend 1"}]
    goals = data["sections"]["goals"]["data"]
    assert goals["goals"][0]["who_and_what_it_involves"] == ["Friend 1"]
    assert goals["goals"][0]["steps"][0]["who"] == "Someone else"
    assert goals["reviews"][0]["ratings"][0]["level"] == "+1"
    # Every audit row of the person, and only theirs.
    log = data["sections"]["access_log"]["data"]
    assert len(log) == AuditEvent.objects.filter(service_user=person).count() - 1
    assert {"Viewed", "Changed", "Created"} <= {row["what"] for row in log}
    # Third parties pseudonymised; nothing of the other person.
    for value in mine["strings"]["third_parties"]:
        assert value not in html and value not in text, value
    for group in theirs["strings"].values():
        for value in group:
            assert value not in html and value not in text, value


def test_every_audit_row_is_in_the_copy(supervisor, person, owner):
    from caseload.audit import audit_record

    for _ in range(30):
        audit_record(actor=owner, action=Action.VIEW, service_user=person)
    before = AuditEvent.objects.filter(service_user=person).count()
    _copy, files = prepare(make_request(person, supervisor), supervisor)
    log = json.loads(files["data.json"])["sections"]["access_log"]["data"]
    assert len(log) == before + 1  # and the request being recorded
    assert files["copy.html"].decode().count("<td>Viewed</td>") == 30


def test_the_readable_copy_is_plain_html_with_dates_in_words(supervisor, person, owner):
    person.referral_date = datetime.date(2026, 3, 4)
    person.save()
    _copy, files = prepare(make_request(person, supervisor), supervisor)
    html = files["copy.html"].decode()
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="en-GB">' in html
    assert '<link rel="stylesheet" href="style.css">' in html
    assert "4 March 2026" in html
    assert not re.search(r"<script|style=|\son[a-z]+=", html)
    assert "2026-03-04" not in html
    assert '<h2 id="access_log">Who viewed or changed the record, and when</h2>' in html
    assert html.index('id="access_log"') > html.index('id="goals"')  # the log comes last


def test_names_are_shown_only_with_a_recorded_reason(client_for, supervisor, team_a, owner):
    world = rich_person(team_a, owner, tag="Named")
    person = world["person"]
    sar = make_request(person, supervisor)
    client = client_for(supervisor)
    response = client.post(sar_url("sar_prepare", sar), {"names": "show", "reason": " "})
    assert response.status_code == 200
    assert "Enter why other people" in response.content.decode()
    assert not SubjectAccessCopy.objects.exists()

    response = client.post(
        sar_url("sar_prepare", sar),
        {"names": "show", "reason": "Ann and Bob agreed in writing"},
    )
    assert response.status_code == 302
    copy = SubjectAccessCopy.objects.get()
    assert copy.third_parties_shown
    assert copy.third_parties_reason == "Ann and Bob agreed in writing"
    with copy.file.open("rb") as handle:
        text = json.dumps(json.loads(unzip(handle.read())["data.json"]), ensure_ascii=False)
    for value in world["strings"]["third_parties"]:
        assert value in text, value
    event = AuditEvent.objects.get(object_type="subjectaccesscopy", action=Action.EXPORT)
    assert event.detail == "other people's names shown"
    assert "Ann" not in event.detail


def test_each_download_is_audited_and_kept_from_caches(client_for, supervisor, person):
    sar = make_request(person, supervisor)
    copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
    response = client_for(supervisor).get(sar_url("sar_download", sar, copy_id=copy.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    assert "subject-access-CP-" in response["Content-Disposition"]
    assert zipfile.is_zipfile(io.BytesIO(b"".join(response.streaming_content)))
    assert AuditEvent.objects.filter(
        service_user=person, action=Action.EXPORT, detail="copy downloaded", actor=supervisor
    ).exists()


def test_uploaded_files_about_the_person_are_in_the_copy(monkeypatch, supervisor, person):
    name = default_storage.save("person-files/letter.pdf", ContentFile(b"%PDF-1.4 letter"))
    field_file = FieldFile(None, models.FileField(), name)
    handler = persondata.Handler(
        "letters",
        (),
        lambda su, **kw: {"letters": 1},
        lambda su: None,
        lambda su: [("letter.pdf", field_file)],
    )
    monkeypatch.setitem(persondata._handlers, "letters", handler)
    _copy, files = prepare(make_request(person, supervisor), supervisor)
    assert files["files/letters/letter.pdf"] == b"%PDF-1.4 letter"
    assert "files/letters/letter.pdf" in files["copy.html"].decode()


def test_answering_a_request_closes_it(client_for, supervisor, person):
    sar = make_request(
        person, supervisor, received_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    client = client_for(supervisor)
    early = (sar.received_on - datetime.timedelta(days=1)).isoformat()
    response = client.post(sar_url("sar_answered", sar), {"answered_on": early})
    assert response.status_code == 200
    assert "on or after the date received" in response.content.decode()
    response = client.post(
        sar_url("sar_answered", sar), {"answered_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    sar.refresh_from_db()
    assert sar.answered_on == timezone.localdate() and sar.answered_by == supervisor
    assert not sar.is_overdue()


def test_overdue_requests_are_flagged_on_the_dashboard(client_for, supervisor, person, team_b):
    late = make_request(
        person, supervisor, received_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    page = client_for(supervisor).get(reverse("workflow:dashboard")).content.decode()
    assert "1 request for a copy is overdue" in page
    assert sar_url("sar", late) in page
    # Another team's supervisor does not see it.
    other = make_supervisor(team_b, username="other-sup")
    assert (
        "Data requests" not in client_for(other).get(reverse("workflow:dashboard")).content.decode()
    )
    subject_access.access_request_mark_answered(
        access_request=late, by=supervisor, answered_on=timezone.localdate()
    )
    assert (
        "Data requests"
        not in client_for(supervisor).get(reverse("workflow:dashboard")).content.decode()
    )


def test_the_dashboards_data_requests_are_read_in_two_queries_with_all_they_show(
    supervisor, owner, person, team_a, django_assert_num_queries
):
    from django.template.loader import render_to_string

    from caseload import erasure
    from caseload.models import LegalBasis

    late = make_request(
        person, supervisor, received_on=timezone.localdate() - datetime.timedelta(days=40)
    )
    waiting, _created = erasure.erasure_request(
        service_user=person,
        by=owner,
        legal_basis=LegalBasis.NO_LONGER_NEEDED,
        reason="Asked to be forgotten",
    )
    _ = supervisor.supervised_team_ids  # read with the user on each request
    with django_assert_num_queries(2):
        requests = subject_access.team_data_requests(supervisor, team_a)
        html = render_to_string("caseload/_data_requests_dashboard.html", {"requests": requests})
    assert sar_url("sar", late) in html and "Overdue" in html
    assert person.preferred_name in html and waiting.reference in html
    assert f"waiting for approval, requested by {owner}" in html


def test_a_copy_whose_file_is_missing_is_not_found_rather_than_an_error(
    client_for, supervisor, person
):
    sar = make_request(person, supervisor)
    copy = subject_access.access_copy_prepare(access_request=sar, by=supervisor)
    default_storage.delete(copy.file.name)
    response = client_for(supervisor).get(sar_url("sar_download", sar, copy_id=copy.public_id))
    assert response.status_code == 404
