from unittest import mock

from django.db import OperationalError


def test_healthz_answers_without_login_when_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_is_503_when_database_does_not_answer(client, db):
    with mock.patch("connecting_people.views.connection.cursor", side_effect=OperationalError):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "down"
