"""Issue #14 (acceptance): every page ``scripts/screenshots.py`` shoots for ``docs/`` fits a
390 px phone, in English and in Chinese: the window never scrolls sideways (only a table may,
inside its own box), and a filter form's fields line up in one column there, each as wide as
the others, instead of ragged label-and-box pairs. At 1280 px no table runs past the page.

The pages are the script's own list (``SHOTS``: the navigation, the registers, the supplier
pages, the survey and the supplier questionnaire), each seen by the demo user the script
signs in as, on a copy of the demo (signing in and minting a questionnaire link write to it).
"""

from __future__ import annotations

import importlib.util
import shutil
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Page

from esgledger.demo.team_stage import read_credentials, read_survey_link
from esgledger.ledger.db import Database
from tests.conftest import DemoBuild

SCRIPT = Path(__file__).resolve().parents[3] / "scripts" / "screenshots.py"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
# A table's right edge past its page's content edge (main, less its padding), in a box that
# does not scroll: the findings table's codes and hashes ran 11 px past it at 1280 px.
PAST_THE_PAGE = """() => {
  const main = document.querySelector('main');
  const edge = main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight);
  return [...document.querySelectorAll('table')]
    .filter(t => !t.closest('.panel') && t.getBoundingClientRect().right > edge + 1)
    .map(t => `${t.dataset.testid || 'table'} ${Math.round(t.getBoundingClientRect().right)} > ${Math.round(edge)}`);
}"""


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots_phone", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHOTS = _script()


@pytest.fixture(scope="module")
def demo_copy(demo_build: DemoBuild, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("demo-phone") / "esg-demo"
    shutil.copytree(demo_build.out, copy, ignore=shutil.ignore_patterns("*.writer-lock"))
    return copy


@pytest.fixture(scope="module")
def workspace(demo_copy: Path) -> Iterator[Database]:
    """The copy the module's live server serves (tests/web/browser/conftest.live_server)."""
    db = Database(str(demo_copy / "esg.db"))
    try:
        yield db
    finally:
        db.dispose()


def _widths(page: Page) -> tuple[int, int]:
    return int(page.evaluate("document.documentElement.scrollWidth")), int(
        page.evaluate("window.innerWidth")
    )


def _ragged_filters(page: Page) -> list[str]:
    """The filter forms whose text boxes and lists do not share one left edge and one width."""
    found: list[str] = []
    for form in page.locator("form.filters").all():
        boxes = [
            box
            for field in form.locator("input:not([type=hidden]):not([type=checkbox]), select").all()
            if (box := field.bounding_box()) is not None
        ]
        lefts = {round(box["x"]) for box in boxes}
        widths = {round(box["width"]) for box in boxes}
        if len(boxes) > 1 and (len(lefts) > 1 or len(widths) > 1):
            found.append(f"lefts {sorted(lefts)} widths {sorted(widths)}")
    return found


def _fill(demo_copy: Path) -> dict[str, str]:
    return {
        "request": SHOTS._returned_request(demo_copy),
        "survey": read_survey_link(demo_copy) or "/login",
        "questionnaire": SHOTS._questionnaire_link(demo_copy),
    }


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_shot_page_fits_390_px(
    browser: Browser, live_server: str, demo_copy: Path, workspace: Database, lang: str
) -> None:
    passwords = {user: password for user, _role, password in read_credentials(demo_copy)}
    fill = _fill(demo_copy)
    pages: dict[str, Page] = {}
    wide: list[str] = []
    ragged: list[str] = []
    try:
        for name, user, path in SHOTS.SHOTS:
            if user not in pages:
                context = browser.new_context(viewport=PHONE, locale=SHOTS.LOCALES[lang])  # type: ignore[arg-type]
                context.set_default_timeout(60_000)  # a run's first dashboard fills its caches
                pages[user] = context.new_page()
                if user:
                    SHOTS._sign_in(pages[user], live_server, user, passwords[user])
            page = pages[user]
            answer = page.goto(live_server + path.format(**fill))
            assert answer is not None and answer.status == 200, (name, lang)
            scroll, inner = _widths(page)
            if scroll > inner:
                wide.append(f"{name}: {scroll} px in {inner}")
            ragged += [f"{name}: {form}" for form in _ragged_filters(page)]
    finally:
        for page in pages.values():
            page.context.close()
    assert wide == []
    assert ragged == []


def test_no_table_runs_past_the_page_at_1280_px(
    browser: Browser, live_server: str, demo_copy: Path, workspace: Database
) -> None:
    passwords = {user: password for user, _role, password in read_credentials(demo_copy)}
    fill = _fill(demo_copy)
    pages: dict[str, Page] = {}
    past: list[str] = []
    try:
        for name, user, path in SHOTS.SHOTS:
            if user not in pages:
                context = browser.new_context(viewport=DESKTOP, locale=SHOTS.LOCALES["en"])  # type: ignore[arg-type]
                context.set_default_timeout(60_000)
                pages[user] = context.new_page()
                if user:
                    SHOTS._sign_in(pages[user], live_server, user, passwords[user])
            page = pages[user]
            answer = page.goto(live_server + path.format(**fill))
            assert answer is not None and answer.status == 200, name
            past += [f"{name}: {table}" for table in page.evaluate(PAST_THE_PAGE)]
    finally:
        for page in pages.values():
            page.context.close()
    assert past == []
