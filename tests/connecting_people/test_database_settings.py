"""Database settings from the environment: PgBouncer (no server-side cursors),
health-checked connections of a set age, and the optional read replica."""

import json

from tests.connecting_people.test_settings_and_commands import PRODUCTION, run_manage

PRINT = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'dbs': {a: {k: d.get(k) for k in ('ENGINE', 'HOST', 'PORT', 'NAME', "
    "'CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS')} "
    "for a, d in s.DATABASES.items()}, 'report': s.CP_REPORT_DATABASE, "
    "'routers': s.DATABASE_ROUTERS}))"
)
PRIMARY = "postgres://app:secret@pgbouncer.internal:6432/cp"
REPLICA = "postgres://app:secret@replica.internal:5432/cp"


def _settings(**env):
    result = run_manage("shell", "-c", PRINT, env={**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_behind_pgbouncer_server_side_cursors_are_off_and_connections_health_checked():
    found = _settings(DATABASE_URL=PRIMARY, DATABASE_PGBOUNCER="1", DJANGO_CONN_MAX_AGE="300")
    default = found["dbs"]["default"]
    assert (default["HOST"], default["PORT"]) == ("pgbouncer.internal", 6432)
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert default["CONN_HEALTH_CHECKS"] is True
    assert default["CONN_MAX_AGE"] == 300
    assert list(found["dbs"]) == ["default"] and found["report"] is None


def test_without_pgbouncer_server_side_cursors_stay_on_and_the_age_defaults_to_60():
    default = _settings(DATABASE_URL=PRIMARY)["dbs"]["default"]
    assert default["DISABLE_SERVER_SIDE_CURSORS"] is False
    assert default["CONN_MAX_AGE"] == 60 and default["CONN_HEALTH_CHECKS"] is True


def test_a_connection_age_of_0_means_one_connection_per_request():
    default = _settings(DATABASE_URL=PRIMARY, DJANGO_CONN_MAX_AGE="0")["dbs"]["default"]
    assert default["CONN_MAX_AGE"] == 0


def test_a_replica_url_adds_the_replica_alias_for_reports():
    found = _settings(DATABASE_URL=PRIMARY, DATABASE_PGBOUNCER="1", DATABASE_REPLICA_URL=REPLICA)
    replica = found["dbs"]["replica"]
    assert (replica["HOST"], replica["PORT"], replica["NAME"]) == ("replica.internal", 5432, "cp")
    assert replica["DISABLE_SERVER_SIDE_CURSORS"] is True and replica["CONN_HEALTH_CHECKS"]
    assert found["report"] == "replica"
    assert found["routers"] == ["core.replica.ReportReplicaRouter"]


def test_an_unknown_pgbouncer_value_stops_start_up_naming_the_variable():
    result = run_manage("check", env={**PRODUCTION, "DATABASE_PGBOUNCER": "maybe"})
    assert result.returncode != 0 and "DATABASE_PGBOUNCER" in result.stderr


def test_a_bad_connection_age_stops_start_up_naming_the_variable():
    result = run_manage("check", env={**PRODUCTION, "DJANGO_CONN_MAX_AGE": "forever"})
    assert result.returncode != 0 and "DJANGO_CONN_MAX_AGE" in result.stderr
