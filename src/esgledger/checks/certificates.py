"""Certificates in `esg check` (#17): lapsed or withdrawn in the year without a renewal,
expiring soon after the report date, and a site figure typed for a site whose certificate
had lapsed.

The report date is the reporting year's end plus the cut-off months (the annual-report
deadline, ``ESG_REPORT_CUTOFF_MONTHS``); the window after it is
``ESG_CERTIFICATE_EXPIRY_DAYS`` (90 by default). A certificate is renewed when another one
of the same entity, standard and product model is in force on the report date.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from esgledger.calc.options import cutoff_date
from esgledger.catalog.messages import N_
from esgledger.checks.context import CheckContext
from esgledger.checks.explained import Message, said, worded_parts
from esgledger.checks.findings import ERROR, WARNING, Finding
from esgledger.kpi.register_figures.certifications import SITE_STANDARDS
from esgledger.ledger.regcert_models import Certificate
from esgledger.settings import get_settings

Holding = tuple[str, str, str]  # entity, standard, product model


def _holding(c: Certificate) -> Holding:
    return (c.entity_id, c.standard, c.product_model)


def _name(c: Certificate) -> Message:
    """The certificate as a finding names it (a message: worded in the reader's language)."""
    held: Any = c.entity_id
    if c.product_model:
        held = said(
            N_("product model %(model)s of %(entity)s"),
            {"model": c.product_model, "entity": c.entity_id},
        )
    return said(
        N_("%(standard)s certificate %(number)s (%(body)s) of %(held)s"),
        {"standard": c.standard, "number": c.number, "body": c.body, "held": held},
    )


def certificate_findings(ctx: CheckContext) -> list[Finding]:
    """Lapsed, withdrawn and expiring certificates, and typed claims of lapsed sites."""
    settings = get_settings()
    start, end = dt.date(ctx.year, 1, 1), dt.date(ctx.year, 12, 31)
    report = cutoff_date(ctx.year, settings.report_cutoff_months)
    window = report + dt.timedelta(days=settings.certificate_expiry_days)
    certificates = ctx.reads.certificates()
    in_force: dict[Holding, list[Certificate]] = defaultdict(list)
    for c in certificates:
        if c.valid_on(report):
            in_force[_holding(c)].append(c)
    out = []
    for c in certificates:
        renewals = [r for r in in_force.get(_holding(c), []) if r.id != c.id]
        if c.issued_on > report or c.expires_on < start or renewals:
            continue
        lapsed_on = c.withdrawn_on if c.withdrawn_on and c.withdrawn_on <= report else None
        if lapsed_on is None and c.expires_on < report:
            lapsed_on = c.expires_on
        if lapsed_on is not None:
            out.append(_lapsed(ctx.year, c, lapsed_on, report))
        elif c.expires_on <= window:
            out.append(_expiring(ctx.year, c, report, settings.certificate_expiry_days))
    return out + _lapsed_claims(ctx, certificates, end)


def _metrics(c: Certificate) -> list[str]:
    metric = SITE_STANDARDS.get(c.standard)
    return [metric] if metric and not c.product_model else []


def _lapsed(year: int, c: Certificate, lapsed_on: dt.date, report: dt.date) -> Finding:
    how = said(
        N_("was withdrawn on %(day)s") if c.withdrawn_on == lapsed_on else N_("expired on %(day)s"),
        {"day": lapsed_on.isoformat()},
    )
    return Finding(
        rule="certifications.expired",
        severity=WARNING,
        metrics=_metrics(c),
        entity=c.entity_id,
        year=year,
        expected=report.isoformat(),
        found=lapsed_on.isoformat(),
        dims={"certificate": f"{c.body} {c.number}"},
        **worded_parts(
            said(
                N_(
                    "The %(certificate)s %(how)s, before the report date %(report)s, and no "
                    "renewal is in the register."
                ),
                {"certificate": _name(c), "how": how, "report": report.isoformat()},
            ),
            said(
                N_(
                    "Import the renewed certificate with `esg register certifications import`, "
                    "or say in the report that the certification lapsed."
                )
            ),
        ),
    )


def _expiring(year: int, c: Certificate, report: dt.date, days: int) -> Finding:
    return Finding(
        rule="certifications.expiring",
        severity=WARNING,
        metrics=_metrics(c),
        entity=c.entity_id,
        year=year,
        expected=report.isoformat(),
        found=c.expires_on.isoformat(),
        dims={"certificate": f"{c.body} {c.number}"},
        **worded_parts(
            said(
                N_(
                    "The %(certificate)s expires on %(day)s, within %(days)s days of the report "
                    "date %(report)s, and no renewal is in the register."
                ),
                {
                    "certificate": _name(c),
                    "day": c.expires_on.isoformat(),
                    "days": days,
                    "report": report.isoformat(),
                },
            ),
            said(
                N_("Plan the recertification audit and import the renewed certificate when issued.")
            ),
        ),
    )


def _lapsed_claims(
    ctx: CheckContext, certificates: list[Certificate], end: dt.date
) -> list[Finding]:
    """A typed site figure above 0 where the register holds the site's certificates of the
    standard but none in force at the year's end."""
    by_metric = {metric: standard for standard, metric in SITE_STANDARDS.items()}
    held: dict[tuple[str, str], list[Certificate]] = defaultdict(list)
    for c in certificates:
        if not c.product_model and c.standard in SITE_STANDARDS:
            held[(c.entity_id, c.standard)].append(c)
    # only the sites holding a certificate of a standard can have lapsed
    holders = sorted({entity for entity, _ in held} & ctx.reads.sites())
    claims = ctx.reads.site_claims(ctx.year, sorted(by_metric), holders)
    out = []
    for metric_id, entity_id, value in claims:
        standard = by_metric[metric_id]
        stored = held.get((entity_id, standard), [])
        if not stored or any(c.valid_on(end) for c in stored):
            continue
        last = max(stored, key=lambda c: c.expires_on)
        out.append(
            Finding(
                rule="certifications.lapsed_claim",
                severity=ERROR,
                metrics=[metric_id],
                entity=entity_id,
                year=ctx.year,
                expected=0,
                found=value,
                dims={"certificate": f"{last.body} {last.number}"},
                **worded_parts(
                    said(
                        N_(
                            "%(entity)s is reported as certified to %(standard)s in %(year)s, but "
                            "the register has no %(standard)s certificate in force on %(end)s "
                            "(the last, %(number)s, ran to %(expired)s)."
                        ),
                        {
                            "entity": entity_id,
                            "standard": standard,
                            "year": ctx.year,
                            "end": end.isoformat(),
                            "number": last.number,
                            "expired": last.expires_on.isoformat(),
                        },
                    ),
                    said(
                        N_(
                            "Remove the typed value (the register counts the certified sites), "
                            "or import the certificate in force."
                        )
                    ),
                ),
            )
        )
    return out
