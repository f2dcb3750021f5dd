"""Assessment tables: double materiality, the enterprise risk register, climate risks and
opportunities, carbon-price paths, and targets.

Same conventions as :mod:`esgledger.ledger.models`: naive UTC datetimes from ``utcnow``,
structured values as canonical JSON in ``Text`` columns, only column types the backup
archive knows. Computed figures (scores, exposures, progress) are derived from these rows;
only a materiality scoring is stored, because the board approves that snapshot.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from esgledger.ledger.models import Base, BigId, utcnow

# ---------------------------------------------------------------------------------------------
# Materiality


class MaterialityAssessment(Base):
    """One materiality assessment of a year: its mode, rule, thresholds and weighting."""

    __tablename__ = "materiality_assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    name: Mapped[str] = mapped_column(String(120))
    mode: Mapped[str] = mapped_column(String(16))  # double | single (legacy, two importances)
    rule: Mapped[str] = mapped_column(String(16))  # double | esrs
    weighting: Mapped[str] = mapped_column(String(16))  # respondent | group
    low_threshold: Mapped[float] = mapped_column(Float)
    high_threshold: Mapped[float] = mapped_column(Float)
    library: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | approved
    scored_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    score_meta: Mapped[str] = mapped_column(Text, default="")  # canonical JSON of the scoring
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}
    __table_args__ = (UniqueConstraint("year", "name"),)


class MaterialityTopic(Base):
    """A topic of one assessment, copied from a library and editable until responses arrive."""

    __tablename__ = "materiality_topics"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"))
    code: Mapped[str] = mapped_column(String(80))
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(80), default="")
    szse17: Mapped[str] = mapped_column(String(200), default="")
    gri: Mapped[str] = mapped_column(String(200), default="")
    esrs: Mapped[str] = mapped_column(String(80), default="")
    owner_team: Mapped[str] = mapped_column(String(120), default="")
    source: Mapped[str] = mapped_column(String(80), default="user")
    position: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("assessment_id", "code"),)


class StakeholderGroup(Base):
    """A respondent group with the axis its questionnaire rates and its weight."""

    __tablename__ = "materiality_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"))
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(120))
    axis: Mapped[str] = mapped_column(String(16))
    weight: Mapped[float] = mapped_column(Float, default=1.0)

    __table_args__ = (UniqueConstraint("assessment_id", "code"),)


class Respondent(Base):
    """One person asked; only a hash of their one-time token is kept."""

    __tablename__ = "materiality_respondents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"))
    group_id: Mapped[int] = mapped_column(ForeignKey("materiality_groups.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    weight: Mapped[float] = mapped_column(Float, default=1.0)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    issued_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    responded_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("assessment_id", "name"),)


class MaterialityResponse(Base):
    """One respondent's rating of one topic: the criteria as given and the combined score."""

    __tablename__ = "materiality_responses"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    respondent_id: Mapped[int] = mapped_column(ForeignKey("materiality_respondents.id"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("materiality_topics.id"), index=True)
    axis: Mapped[str] = mapped_column(String(16))
    score: Mapped[float] = mapped_column(Float)
    criteria: Mapped[str] = mapped_column(Text)  # canonical JSON
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batches.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("respondent_id", "topic_id"),)


class MaterialityScore(Base):
    """A stored scoring of one topic on one axis (replaced by rescoring until approval)."""

    __tablename__ = "materiality_scores"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("materiality_topics.id"))
    axis: Mapped[str] = mapped_column(String(16))
    mean: Mapped[float] = mapped_column(Float)
    norm: Mapped[float] = mapped_column(Float)
    level: Mapped[str] = mapped_column(String(24))
    responses: Mapped[int] = mapped_column(Integer)
    std: Mapped[float] = mapped_column(Float)
    ci_low: Mapped[float] = mapped_column(Float)
    ci_high: Mapped[float] = mapped_column(Float)
    robust: Mapped[bool] = mapped_column(Boolean)
    sensitive_to: Mapped[str] = mapped_column(Text, default="")  # ";"-joined group codes

    __table_args__ = (UniqueConstraint("topic_id", "axis"),)


