"""Property-based API testing: every operation of openapi.json against the live server.

Asserts no 5xx and responses that conform to the committed schema, with and without a token.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from avatars.local import LocalServer

SPEC = Path(__file__).resolve().parents[2] / "openapi.json"
# Schema-valid requests may still break a business rule (k >= rows, a name already taken):
# those 4xx are correct, so the "valid data must be accepted" check does not apply.
BUSINESS_RULES = [positive_data_acceptance]
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def token_header(local_server: LocalServer) -> dict[str, str]:
    with local_server.client() as client:
        return {"Authorization": str(client.http.headers["Authorization"])}


# The committed spec, not the live one: the test also checks that the server honours it.
schema = schemathesis.openapi.from_path(SPEC)


@schema.parametrize()
@EXAMPLES
def test_api_with_token(
    case: schemathesis.Case, local_server: LocalServer, token_header: dict[str, str]
) -> None:
    case.call_and_validate(
        base_url=local_server.base_url, headers=token_header, excluded_checks=BUSINESS_RULES
    )


@schema.parametrize()
@EXAMPLES
def test_api_without_token(case: schemathesis.Case, local_server: LocalServer) -> None:
    case.call_and_validate(base_url=local_server.base_url, excluded_checks=BUSINESS_RULES)
