"""Jobs, distributions (assignments), accept / decline, recalls and the roster (A-1 … A-5, A-7)."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from crmkit.auth import CurrentPrincipal
from crmkit.dependencies import DbPool
from crmkit.idempotency import Idempotent
from crmkit.pagination import DEFAULT_LIMIT, Cursor, Limit, Page
from crmkit.unit_of_work import UnitOfWork

from crm_assignment.domain import sla
from crm_assignment.domain.distribution import STRATEGIES, TERRITORY_STRATEGIES
from crm_assignment.handlers import assignments as handlers
from crm_assignment.handlers import jobs, roster

router = APIRouter(prefix="/api/v1", tags=["assignment"])
RESPONSES: dict[int | str, dict[str, Any]] = {404: {"description": "not_found"},
                                              403: {"description": "not_a_distributor"}}
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class JobCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    content: Text
    type: Annotated[str, Field(min_length=1, max_length=100, examples=["Gọi điện tư vấn"])]
    target: Annotated[str | None, Field(max_length=2000)] = None
    sla_minutes: int | None = Field(None, ge=1, le=sla.MAX_SLA_MINUTES, description="speed-to-lead SLA (A-6): each"
                                    " lead must be contacted by its rep within this many minutes of owning it, else"
                                    " it is recalled and redistributed; none: no SLA")
    warn_before_minutes: int | None = Field(None, ge=0, le=sla.MAX_SLA_MINUTES, description="the rep is warned this"
                                            " long before the deadline (less than sla_minutes; default a quarter"
                                            " of it; 0: no warning)")

    @model_validator(mode="after")
    def _warning_within_sla(self) -> JobCreate:
        if not sla.warn_before_valid(self.sla_minutes, self.warn_before_minutes):
            raise ValueError("warn_before_minutes must be less than sla_minutes (and needs an SLA)")
        return self


class JobPublic(BaseModel):
    id: uuid.UUID
    content: str
    type: str
    target: str | None
    created_by: uuid.UUID
    created_at: datetime
    sla_minutes: int | None = None
    warn_before_minutes: int = 0


class Quantity(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user_id: uuid.UUID
    count: int = Field(ge=1, le=handlers.MAX_CUSTOMERS)


def _exactly_one_of(*names: str) -> dict[str, Any]:
    """In the OpenAPI document: one of the fields given (not null), the others absent or null."""
    return {"oneOf": [{"required": [given], "properties": {given: {"not": {"type": "null"}},
                                                           **{other: {"type": "null"} for other in names if other != given}}}
                      for given in names]}


class DistributionCreate(BaseModel):
    """A selection divided among reps under a job (exactly one of an existing `job_id` or a `job`
    created now): exactly one of explicit `quantities` per rep that add up to the selection, or
    `assignees` (with an optional `strategy`). `direct`: the reps own the customers at once; otherwise each accepts or declines
    within `accept_within_hours`, or `accept_within_minutes` (at least 5: a speed-to-lead offer).
    The selection: exactly one of `customer_ids` or a `filter` (every match the caller may hand over)."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "allOf": [_exactly_one_of("customer_ids", "filter"), _exactly_one_of("job_id", "job"),
                  _exactly_one_of("quantities", "assignees")]})

    customer_ids: list[uuid.UUID] | None = Field(None, min_length=1, max_length=handlers.MAX_CUSTOMERS)
    filter: dict[str, Any] | None = Field(
        None, max_length=50, description="the filter object of GET /customers and POST /customers/bulk (`q`, `scope`,"
        " `status`, `labels`, `groups`, `owner_id`, `owner_unit_id`, dates, `attributes`…), checked by the customers"
        " service: every matching customer the caller may hand over, at most 100,000 (422 too_many_matched)")
    text: Text = Field(description="the assignment text (Nội dung giao việc)")
    job_id: uuid.UUID | None = None
    job: JobCreate | None = None
    quantities: list[Quantity] | None = Field(None, min_length=1, max_length=1000)
    strategy: Literal[STRATEGIES + TERRITORY_STRATEGIES] | None = Field(  # type: ignore[valid-type]
        None, description="round_robin (default), weighted, least_loaded; by_unit: to reps of the customer's owning"
        " unit (or below), the rest round-robin (`fallback`); by_province: to reps of the unit its province is mapped"
        " to (/territories), the rest not assigned (`uncovered`)")
    assignees: list[uuid.UUID] | None = Field(None, min_length=1, max_length=1000)
    direct: bool = False
    accept_within_hours: int = Field(handlers.DEFAULT_ACCEPT_HOURS, ge=1, le=24 * 30)
    accept_within_minutes: int | None = Field(None, ge=5, le=24 * 60 * 30,
                                              description="instead of accept_within_hours (not both)")
    recall_first: bool = Field(False, description="recall the customers from the open assignments they are in first"
                                                 " (A-5: assign and recall in one operation)")

    @model_validator(mode="after")
    def _one_deadline(self) -> DistributionCreate:
        if self.accept_within_minutes is not None and "accept_within_hours" in self.model_fields_set:
            raise ValueError("accept_within_hours or accept_within_minutes, not both")
        return self

    @property
    def accept_within(self) -> timedelta:
        if self.accept_within_minutes is not None:
            return timedelta(minutes=self.accept_within_minutes)
        return timedelta(hours=self.accept_within_hours)