class MaterialityApproval(Base):
    """The approving body's decision on a scored assessment."""

    __tablename__ = "materiality_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"), index=True)
    body: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.date] = mapped_column(Date)
    resolution: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class MaterialityIro(Base):
    """An impact, risk or opportunity recorded for a material topic."""

    __tablename__ = "materiality_iros"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("materiality_assessments.id"), index=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("materiality_topics.id"))
    kind: Mapped[str] = mapped_column(String(16))  # impact | risk | opportunity
    text: Mapped[str] = mapped_column(Text)
    risk_code: Mapped[str] = mapped_column(String(32), default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# ---------------------------------------------------------------------------------------------
# Enterprise risk register


class RiskCategory(Base):
    """A category a user added to the shipped risk dictionary."""

    __tablename__ = "risk_categories"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    parent: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RiskMatrix(Base):
    """The workspace's scoring matrix (one row; absent means the documented defaults)."""

    __tablename__ = "risk_matrix"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    impact_rule: Mapped[str] = mapped_column(String(8))  # max | mean
    high_cutoff: Mapped[float] = mapped_column(Float)
    medium_cutoff: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Risk(Base):
    """The current version of a register entry; every version is kept in ``risk_revisions``."""

    __tablename__ = "risks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    cause: Mapped[str] = mapped_column(Text, default="")
    event: Mapped[str] = mapped_column(Text, default="")
    consequence: Mapped[str] = mapped_column(Text, default="")
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    likelihood: Mapped[int] = mapped_column(Integer)
    impact_financial: Mapped[int] = mapped_column(Integer)
    impact_reputational: Mapped[int] = mapped_column(Integer)
    impact_legal: Mapped[int] = mapped_column(Integer)
    impact_safety: Mapped[int] = mapped_column(Integer)
    impact_operational: Mapped[int] = mapped_column(Integer)
    impact_environmental: Mapped[int] = mapped_column(Integer)
    impact_other: Mapped[int] = mapped_column(Integer)
    response: Mapped[str] = mapped_column(String(8))  # avoid | reduce | share | retain
    rationale: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(120), default="")
    review_due: Mapped[dt.date | None] = mapped_column(Date)
    last_reviewed: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | closed
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class RiskRevision(Base):
    """One version of a risk as it stood, so editing never loses history."""

    __tablename__ = "risk_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    risk_id: Mapped[int] = mapped_column(ForeignKey("risks.id"))
    version: Mapped[int] = mapped_column(Integer)
    snapshot: Mapped[str] = mapped_column(Text)  # canonical JSON
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("risk_id", "version"),)


# ---------------------------------------------------------------------------------------------
# Climate risks and opportunities


class ClimateItem(Base):
    """A climate risk or opportunity in a TCFD category, with impact and response text."""

    __tablename__ = "climate_items"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # risk | opportunity
    category: Mapped[str] = mapped_column(String(40))  # TCFD category code
    name: Mapped[str] = mapped_column(String(200))
    scenario_family: Mapped[str] = mapped_column(String(16))  # IPCC_SSP | IEA_WEO
    impact: Mapped[str] = mapped_column(Text, default="")
    response: Mapped[str] = mapped_column(Text, default="")
    owner_team: Mapped[str] = mapped_column(String(120), default="")
    risk_code: Mapped[str] = mapped_column(String(32), default="")  # link to the ERM register
    reviewed_by: Mapped[str] = mapped_column(String(120), default="")
    reviewed_on: Mapped[dt.date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class ClimateRating(Base):
    """Low / Medium / High for a horizon; ``scenario`` '' is the published (collapsed) rating."""

    __tablename__ = "climate_ratings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("climate_items.id"))
    horizon: Mapped[int] = mapped_column(Integer)  # anchor year
    scenario: Mapped[str] = mapped_column(String(32), default="")
    level: Mapped[str] = mapped_column(String(8))
    rationale: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("item_id", "horizon", "scenario"),)


class CarbonPricePoint(Base):
    """A user's carbon-price path point; it overrides a shipped point with the same key."""

    __tablename__ = "carbon_price_points"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scenario: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    price: Mapped[float] = mapped_column(Float)  # per tonne CO2
    currency: Mapped[str] = mapped_column(String(8))
    price_year: Mapped[int | None] = mapped_column(Integer)  # real-terms base year, if any
    source: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="user")
    notes: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("scenario", "region", "year"),)


# ---------------------------------------------------------------------------------------------
# Targets


class Target(Base):
    """A target on a catalog metric: operator and value by a year, optionally from a base."""

    __tablename__ = "targets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    metric_id: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(16))  # absolute | intensity | ratio
    operator: Mapped[str] = mapped_column(String(2))  # <= | >= | =
    target_value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(40))
    tolerance: Mapped[float] = mapped_column(Float, default=0.0)  # for '='
    scope: Mapped[str] = mapped_column(String(120), default="")
    base_year: Mapped[int | None] = mapped_column(Integer)
    base_value: Mapped[float | None] = mapped_column(Float)
    start_year: Mapped[int | None] = mapped_column(Integer)
    target_year: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__: ClassVar[dict[str, object]] = {"version_id_col": version}


class TargetActual(Base):
    """An actual entered by hand for a target and year (used when no KPI value exists)."""

    __tablename__ = "target_actuals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("targets.id"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float | None] = mapped_column(Float)
    qualifier: Mapped[str] = mapped_column(String(20), default="exact")
    note: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("target_id", "year"),)
