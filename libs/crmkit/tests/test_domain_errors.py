"""Use cases refuse in the domain's words (crmkit.domain_errors); the edge maps each kind to one
HTTP answer (crmkit.errors). That no handlers/ or domain/ module speaks HTTP is checked with the
other shape rules, in test_import_graph.py."""
from __future__ import annotations

import httpx
import pytest
from fastapi import APIRouter

from crmkit import domain_errors as domain
from crmkit.errors import ProblemError, problem_of_domain_error, status_of_domain_error
from crmkit.service import ServiceSpec, create_service_app
from crmkit.settings import ServiceSettings


@pytest.mark.parametrize(("error", "status"), [
    (domain.BadRequest("invalid_cursor"), 400), (domain.Unauthenticated("invalid_credentials"), 401),
    (domain.Forbidden("not_editable"), 403), (domain.NotFound(), 404), (domain.Conflict("phone_exists"), 409),
    (domain.Gone("export_expired"), 410), (domain.VersionConflict(), 412), (domain.TooLarge(), 413),
    (domain.UnsupportedType(), 415), (domain.Invalid(domain.FieldError("name", "required")), 422),
    (domain.Locked("account_locked"), 423), (domain.VersionRequired(), 428), (domain.TooManyRequests(), 429),
])
def test_each_kind_of_refusal_has_one_status(error, status):
    assert status_of_domain_error(error) == status


def test_details_become_members_and_headers_but_never_replace_the_standard_ones():
    problem = problem_of_domain_error(domain.Locked("account_locked", details={"retry_after": 30}))
    assert (problem.status, problem.code, problem.extra, problem.headers) == (
        423, "account_locked", {"retry_after": 30}, {"Retry-After": "30"})
    conflict = problem_of_domain_error(domain.VersionConflict(details={"current_version": 7}))
    assert conflict.headers["ETag"] == '"7"'
    with pytest.raises(ValueError):
        domain.Conflict("assignment_not_offered", details={"status": "declined"})


async def test_a_refusal_raised_by_a_use_case_is_problem_json(tmp_path):
    router = APIRouter()

    @router.get("/api/v1/things/{thing_id}")
    async def read_thing(thing_id: str) -> dict[str, str]:
        raise domain.NotFound()

    @router.post("/api/v1/things")
    async def create_thing() -> dict[str, str]:
        raise domain.Invalid(domain.FieldError("name", "required"))

    app = create_service_app(ServiceSpec(name="refusals", settings=ServiceSettings(service_name="refusals"),
                                         migrations_dir=tmp_path, routers=[router], keeps_directory=False))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
        missing = await client.get("/api/v1/things/x", headers={"accept-language": "en"})
        invalid = await client.post("/api/v1/things")
    assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
    assert missing.json()["code"] == "not_found" and missing.json()["status"] == 404
    assert invalid.status_code == 422 and invalid.json()["errors"][0]["field"] == "name"


def test_problem_error_stays_the_http_layers_own():
    assert not issubclass(ProblemError, domain.DomainError)