class AssignmentPublic(BaseModel):
    id: uuid.UUID
    job_id: uuid.UUID
    assignee_id: uuid.UUID
    assigned_by: uuid.UUID
    text: str
    direct: bool
    status: Literal["offered", "accepted", "declined", "expired"]
    expires_at: datetime | None
    created_at: datetime
    decided_at: datetime | None
    decline_reason: str | None = Field(None, description="why the rep declined, when they said so")
    customer_count: int
    open_count: int = Field(description="customers still held or owned through this assignment")
    customer: AssignmentCustomer | None = Field(None, description="listed by customer_id: that customer in it"
                                                                  " (state, SLA deadline, first contact)")
    strategy: str | None = Field(None, description="how the share was chosen: quantities, round_robin, …")
    redistributed_from: uuid.UUID | None = Field(None, description="the assignment whose missed SLA this one"
                                                                   " deals again (A-6)")


class AssignmentCustomer(BaseModel):
    customer_id: uuid.UUID
    previous_owner_id: uuid.UUID | None
    state: Literal["open", "returned", "recalled"]
    contact_due_at: datetime | None = Field(None, description="SLA (A-6): contact the customer by then, or lose it")
    warned_at: datetime | None = None
    contacted_at: datetime | None = Field(None, description="the holder's first contact (a call, note, comment,"
                                                            " care ticket) since owning the customer")
    closed_at: datetime | None = Field(None, description="when the customer left the assignment")
    recall_reason: str | None = Field(None, description="why it was recalled: recalled (by a manager),"
                                                        " assignee_recalled (all of a rep's), sla_missed")


class AssignmentDetail(AssignmentPublic):
    contact_due_at: datetime | None = Field(None, description="the earliest deadline among its open, not yet"
                                                              " contacted customers")
    customers: list[AssignmentCustomer]


class Uncovered(BaseModel):
    count: int
    customer_ids: list[uuid.UUID] = Field(description="the first 100")


class DistributionPublic(BaseModel):
    job: JobPublic
    assignments: list[AssignmentPublic]
    matched: int = Field(description="customers named, or matched by the filter")
    assigned: int = Field(description="customers handed over")
    fallback: int = Field(0, description="by_unit: customers no chosen rep's unit covers, dealt round-robin")
    uncovered: Uncovered = Field(description="by_province: customers no chosen rep covers, not assigned")


class DeclineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Annotated[str | None, Field(max_length=500, description="why (optional); shown to the assigner")] = None


class RecallCreate(BaseModel):
    """One assignment's customers (all, or `customer_ids`); a job's (seed 004, 6.2.2: the job
    chosen, the customers selected in the list taken back from whichever of its open assignments
    holds them; all when none are named); or every open customer of a rep (`assignee_id`). Only
    from assignments the caller may recall."""
    model_config = ConfigDict(extra="forbid", json_schema_extra={"allOf": [_exactly_one_of(
        "assignment_id", "job_id", "assignee_id")]})

    assignment_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    customer_ids: list[uuid.UUID] | None = Field(None, min_length=1, max_length=handlers.MAX_CUSTOMERS,
                                                 description="with assignment_id or job_id; omitted: every"
                                                             " customer still open in it")


class RecallPublic(BaseModel):
    assignment_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    assignee_id: uuid.UUID | None = None
    assignments: list[uuid.UUID] = Field(default_factory=list, description="with job_id or assignee_id: the"
                                                                           " assignments recalled from")
    recalled: list[uuid.UUID]
    skipped: list[uuid.UUID] = Field(description="named but not open in the assignment (any more)")


class RosterEntry(BaseModel):
    user_id: uuid.UUID
    username: str
    full_name: str
    unit_id: uuid.UUID | None
    unit_path: str | None
    weight: int
    capacity: int | None
    open_leads: int
    room: int | None = Field(description="capacity - open leads, never below 0; null without capacity")


class RosterUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    weight: int | None = Field(None, ge=1, le=100)
    capacity: int | None = Field(None, ge=1, le=1_000_000, description="null: no limit")


