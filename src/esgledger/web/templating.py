"""Jinja2 for the pages: one environment, autoescaped, with the helpers every page uses."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from esgledger.auth.permissions import MATRIX, Principal, can
from esgledger.catalog.messages import N_
from esgledger.web import language
from esgledger.web.page_format import day, member_worded, moment, unit_worded
from esgledger.web.page_messages import for_pages
from esgledger.web.vocabulary import (
    catalog_name,
    explained,
    fix_worded,
    metal_worded,
    not_available_worded,
    note_worded,
    quantity_worded,
    smelter_status_worded,
    word,
)

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))
TEMPLATES.env.add_extension("jinja2.ext.i18n")
TEMPLATES.env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them
TEMPLATES.env.install_gettext_callables(  # type: ignore[attr-defined]  # the i18n extension adds it
    language.gettext, language.ngettext, newstyle=True
)
TEMPLATES.env.globals["can"] = can
MESSAGE_KEYS = ("message", "flash", "error")  # context keys holding a one-line message

# (path, label, the action that makes the link useful); pages check permissions themselves.
NAV = (
    ("/", N_("Dashboard"), None),
    ("/requests", N_("Data requests"), "requests.read"),
    ("/review", N_("Review"), "request.approve"),
    ("/kpis", N_("KPIs"), "kpis.read"),
    ("/emissions", N_("Emissions"), "calculations.read"),
    ("/findings", N_("Findings"), "kpis.read"),
    ("/materiality", N_("Materiality"), "assessments.read"),
    ("/registers", N_("Registers"), "kpis.read"),
    ("/suppliers", N_("Suppliers"), "suppliers.read"),
    ("/reports", N_("Reports"), "reports.read"),
    ("/audit", N_("Audit log"), "audit.read"),
)

# Entries whose pages need the action everywhere (registers count the whole group), so a
# grant on one's own entities, enough for the KPI tables, does not show them.
EVERYWHERE_ONLY = frozenset({"/registers"})

# Pages outside the navigation, and the entry they belong under (for highlight and crumbs).
SECTION_OF = {
    "/upload": "/requests",
    "/template": "/requests",
    "/risks": "/materiality",
    "/targets": "/materiality",
}


def section_of(path: str) -> tuple[str, str] | None:
    """The navigation entry (path, label) a page belongs to: the longest matching prefix, so
    ``/requests/12`` highlights "Data requests"; None for pages outside it (login, survey)."""
    path = SECTION_OF.get(path, path)
    found: tuple[str, str] | None = None
    for href, label, _action in NAV:
        inside = path == href or (href != "/" and path.startswith(href + "/"))
        if inside and (found is None or len(href) > len(found[0])):
            found = (href, label)
    return found


def nav_items(user: Principal) -> list[tuple[str, str]]:
    """The links a user sees: actions they hold everywhere or on their granted entities."""
    grants = MATRIX.get(user.role)
    if grants is None:
        return []
    return [
        (path, label)
        for path, label, action in NAV
        if action is None
        or can(user, action)
        or (action in grants.scoped and path not in EVERYWHERE_ONLY)
    ]


def number(value: Any, digits: int = 2) -> str:
    """A figure as a report shows it: thousands separators, trailing zeros trimmed."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = f"{value:,.{digits}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


TEMPLATES.env.filters["number"] = number
TEMPLATES.env.filters["word"] = word
TEMPLATES.env.filters["explained"] = explained
TEMPLATES.env.filters["note_worded"] = note_worded
TEMPLATES.env.filters["metal_worded"] = metal_worded
TEMPLATES.env.filters["smelter_status_worded"] = smelter_status_worded
TEMPLATES.env.filters["not_available_worded"] = not_available_worded
TEMPLATES.env.filters["fix_worded"] = fix_worded
TEMPLATES.env.filters["catalog_name"] = catalog_name
TEMPLATES.env.filters["day"] = day
TEMPLATES.env.filters["moment"] = moment
TEMPLATES.env.filters["unit"] = unit_worded
TEMPLATES.env.filters["member"] = member_worded
TEMPLATES.env.filters["quantity"] = quantity_worded


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, *, status: int = 200
) -> HTMLResponse:
    """A page; ``signed_in`` (set by the auth dependency) gives the header and CSRF field.

    The page is rendered in the request's language (:func:`esgledger.web.language.chosen`);
    navigation labels are catalog messages, translated where the template prints them.
    """
    signed_in = getattr(request.state, "signed_in", None)
    lang = language.chosen(request)
    nav = nav_items(signed_in.principal) if signed_in else []
    section = section_of(request.url.path) if signed_in else None
    ctx = {
        "signed_in": signed_in,
        "nav_items": nav,
        "section": section,
        "at_section": section is not None and request.url.path == section[0],
        "lang": lang,
        "html_lang": language.HTML_LANG[lang],
        "lang_switch": language.switch_links(request),
        **(context or {}),
    }
    for key in MESSAGE_KEYS:  # service errors carry CLI hints a page user cannot follow
        if isinstance(ctx.get(key), str):
            ctx[key] = for_pages(ctx[key])
    with language.rendering_in(lang):
        page = TEMPLATES.TemplateResponse(request, name, ctx, status_code=status)
    page.headers["Content-Language"] = language.HTML_LANG[lang]
    page.headers.setdefault("Vary", "Accept-Language")
    return page
