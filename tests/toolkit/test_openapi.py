"""The published ORUK feed, driven from the official OpenAPI document.

schemathesis reads the UK profile's ``openapi.json`` (an unchanged copy in
``oruk_schema/``, see the NOTICE there), generates requests for every operation
(valid ones and, for the query parameters, malformed ones) and sends them to the
app in process (WSGI). Every response must:

- never be a server error;
- when it is a 200, match the response schema the document gives (the ORUK
  service, list and taxonomy schemas), and be JSON;
- when it is a 400, be JSON naming the parameter that was refused.

Only these checks run: the document lists no error responses at all, so the
"documented status codes" and "valid data is accepted" checks would fail every
correct 400 and 404.

The document's ``$ref``s point at the published schema files on the web; to run
offline they are read from ``oruk_schema/`` instead (the NOTICE there says so).
"""

import copy
import json
from io import StringIO
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

SCHEMA_DIR = Path(__file__).parent / "oruk_schema"
PUBLISHED_PREFIX = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
FIXTURES = Path(__file__).parent / "fixtures"


def _inline(node, here):
    """Replace each ``$ref`` to a schema file by that file's (inlined) content."""
    if isinstance(node, list):
        return [_inline(item, here) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and not ref.startswith("#"):
        path = SCHEMA_DIR / ref.removeprefix(PUBLISHED_PREFIX)
        if not ref.startswith(PUBLISHED_PREFIX):
            path = here / ref
        loaded = json.loads(path.read_text())
        return _inline(loaded, path.parent)
    result = {key: _inline(value, here) for key, value in node.items()}
    if result.get("type") == "time":  # not an OpenAPI 3.0 type: a string in time format
        result["type"] = "string"
        result["format"] = "time"
    return result


def offline_document():
    raw = json.loads((SCHEMA_DIR / "openapi.json").read_text())
    document = _inline(copy.deepcopy(raw), SCHEMA_DIR)
    document.pop("jsonSchemaDialect", None)  # a 3.1 keyword in a 3.0 document
    document["servers"] = [{"url": "/api/oruk"}]
    return document


schema = schemathesis.openapi.from_dict(offline_document())
schema.app = get_wsgi_application()


def bad_parameter_is_named(ctx, response, case):
    """A 400 says, in JSON, which parameter it refused."""
    if response.status_code == 400:
        body = json.loads(response.content)
        assert body.get("parameter"), f"400 without the parameter named: {body}"
        assert body["parameter"] in (case.query or {}), body


@pytest.fixture
def keep_the_test_connection():
    """Requests go through Django's WSGI handler, which closes the database
    connection after each one; inside a test transaction (PostgreSQL) that would
    end the test's transaction. Django's own test client stops this the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def directory_with_data(db, settings, keep_the_test_connection):
    settings.CONNECTING_PEOPLE = {**settings.CONNECTING_PEOPLE, "ORUK_FEED_PUBLIC": True}
    reference = Path(__file__).parent / "fixtures" / "oruk"
    paths = [
        reference / "service_full.json",
        reference / "organization_full.json",
        FIXTURES / "hsds3_befriending.json",
        FIXTURES / "hsds3_full_service.json",
    ]
    call_command("import_oruk", *map(str, paths), stdout=StringIO())


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    database=None,  # keep no example database in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_feed_conforms_to_the_oruk_openapi_document(case, directory_with_data):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
            bad_parameter_is_named,
        ]
    )


def test_each_single_item_answer_matches_its_schema_in_the_document(client, directory_with_data):
    """Generated ids find nothing (404), so each item endpoint is also read with
    real ids and its answer checked against the document's schema."""
    import jsonschema

    from toolkit.models import ServiceAtLocation, Taxonomy, TaxonomyTerm

    document = offline_document()
    link = ServiceAtLocation.objects.select_related("service").first()
    ids = {
        "/services/{id}": link.service.public_id,
        "/service_at_locations/{id}": link.public_id,
        "/taxonomies/{id}": Taxonomy.objects.first().public_id,
        "/taxonomy_terms/{id}": TaxonomyTerm.objects.first().public_id,
    }
    for path, public_id in ids.items():
        response = client.get("/api/oruk" + path.replace("{id}", str(public_id)))
        assert response.status_code == 200, path
        schema = document["paths"][path]["get"]["responses"]["200"]["content"]
        schema = schema["application/json"]["schema"]
        jsonschema.validate(response.json(), schema, format_checker=jsonschema.FormatChecker())