@router.post("/jobs", status_code=201, response_model=JobPublic, responses=RESPONSES)
async def create_job(body: JobCreate, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    async with UnitOfWork(pool, source=jobs.SOURCE) as uow:
        return await jobs.create(uow, principal, content=body.content, type_=body.type, target=body.target,
                                 sla_minutes=body.sla_minutes, warn_before_minutes=body.warn_before_minutes)


@router.get("/jobs", response_model=Page[JobPublic], responses=RESPONSES)
async def list_jobs(pool: DbPool, principal: CurrentPrincipal, limit: Limit = DEFAULT_LIMIT,
                    cursor: Cursor = None) -> Page[JobPublic]:
    rows, next_cursor = await jobs.list_jobs(pool, principal, limit=limit, cursor=cursor)
    return Page[JobPublic](items=[JobPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/jobs/{job_id}", response_model=JobPublic, responses=RESPONSES)
async def get_job(job_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await jobs.get(pool, principal, job_id)


@router.post("/assignments", status_code=201, response_model=DistributionPublic, responses={
    **RESPONSES, 409: {"description": "customers_already_assigned"},
    422: {"description": "validation_error, quantities_mismatch, capacity_exceeded, too_many_matched,"
                         " nothing_covered"},
    503: {"description": "customers_unavailable (the customers service could not be asked: a filter, or"
                         " customers created moments ago)"}})
async def distribute(body: DistributionCreate, principal: CurrentPrincipal, request: Request,
                     once: Idempotent) -> Response:
    """Giao việc / chia lead (A-3, A-4). `Idempotency-Key` supported."""
    made = await handlers.distribute(
        once.pool, principal=principal, customer_ids=body.customer_ids, text=body.text, job_id=body.job_id,
        customer_filter=body.filter,
        customers=request.app.state.customers.on_behalf_of(request.headers.get("authorization", ""),
                                                           request.headers.get("accept-language")),
        new_job=({"content": body.job.content, "type_": body.job.type, "target": body.job.target,
                  "sla_minutes": body.job.sla_minutes, "warn_before_minutes": body.job.warn_before_minutes}
                 if body.job else None),
        quantities=[(q.user_id, q.count) for q in body.quantities] if body.quantities else None,
        strategy=body.strategy, assignees=body.assignees, direct=body.direct,
        accept_within=body.accept_within, recall_first=body.recall_first)
    return once.answer(Response(DistributionPublic.model_validate(made).model_dump_json(), status_code=201,
                                media_type="application/json"))


@router.get("/assignments", response_model=Page[AssignmentPublic])
async def list_assignments(pool: DbPool, principal: CurrentPrincipal,
                           scope: Literal["all", "mine", "made"] = "all",
                           status: Literal["offered", "accepted", "declined", "expired"] | None = None,
                           job_id: uuid.UUID | None = None, customer_id: uuid.UUID | None = None,
                           limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None) -> Page[AssignmentPublic]:
    """Newest first: all the caller may see, `mine` (given to me), `made` (distributed by me);
    `customer_id`: those holding the customer (any state), each with its row (`customer`)."""
    rows, next_cursor = await handlers.list_assignments(
        pool, principal=principal, scope=scope, status=status, job_id=job_id, customer_id=customer_id, limit=limit,
        cursor=cursor)
    return Page[AssignmentPublic](items=[AssignmentPublic.model_validate(r) for r in rows], next_cursor=next_cursor)


@router.get("/assignments/{assignment_id}", response_model=AssignmentDetail, responses=RESPONSES)
async def get_assignment(assignment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await handlers.get(pool, principal=principal, assignment_id=assignment_id)


@router.post("/assignments/{assignment_id}/accept", response_model=AssignmentPublic, responses={
    403: {"description": "not_assignee (the assigner, a manager above the assignee, an admin)"},
    404: {"description": "not_found"}, 409: {"description": "assignment_not_offered"}})
async def accept(assignment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """The rep takes an offer made to them: they own its customers."""
    return await handlers.accept(pool, principal=principal, assignment_id=assignment_id)


@router.post("/assignments/{assignment_id}/decline", response_model=AssignmentPublic, responses={
    403: {"description": "not_assignee (the assigner, a manager above the assignee, an admin)"},
    404: {"description": "not_found"}, 409: {"description": "assignment_not_offered"}})
async def decline(assignment_id: uuid.UUID, pool: DbPool, principal: CurrentPrincipal,
                  body: DeclineCreate | None = None) -> dict[str, Any]:
    """The rep refuses an offer, optionally saying why (`reason`): its customers return to the pool
    and the assigner is notified. The body may be omitted."""
    return await handlers.decline(pool, principal=principal, assignment_id=assignment_id,
                                  reason=body.reason if body else None)


@router.post("/recalls", response_model=RecallPublic, responses=RESPONSES)
async def recall(body: RecallCreate, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    """Thu hồi (A-5): ownership of the recalled customers reverts to their previous owner."""
    return await handlers.recall(pool, principal=principal, assignment_id=body.assignment_id, job_id=body.job_id,
                                 assignee_id=body.assignee_id, customer_ids=body.customer_ids)


@router.get("/roster", response_model=list[RosterEntry], responses=RESPONSES)
async def get_roster(pool: DbPool, principal: CurrentPrincipal) -> list[dict[str, Any]]:
    """Active sales reps within the caller's reach, with weight, capacity and open leads (A-1)."""
    return await roster.list_roster(pool, principal=principal)


@router.patch("/roster/{user_id}", response_model=RosterEntry, responses=RESPONSES)
async def tune_roster(user_id: uuid.UUID, body: RosterUpdate, pool: DbPool, principal: CurrentPrincipal) -> dict[str, Any]:
    return await roster.tune(pool, principal=principal, user_id=user_id,
                             changes=body.model_dump(exclude_unset=True))
