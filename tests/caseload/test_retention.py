"""The retention schedule: what is due, the dry run, the real run, legal holds."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from caseload import erasure as erasure_services
from caseload import retention
from caseload.audit import Action, audit_record
from caseload.models import AuditEvent, ErasureRequest, RetentionRun, ServiceUser, StageChange
from caseload.stages import Stage
from tests.caseload.factories import ServiceUserFactory, SessionFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def years_ago(years, days=0):
    return retention.years_before(TODAY, years) - datetime.timedelta(days=days)


def history(person, *stages, by):
    previous = ""
    for stage in stages:
        StageChange.objects.create(
            service_user=person, from_stage=previous, to_stage=stage, changed_by=by
        )
        previous = stage


def closed_case(team, worker, *, closed_on, last_contact_on=None, reference=None):
    person = ServiceUserFactory(
        team=team,
        allocated_worker=worker,
        reference=reference,
        status="closed",
        stage=Stage.CLOSED,
        closed_on=closed_on,
        last_contact_on=last_contact_on,
        referral_date=closed_on - datetime.timedelta(days=400),
    )
    history(person, Stage.REFERRAL, Stage.GETTING_STARTED, Stage.CLOSED, by=worker)
    return person


def referral(team, worker, *, referred_on, closed=False, reference=None):
    person = ServiceUserFactory(
        team=team,
        allocated_worker=worker,
        reference=reference,
        referral_date=referred_on,
        status="closed" if closed else "referred",
        stage=Stage.CLOSED if closed else Stage.REFERRAL,
    )
    history(person, Stage.REFERRAL, *([Stage.CLOSED] if closed else []), by=worker)
    return person


@pytest.fixture
def world(team_a, owner):
    return {
        # Due: closed more than 8 years ago, no later contact.
        "old_closed": closed_case(team_a, owner, closed_on=years_ago(8, 1), reference="OLD-1"),
        # Not due: closed 9 years ago but contact 7 years ago (the later date counts).
        "late_contact": closed_case(
            team_a, owner, closed_on=years_ago(9), last_contact_on=years_ago(7), reference="LATE-1"
        ),
        # Not due: closed 7 years ago.
        "recent_closed": closed_case(team_a, owner, closed_on=years_ago(7), reference="NEW-1"),
        # Due: a referral never taken on, 2 years and a day ago (open or closed).
        "old_referral": referral(team_a, owner, referred_on=years_ago(2, 1), reference="REF-1"),
        "closed_referral": referral(
            team_a, owner, referred_on=years_ago(3), closed=True, reference="REF-2"
        ),
        # Not due: referred a year ago.
        "new_referral": referral(team_a, owner, referred_on=years_ago(1), reference="REF-3"),
        # Not due: an open case taken on long ago.
        "open_case": ServiceUserFactory(
            team=team_a, allocated_worker=owner, referral_date=years_ago(10), reference="OPEN-1"
        ),
    }


def test_the_default_schedule_follows_the_documented_periods():
    assert retention.schedule() == {
        "closed_case_years": 8,
        "referral_not_taken_on_years": 2,
        "audit_event_years": 8,
    }


def test_people_due_are_the_old_closed_cases_and_old_referrals(world):
    due, held = retention.people_due()
    assert [item.reference for item in due] == ["OLD-1", "REF-1", "REF-2"]
    assert held == 0
    by_reference = {item.reference: item for item in due}
    assert by_reference["OLD-1"].rule == "closed_case"
    assert "Closed case: closed " in by_reference["OLD-1"].reason
    assert "kept 8 years" in by_reference["OLD-1"].reason
    assert by_reference["REF-1"].rule == "referral_not_taken_on"
    referred = world["old_referral"].referral_date
    assert f"referred {referred:%-d %B %Y}" in by_reference["REF-1"].reason


def test_dry_run_lists_what_is_due_with_reasons_and_changes_nothing(world, capsys):
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "OLD-1 (Team A): Closed case" in out
    assert "REF-1 (Team A): Referral never taken on" in out
    assert "3 people due for erasure." in out
    assert "LATE-1" not in out and "OPEN-1" not in out
    assert "Dry run: nothing was changed." in out
    assert ServiceUser.objects.count() == len(world)
    assert not RetentionRun.objects.exists()


def test_the_real_run_erases_what_the_dry_run_listed_and_is_idempotent(world, owner, capsys):
    old = world["old_closed"]
    SessionFactory(service_user=old, author=owner, date=old.closed_on)
    audit_record(actor=owner, action=Action.VIEW, service_user=old)
    planned = {item.reference for item in retention.plan().due}

    call_command("apply_retention")
    out = capsys.readouterr().out
    run = RetentionRun.objects.get()
    assert {entry["reference"] for entry in run.entries} == planned
    assert run.people_erased == 3
    assert "3 people erased" in out
    assert set(ServiceUser.objects.values_list("reference", flat=True)) == {
        "LATE-1",
        "NEW-1",
        "REF-3",
        "OPEN-1",
    }
    tombstones = ErasureRequest.objects.filter(source="retention", status="erased")
    assert set(tombstones.values_list("reference", flat=True)) == planned
    tombstone = tombstones.get(reference="OLD-1")
    assert tombstone.closed_on == old.closed_on
    assert tombstone.legal_basis == "retention" and tombstone.service_user is None
    assert "Closed case" in tombstone.reason
    assert AuditEvent.objects.filter(erasure=tombstone, action=Action.VIEW).exists()

    call_command("apply_retention")
    assert "0 people erased" in capsys.readouterr().out
    assert ServiceUser.objects.count() == 4
    assert retention.plan().due == []


def test_a_person_under_a_legal_hold_is_never_purged(world, supervisor, capsys):
    old = world["old_closed"]
    erasure_services.legal_hold_change(
        service_user=old, by=supervisor, on_hold=True, kind="complaint", reason="Open complaint"
    )
    call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert "OLD-1" not in out
    assert "1 more are past their period but under a legal hold" in out
    call_command("apply_retention")
    assert ServiceUser.objects.filter(pk=old.pk).exists()
    assert RetentionRun.objects.get().held_back == 1


def test_old_audit_events_are_removed(world, owner):
    person = world["open_case"]
    old = audit_record(actor=owner, action=Action.VIEW, service_user=person)
    AuditEvent.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=8 * 366 + 2)
    )
    recent = audit_record(actor=owner, action=Action.VIEW, service_user=person)
    assert retention.plan().audit_events == 1
    run = retention.apply()
    assert run.audit_events_removed == 1
    assert not AuditEvent.objects.filter(pk=old.pk).exists()
    assert AuditEvent.objects.filter(pk=recent.pk).exists()


def test_with_no_schedule_it_refuses_to_run(world, settings):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "RETENTION": {}}
    for args in ([], ["--dry-run"]):
        with pytest.raises(CommandError, match="There is no retention schedule"):
            call_command("apply_retention", *args)
    assert ServiceUser.objects.count() == len(world)
    settings.CONNECTING_PEOPLE = {
        **settings.CONNECTING_PEOPLE,
        "RETENTION": {"closed_case_years": 0},
    }
    with pytest.raises(CommandError, match="1 or more"):
        call_command("apply_retention")


def test_a_period_of_none_keeps_that_kind_of_record(world, settings):
    settings.CONNECTING_PEOPLE = {
        **settings.CONNECTING_PEOPLE,
        "RETENTION": {
            "closed_case_years": None,
            "referral_not_taken_on_years": 2,
            "audit_event_years": None,
        },
    }
    assert [item.reference for item in retention.plan().due] == ["REF-1", "REF-2"]


def test_the_period_is_read_from_the_environment(monkeypatch):
    from connecting_people.settings import env_years

    monkeypatch.setenv("CP_RETENTION_CLOSED_CASE_YEARS", "10")
    assert env_years("CP_RETENTION_CLOSED_CASE_YEARS", 8) == 10
    monkeypatch.setenv("CP_RETENTION_CLOSED_CASE_YEARS", "none")
    assert env_years("CP_RETENTION_CLOSED_CASE_YEARS", 8) is None
    monkeypatch.delenv("CP_RETENTION_CLOSED_CASE_YEARS")
    assert env_years("CP_RETENTION_CLOSED_CASE_YEARS", 8) == 8


def test_leap_day_periods_end_on_28_february():
    assert retention.years_before(datetime.date(2028, 2, 29), 1) == datetime.date(2027, 2, 28)
    assert retention.years_after(datetime.date(2024, 2, 29), 2) == datetime.date(2026, 2, 28)


def test_administrators_see_the_retention_report(world, client_for, admin_user, supervisor):
    retention.apply()
    from django.urls import reverse

    home = client_for(admin_user).get("/").content.decode()
    assert f'href="{reverse("caseload:erasure_list")}"' in home  # in the navigation
    page = client_for(admin_user).get(reverse("caseload:erasure_list")).content.decode()
    assert "Retention runs" in page and "OLD-1" in page and "The retention schedule" in page
    assert (
        "Retention runs"
        not in client_for(supervisor).get(reverse("caseload:erasure_list")).content.decode()
    )


def test_one_record_that_cannot_be_erased_does_not_hold_back_the_rest(world, monkeypatch):
    from caseload import persondata

    def erase(service_user):
        if service_user.reference == "REF-1":
            raise RuntimeError("disk on fire")

    monkeypatch.setitem(
        persondata._handlers,
        "fragile",
        persondata.Handler("fragile", (), lambda su, **kw: {}, erase),
    )
    with pytest.raises(CommandError, match="1 record could not be erased"):
        call_command("apply_retention")
    run = RetentionRun.objects.get()
    assert [entry["reference"] for entry in run.entries] == ["OLD-1", "REF-2"]
    assert run.errors == [{"reference": "REF-1", "error": "disk on fire"}]
    assert ServiceUser.objects.filter(reference="REF-1").exists()
    assert not ErasureRequest.objects.filter(reference="REF-1").exists()
