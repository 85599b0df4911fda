import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Team, User

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, env):
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-production-like-secret-key-for-checks-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "cp.example.org",
    "DATABASE_URL": "sqlite:///unused.sqlite3",
}


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_refuses_to_start_naming_the_missing_variable(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DJANGO_SECURE_SSL_REDIRECT", "flase"), ("DJANGO_DEBUG", "maybe"), ("EMAIL_USE_TLS", "2")],
)
def test_an_unknown_on_off_value_stops_start_up_naming_the_variable(name, value):
    result = run_manage("check", env={**PRODUCTION, name: value})
    assert result.returncode != 0
    assert name in result.stderr
    assert repr(value) in result.stderr


@pytest.mark.parametrize("value", ["0", "off", "No", "FALSE"])
def test_off_words_turn_a_setting_off(value):
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT)",
        env={**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": value},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("False")


def test_check_deploy_with_production_variables_prints_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr + result.stdout
    assert "System check identified no issues" in result.stdout


def test_seed_demo_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run when DEBUG is off"):
        call_command("seed_demo")


def test_seed_demo_is_safe_to_run_twice(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (User.objects.count(), Team.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Team.objects.count()) == counts
    workers_a = User.objects.filter(
        memberships__team__name="North Community Team", memberships__role="worker"
    )
    assert workers_a.count() == 2
    assert User.objects.get(username="curator.erin").is_curator
    assert User.objects.get(username="admin.frank").is_staff


def test_seed_demo_with_force_runs_when_debug_is_off(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="supervisor.dev").exists()


def test_the_wsgi_application_loads_every_view_and_freezes_start_up_objects():
    """Objects start-up leaves behind live as long as the process: connecting_people.wsgi
    hides them from the garbage collector, so full collections during requests stay short."""
    import gc
    import importlib
    import sys

    sys.modules.pop("connecting_people.wsgi", None)
    gc.unfreeze()
    try:
        wsgi = importlib.import_module("connecting_people.wsgi")
        assert callable(wsgi.application)
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
