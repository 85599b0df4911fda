"""A cron job started twice at once: the second copy exits at once, saying another
is running, with status 75. Runs on whichever engine the tests use (SQLite: a
file lock; PostgreSQL: an advisory lock on a connection of its own)."""

import io

import pytest
from django.core import mail
from django.core.management import call_command, load_command_class
from django.db import connection

from core.cronlock import (
    EXIT_ANOTHER_RUNNING,
    AnotherIsRunning,
    cron_lock,
    cron_locked,
    lock_key,
)

CRON_COMMANDS = [
    ("workflow", "send_reminders"),
    ("caseload", "apply_retention"),
    ("toolkit", "sync_oruk_feeds"),
    ("safety", "check_lone_working"),
    ("workflow", "count_dashboards"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("app", "command"), CRON_COMMANDS)
def test_a_second_copy_of_each_cron_command_exits_saying_another_is_running(app, command):
    with cron_lock(command), pytest.raises(AnotherIsRunning) as refused:
        call_command(command, stdout=io.StringIO(), stderr=io.StringIO())
    assert str(refused.value) == f"Another copy of {command} is running; this one exits."
    assert refused.value.returncode == EXIT_ANOTHER_RUNNING == 75


@pytest.mark.django_db
def test_the_second_copy_exits_with_status_75_and_the_message_on_stderr():
    command = load_command_class("workflow", "send_reminders")
    command.stderr._out = err = io.StringIO()
    with cron_lock("send_reminders"), pytest.raises(SystemExit) as exited:
        command.run_from_argv(["manage.py", "send_reminders"])
    assert exited.value.code == 75
    assert "Another copy of send_reminders is running; this one exits." in err.getvalue()


@pytest.mark.django_db
def test_the_second_copy_does_nothing_and_the_job_runs_once_the_first_has_finished(
    person,
):
    out = io.StringIO()
    with cron_lock("send_reminders"), pytest.raises(AnotherIsRunning):
        call_command("send_reminders", stdout=out)
    assert out.getvalue() == ""
    assert mail.outbox == []
    call_command("send_reminders", stdout=out)  # the lock went with the first copy
    assert "sent" in out.getvalue()


@pytest.mark.django_db
def test_the_lock_is_released_when_the_job_fails():
    with pytest.raises(RuntimeError), cron_lock("flaky"):
        raise RuntimeError("the job failed")
    with cron_lock("flaky"):
        pass  # free again


@pytest.mark.django_db
def test_different_jobs_do_not_block_each_other():
    with cron_lock("send_reminders"), cron_lock("apply_retention"):
        pass


@pytest.mark.django_db
def test_the_decorator_names_the_lock_after_the_command_module_or_a_given_name():
    class Job:
        __module__ = "somewhere.management.commands.check_lone_working"

        @cron_locked
        def handle(self):
            return "ran"

        @cron_locked(name="custom")
        def other(self):
            return "ran too"

    assert Job().handle() == "ran"
    with cron_lock("check_lone_working"), pytest.raises(AnotherIsRunning):
        Job().handle()
    with cron_lock("custom"), pytest.raises(AnotherIsRunning):
        Job().other()


@pytest.mark.django_db
def test_on_postgresql_the_lock_is_an_advisory_lock_seen_by_other_connections():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only (set DATABASE_URL to a PostgreSQL database)")
    # Advisory locks belong to a database: count this test database's only, not
    # those of a test database another xdist worker is using at the same time.
    with cron_lock("send_reminders"), connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            [lock_key("send_reminders") & 0xFFFFFFFFFFFFFFFF],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [lock_key("send_reminders")])
        assert cursor.fetchone()[0] is False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        assert cursor.fetchone()[0] == 0
