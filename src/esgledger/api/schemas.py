"""Request and response bodies of the API, as pydantic models for the OpenAPI schema.

Request bodies are validated by FastAPI before any service runs (a malformed body is a 422
problem). Response models document what the endpoints return; the bodies themselves are
the dicts the services build for ``esg … --json`` (see :func:`esgledger.api.deps.as_json`),
so the models describe those dicts and allow keys added later (``extra="allow"``).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL; larger ones cannot exist
Number = Annotated[float, Field(allow_inf_nan=False)]
Cell = Annotated[
    Number | str | None,
    Field(description="A number, or a status word as in a KPI file (`/`, `n.a.`, `-`)."),
]
Version = Annotated[
    int,
    Field(
        ge=1,
        le=2**31 - 1,
        description="The request version you saw; a request changed since is refused (409).",
    ),
]
Text = Annotated[str, Field(max_length=10_000)]
Name = Annotated[str, Field(max_length=200)]


class Body(BaseModel):
    """A request body: unknown keys are refused so a typo cannot pass silently."""

    model_config = ConfigDict(extra="forbid")


class IssueBody(Body):
    """`esg request issue`: one request per metric × entity (listed, a boundary's, a subtree)."""

    year: Annotated[int, Field(ge=1900, le=2100, description="Reporting year.")]
    metrics: Annotated[list[Name], Field(min_length=1, max_length=500, description="Metric ids.")]
    owner: Annotated[Name, Field(description="Username of who fills the values.")]
    due: Annotated[dt.date, Field(description="Due date (YYYY-MM-DD).")]
    entities: Annotated[list[Name], Field(max_length=5000)] = []
    boundary: Name | None = None
    subtree: Annotated[Name | None, Field(description="This entity and everything below.")] = None
    reviewer: Name | None = None
    breakdowns: Annotated[bool, Field(description="Also one request per breakdown member.")] = False
    instructions: Text = ""


class ValueBody(Body):
    """`esg request enter`: the value of a draft or returned request."""

    version: Version
    value: Cell
    unit: Name
    status: Name = ""
    qualifier: Name = ""
    preliminary: bool = False
    note: Text = ""
    source: Text = ""
    reason: Annotated[Text, Field(description="Restatement reason, to replace a value.")] = ""


class VersionBody(Body):
    """A review step naming the version seen (submit, approve, lock)."""

    version: Version


class ReturnBody(Body):
    version: Version
    comment: Annotated[Text, Field(description="Why: shown to the owner.")]


class RestateBody(Body):
    version: Version
    value: Cell
    unit: Name
    reason: Annotated[Text, Field(description="Why (published with the figure).")]
    status: Name = ""
    note: Text = ""


class CommentBody(Body):
    body: Text


class LockYearBody(Body):
    year: Annotated[int, Field(ge=1900, le=2100)]


class PasswordBody(Body):
    current: Annotated[str, Field(max_length=1024, description="The password in use now.")]
    new: Annotated[
        str, Field(max_length=1024, description="The new one; the CLI's and the page's rules.")
    ]


# ---------------------------------------------------------------------------------------------
# Responses


class Out(BaseModel):
    """A response body; keys beyond the documented ones may appear in later versions."""

    model_config = ConfigDict(extra="allow")


class Problem(Out):
    """RFC 9457 problem details: every error the API returns."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
    problems: list[dict[str, Any]] | None = None


PROBLEM_CONTENT = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def problems(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """``responses=`` for the error statuses an endpoint can answer, as problem+json."""
    text = {
        400: "The request cannot be carried out as given.",
        401: "Missing, unknown or revoked bearer token.",
        403: "The user's role or entity grants do not allow this.",
        404: "No such record.",
        409: "Clashes with what is stored (stale version, wrong state); nothing was changed.",
        413: "The request body is larger than ESG_MAX_UPLOAD_MB; nothing was changed.",
        422: "Invalid input or a refused file; nothing was changed.",
        429: "Too many failed attempts; retry after the Retry-After seconds.",
    }
    return {s: {"description": text[s], "content": PROBLEM_CONTENT} for s in statuses}


Json = Any  # a JSON value whose shape depends on the record (payloads, totals, figures…)


class EntityOut(Out):
    id: str
    name: str
    kind: str | None = None
    parent: str | None = None
    country: str | None = None
    subdivision: str | None = None


class Scope3ScreeningOut(Out):
    category: str
    relevant: bool
    reason: str
    note: str
    method: str | None = None
    data_quality: int | None = None
    batch: int


class BoundaryOut(Out):
    code: str
    year: int
    family: str | None = None
    approach: str | None = None
    basis: str | None = None
    change_note: str | None = None
    members: int
    member_shares: dict[str, float] | None = None
    change: dict[str, Json] | None = None


class MetricOut(Out):
    id: str
    area: str
    name: str
    unit: str
    kind: str
    dimensions: list[str]


class ActivityOut(Out):
    id: int
    entity: str
    start: str
    end: str
    activity: str
    quantity: float
    unit: str
    attributes: dict[str, Json]
    batch: int | None = None


def _doc(text: str) -> Any:
    return Field(default=None, description=text)


class KpiFigure(Out):
    """One year's figure of a KPI: its value, the source used and why, both sides where a
    value was reported and recomputed, and why it is partial, incomplete or not available."""

    value: float | None = _doc("The figure used; null when not available (never zero).")
    unit: str
    source: str = Field(description="reported | calculated | derived | missing")
    status: str = Field(description="reported | not_disclosed | not_applicable | missing")
    note: str = ""
    note_why: list[dict[str, Json]] = Field(
        default_factory=list,
        description="The note's parts as codes and their values, for a client to word in its "
        "own language (the codes of kpi.register_figures.notes); parts without a code are in "
        "`note` only.",
    )
    used: str | None = _doc("Which figure is used: reported or calculated; null if none.")
    reported: float | None = _doc("The reported value, if any.")
    recomputed: float | None = _doc("The value recomputed from the ledger, if any.")
    difference: float | None = _doc("Reported minus recomputed, when both exist.")
    tolerance: float | None = _doc("What rounding of the printed figures allows (±).")
    why: str | None = _doc("Why the used figure is used.")
    why_code: str | None = _doc(
        "`why` as a code, for a client to word in its own language (also under "
        "`comparison`): takes_precedence, recomputed_incomplete, recomputed_partial, "
        "nothing_recomputed, nothing_reported; null when `why` is null."
    )
    partial: bool = Field(description="Boundary members have no data of the metric's family.")
    partial_reason: str | None = _doc("Which members the figure leaves out.")
    incomplete: bool = Field(description="From a calculation run with unresolved rows.")
    incomplete_reason: str | None = _doc("Which run left rows unresolved, and how many.")
    incomplete_why: dict[str, Json] | None = _doc(
        "Why it is incomplete as a code and its values, for a client to word in its own "
        "language: unresolved (run, rows), screening_gaps (categories; for the Scope 3 total "
        "also category_rows, the categories with unresolved rows and their counts), "
        "category_rows (rows), unresolved_categories (category_rows: a Scope 3 total short only of "
        "its categories' unresolved rows), inputs (metrics); null when complete."
    )
    not_available_reason: str | None = _doc("Why there is no value (null when there is one).")
    comparison: dict[str, Json] | None = _doc("Both sides as `esg kpi --json` gives them.")


class KpiRow(Out):
    metric: str
    name: str
    area: str
    dims: dict[str, str]
    unit: str
    values: dict[str, float | None]
    figures: dict[str, KpiFigure | None] = Field(
        description="Per year (as text): the figure with its source, reasons and marks."
    )
    change_pct: float | None = _doc("Year-on-year change of the last year, in %.")
    change_caveat: str | None = _doc(
        "Why the change is not a final comparison (a partial or incomplete year); null if final."
    )


class KpiSeries(Out):
    """Every KPI over ``years`` years up to ``year`` (the report appendix's table)."""

    year: int
    years: list[int]
    boundaries: Json
    kpis: list[KpiRow]


class RunListItem(Out):
    run_id: int
    year: int
    boundary: str | None = None
    profile: str
    created_at: str
    input_digest: str
    totals: dict[str, Json]


class RunOut(RunListItem):
    options: dict[str, Json]
    editions: Json
    activity_rows: int
    by_entity: Json
    by_gas: Json
    by_activity: Json
    unresolved: list[Json]
    unresolved_rows: int
    edition_rule: dict[str, Json]
    resolution_notes: list[str]
    incomplete: bool = False  # unresolved rows: the totals in incomplete_figures are short
    incomplete_figures: list[str] = []


class Finding(Out):
    rule: str
    severity: str
    metrics: list[str]
    entity: str | None = None
    year: int
    expected: Json = None
    found: Json = None
    explanation: str
    fix: str
    key: str


class FindingsOut(Out):
    year: int
    boundary: str | None = None
    counts: dict[str, int]
    findings: list[Finding]


class DataRequest(Out):
    """A data request as ``esg request list --json`` prints it."""

    id: int
    year: int
    metric: str
    entity: str
    dims: dict[str, str]
    owner: str | None = None
    reviewer: str | None = None
    due: dt.date
    overdue: bool
    state: str = Field(description="draft, submitted, returned, approved or locked")
    version: int = Field(description="Send it back with the next step (optimistic locking).")
    value: float | None = None
    unit: str | None = None
    status: str | None = None
    value_id: int | None = None
    entered_value_id: int | None = None
    submitted_value_id: int | None = None
    value_as_submitted: bool
    instructions: str
    updated_at: str
    updated_by: str


class Comment(Out):
    author: str
    kind: str = Field(description="comment, return or restate")
    body: str
    at: str


class Evidence(Out):
    id: int
    request: int
    name: str
    media_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: str


class HistoryStep(Out):
    event: int
    at: str
    actor: str
    action: str
    payload: Json


class DataRequestDetail(DataRequest):
    comments: list[Comment]
    evidence: list[Evidence]
    history: list[HistoryStep]


class PasswordChanged(Out):
    changed: bool
    revoked_other_tokens: bool


class IssueResult(Out):
    created: int
    existing: int
    ids: list[int]


class Locked(Out):
    locked: list[int]


class UploadResult(Out):
    batch_id: int | None = None
    added: int
    updated: int
    restated: int
    unchanged: int


class EntityImport(Out):
    batch_id: int | None = None
    added: int
    updated: int
    unchanged: int


class ActivityImport(Out):
    batch_id: int
    rows: int
    entities: int
    activities: list[str]
    period: list[str]


class KpiImport(Out):
    batch_id: int | None = None
    added: int
    updated: int | None = Field(
        default=None, description="A data owner's import: own request values corrected."
    )
    restated: int
    unchanged: int


class Assessment(Out):
    id: int
    year: int
    name: str | None = None
    mode: str
    rule: str
    weighting: str
    axes: list[str]
    low_threshold: float
    high_threshold: float
    library: str | None = None
    status: str
    topics: int
    respondents: int
    responses: int
    scored_at: str | None = None


class MatrixTopic(Out):
    topic: str
    name: str
    domain: str | None = None
    material: bool | None = None
    tier: str | None = None


class Approval(Out):
    body: str
    date: str
    resolution: str
    actor: str


class MaterialityMatrix(Out):
    assessment: Assessment
    stored: bool
    stale: bool
    method: dict[str, Json]
    topics: list[MatrixTopic]
    approvals: list[Approval]


class Risk(Out):
    code: str
    version: int
    title: str
    category: str
    statement: dict[str, str]
    entity: str | None = None
    owner: str
    likelihood: int
    impacts: dict[str, int]
    impact: float
    score: float
    level: str
    response: str
    rationale: str
    review_due: str | None = None
    last_reviewed: str | None = None
    overdue: bool
    status: str
    history: list[dict[str, Json]] | None = None


class TargetOut(Out):
    code: str
    metric: str
    kind: str
    operator: str
    target_value: float
    unit: str
    tolerance: float
    scope: str
    base_year: int | None = None
    base_value: float | None = None
    start_year: int | None = None
    target_year: int
    description: str


class TargetProgress(Out):
    target: str
    metric: str
    operator: str
    target_value: float
    unit: str
    target_year: int
    year: int | None = None
    actual_source: str | None = None


class AuditEvent(Out):
    id: int
    ts: str
    actor: str
    action: str
    subject: str
    payload: Json
    hash: str


class AuditPage(Out):
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")
    events: list[AuditEvent]


class AuditVerify(Out):
    events: int
    ok: bool
    broken_id: int | None = None
    reason: str
    head: str | None = None  # SEQ:HASH of the newest event, to anchor elsewhere


class MeOut(Out):
    username: str
    role: str
    scope: list[str]  # every entity the user's grants cover, subtrees expanded


class UserOut(Out):
    username: str
    display_name: str
    email: str
    role: str
    active: bool
    password: bool
    grants: list[str]
    created_at: str


class PublishedReportOut(Out):
    id: int
    year: int
    edition: int = Field(description="1 for the year's first publication, then 2, 3…")
    format: str = Field(description="html, pdf or xlsx")
    file: str
    media_type: str
    size: int
    sha256: str
    published_at: str
    published_by: str


class OhsHours(Out):
    entity: str
    year: int
    worker_type: str
    hours: float


class SlaClock(Out):
    state: str
    since: str
    due: str | None = None
    overdue: bool


class OhsIncident(Out):
    id: int
    ref: str
    entity: str
    date: str
    worker_type: str
    kind: str
    high_consequence: bool
    lost_days: int
    state: str
    clock: SlaClock
    version: int


class OhsIncidentPage(Out):
    total: int
    rows: list[OhsIncident]


class WhistleCounts(Out):
    """Whistleblowing cases counted (no content, no case codes): visible to KPI readers."""

    year: int | None = None
    received: int
    by_type: dict[str, int]
    by_channel: dict[str, int]
    by_state: dict[str, int]
    substantiated: int
    closed: int
    closed_within_sla: int


class WhistleCase(Out):
    code: str
    entity: str
    channel: str
    type: str
    received: str
    description: str
    state: str
    investigator: str
    outcome: str
    corrective_action: str
    closed: str | None = None
    retaliation_note: str
    clock: SlaClock
    version: int


class WhistleCasePage(Out):
    total: int
    rows: list[WhistleCase]


class WhistleLinksBody(Body):
    """`esg register whistle links`: one-time intake links for an entity and channel."""

    entity: Name
    channel: Name = "web"
    count: int = Field(default=1, ge=1, le=1000)


class WhistleLinks(Out):
    entity: str
    channel: str
    tokens: list[str]


class WhistleMoveBody(Body):
    """`esg register whistle move`: the next state and what it needs."""

    version: Version
    state: Name
    investigator: Name = ""
    outcome: Name = ""
    corrective_action: str = Field(default="", max_length=8000)
    note: str = Field(default="", max_length=8000)
