"""The API against the HSDS 3.0 OpenAPI description, with schemathesis: generated requests
to every operation the specification declares, no server error, no response that
contradicts the specification's schemas.

The description (tests/data/hsds/schema/openapi.json, unchanged) points at the schemas
by their address on the web; its remote ``$ref``s are replaced here by the same files'
content from tests/data/hsds/schema, so nothing is fetched. The specification's own
faults, which a correct server cannot satisfy, are listed in README.md ("Open data") and
handled below, each where it arises.
"""

import json
from pathlib import Path

import jsonschema
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from services.hsds.serializers import TAXONOMY_ID

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "data" / "hsds" / "schema"
REMOTE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"


def _local(node, here: Path):
    """``node`` with every ``$ref`` to a schema file replaced by that file's content."""
    if isinstance(node, list):
        return [_local(item, here) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref", "")
    if ref and not ref.startswith("#"):
        path = (here / ref.removeprefix(REMOTE)).resolve()
        document = json.loads(path.read_text(encoding="utf-8"))
        document.pop("$id", None)
        document.pop("$schema", None)
        return _local(document, path.parent)
    return {key: _local(value, here) for key, value in node.items()}


def description() -> dict:
    document = json.loads((SCHEMA_DIR / "openapi.json").read_text(encoding="utf-8"))
    document = _local(document, SCHEMA_DIR)
    document["servers"] = [{"url": "/api/hsds"}]
    return document


schema = schemathesis.openapi.from_dict(description())


@pytest.fixture
def app():
    """The site's WSGI application, called in the test's thread and transaction.

    As Django's test client does: the connection is not closed at the end of each
    request, or the test's transaction would go with it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_the_hsds_openapi_description(case, catalogue, app):
    response = case.call(app=app)
    case.validate_response(response, checks=CHECKS)
    if case.method == "GET" and "id" in (case.path_parameters or {}):
        # A generated id finds nothing (a 404): ask for a record that exists too.
        case.path_parameters["id"] = existing_id(case.operation.path, catalogue)
        response = case.call(app=app)
        assert response.status_code == 200
        if case.operation.path == "/service_at_locations/{id}":
            # The specification's fault: it declares this answer as a service. Our
            # answer is what the path names; check it against that schema instead.
            case.validate_response(response, checks=[not_a_server_error])
            errors = SERVICE_AT_LOCATION.iter_errors(response.json())
            assert [error.message for error in errors] == []
        else:
            case.validate_response(response, checks=CHECKS)


SERVICE_AT_LOCATION = jsonschema.Draft202012Validator(
    json.loads((SCHEMA_DIR / "compiled" / "service_at_location.json").read_text(encoding="utf-8"))
)
CHECKS = [not_a_server_error, content_type_conformance, response_schema_conformance]


def existing_id(path: str, catalogue) -> str:
    lawyer = catalogue["services"]["lawyer"]
    return {
        "/services/{id}": str(lawyer.uuid),
        "/organizations/{id}": str(lawyer.association.uuid),
        "/service_at_locations/{id}": str(lawyer.site_uuid),
        "/taxonomies/{id}": TAXONOMY_ID,
        "/taxonomy_terms/{id}": str(catalogue["categories"]["legal"].uuid),
    }[path]
