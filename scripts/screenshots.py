"""Screenshots of every page at 1280 px and 390 px, for ``docs/web.md``.

Usage::

    .venv/bin/python scripts/screenshots.py                 # builds the demo in a temp folder
    .venv/bin/python scripts/screenshots.py --demo esg-demo  # or uses a demo folder you built
    .venv/bin/python scripts/screenshots.py --lang zh        # the Chinese pages, 1280 px (#19)
    .venv/bin/python scripts/screenshots.py --only suppliers # one page's shots (repeatable)
    .venv/bin/python scripts/screenshots.py --width 390      # the phone shots only

It serves the demo with ``esg serve`` (a child process on a free loopback port), signs in
as the demo user who works on each page, and saves one PNG per page and width into
``docs/screenshots/`` (``<page>-1280.png``, ``<page>-390.png``). The shots are of the
window, not the whole page, and reduced to a 64-colour palette, so all of them together stay
well under 3 MB. Debian's Chromium is driven by Playwright, as in the browser tests.
With ``--lang zh`` the browser asks for Chinese (``Accept-Language: zh-CN``) and every page is
saved as ``<page>-zh-1280.png``. The server's output goes to
``esg-screenshots-serve-<port>.log`` in the temporary folder, kept; the script waits up to
``--wait`` seconds (default 300) for it to answer its sign-in page, and says why it gave up.
"""

from __future__ import annotations

import argparse
import io
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import Browser, Page, sync_playwright

from esgledger.demo.team_stage import read_credentials, read_survey_link
from esgledger.server.ready import STARTUP_SECONDS, ServerNotReady, wait_until_ready

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
SIZES = {1280: {"width": 1280, "height": 860}, 390: {"width": 390, "height": 844}}
# (file name, who looks at it, path); "" is the anonymous visitor. {request}, {survey} and
# {questionnaire} are filled from the demo.
SHOTS = (
    ("login", "", "/login"),
    ("dashboard", "manager", "/"),
    ("requests", "manager", "/requests"),
    ("request", "owner.sz", "/requests/{request}"),
    ("issue", "manager", "/requests/issue"),
    ("upload", "owner.sz", "/upload"),
    ("review", "reviewer", "/review"),
    ("kpis", "manager", "/kpis"),
    ("emissions", "manager", "/emissions"),
    ("findings", "manager", "/findings"),
    ("materiality", "manager", "/materiality"),
    ("risks", "manager", "/risks"),
    ("targets", "manager", "/targets"),
    ("reports", "manager", "/reports"),
    ("audit", "auditor", "/audit"),
    ("registers", "manager", "/registers"),
    ("board", "manager", "/registers/board"),
    ("training", "manager", "/registers/training"),
    ("whistleblowing", "manager", "/registers/whistleblowing"),
    ("ohs", "manager", "/registers/ohs"),
    ("ohs-hours", "manager", "/registers/ohs?view=hours"),
    ("ohs-safety", "manager", "/registers/ohs-safety"),
    ("certifications", "manager", "/registers/certifications"),
    ("complaints", "manager", "/registers/complaints"),
    ("vulnerabilities", "manager", "/registers/vulnerabilities"),
    ("giving", "manager", "/registers/giving"),
    ("assurance", "manager", "/registers/assurance"),
    ("suppliers", "manager", "/suppliers"),
    ("supplier-tiers", "manager", "/suppliers/tiers"),
    ("supplier-audits", "manager", "/suppliers/audits"),
    ("supplier-findings", "manager", "/suppliers/findings"),
    ("supplier-smelters", "manager", "/suppliers/smelters"),
    ("survey", "", "{survey}"),
    ("supplier-questionnaire", "", "{questionnaire}"),
)
# The pages shown in Chinese in docs/web.md (#19): every page, each fully translated
# (tests/i18n/test_screenshot_pages_in_chinese.py holds them to it).
SHOTS_ZH = tuple(name for name, _user, _path in SHOTS)
LOCALES = {"en": "en-GB", "zh": "zh-CN"}
# A sign-in hashes the password and a run's first dashboard fills its caches: at a load
# average of 30 on two cores either took over Playwright's default 30 s.
TIMEOUT_MS = 180_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _build_demo(folder: Path) -> Path:
    out = folder / "esg-demo"
    esg = Path(sys.executable).with_name("esg")
    subprocess.run([str(esg), "demo", "--out", str(out)], check=True, stdout=subprocess.DEVNULL)
    return out


def _sign_in(page: Page, url: str, user: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(password)
    # signing in hashes the password: slow on a loaded machine, so wait for the result itself
    page.locator("form[action='/login'] button[type=submit]").click(no_wait_after=True)
    page.get_by_test_id("whoami").wait_for()


def _save(png: bytes, path: Path) -> int:
    """The shot with a 64-colour palette: a tenth of the bytes, text still crisp."""
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=64)
    image.save(path, optimize=True)
    return path.stat().st_size


def _shoot(
    browser: Browser,
    url: str,
    demo: Path,
    out: Path,
    lang: str = "en",
    only: list[str] | None = None,
    width: int | None = None,
) -> int:
    passwords = {user: password for user, _role, password in read_credentials(demo)}
    shots = SHOTS if lang == "en" else [s for s in SHOTS if s[0] in SHOTS_ZH]
    shots = [s for s in shots if not only or s[0] in only]
    fill = {"request": _returned_request(demo), "survey": read_survey_link(demo) or "/login"}
    if any("{questionnaire}" in path for _name, _user, path in shots):
        fill["questionnaire"] = _questionnaire_link(demo)
    sizes = SIZES if lang == "en" else {1280: SIZES[1280]}
    sizes = {w: v for w, v in sizes.items() if width is None or w == width}
    suffix = "" if lang == "en" else f"-{lang}"
    total = 0
    for width, viewport in sizes.items():
        pages: dict[str, Page] = {}
        for name, user, path in shots:
            if user not in pages:
                context = browser.new_context(viewport=viewport, locale=LOCALES[lang])  # type: ignore[arg-type]
                context.set_default_timeout(TIMEOUT_MS)
                pages[user] = context.new_page()
                if user:
                    _sign_in(pages[user], url, user, passwords[user])
            page = pages[user]
            page.goto(url + path.format(**fill))
            total += _save(page.screenshot(), out / f"{name}{suffix}-{width}.png")
        for page in pages.values():
            page.context.close()
    return total


def _returned_request(demo: Path) -> str:
    """The demo request a reviewer returned to its owner: the richest request page."""
    from sqlalchemy import select

    from esgledger.ledger.db import Database
    from esgledger.ledger.workflow_models import DataRequest

    db = Database(str(demo / "esg.db"))
    try:
        with db.read() as session:
            found = session.scalar(
                select(DataRequest.id).where(DataRequest.state == "returned").limit(1)
            )
            return str(found or 1)
    finally:
        db.dispose()


def _questionnaire_link(demo: Path) -> str:
    """A supplier's questionnaire link, minted on the demo: only the tokens' hashes are
    stored, so an unanswered link is sent again (``reissue``, as ``esg suppliers saq send
    --reissue`` does), which writes a ``suppliers.saq.send`` event to the demo's audit log."""
    from sqlalchemy import select

    from esgledger.ledger.db import Database
    from esgledger.ledger.supplier_models import SupplierQuestionnaire, SupplierSaqLink
    from esgledger.suppliers.saq import send

    db = Database(str(demo / "esg.db"))
    try:
        with db.write() as session:
            found = session.execute(
                select(SupplierQuestionnaire.name, SupplierSaqLink.supplier_id)
                .select_from(SupplierSaqLink)
                .join(
                    SupplierQuestionnaire,
                    SupplierQuestionnaire.id == SupplierSaqLink.questionnaire_id,
                )
                .where(SupplierSaqLink.answered_at.is_(None))
                .order_by(SupplierSaqLink.id)
                .limit(1)
            ).first()
            if found is None:
                sys.exit("error: the demo has no unanswered supplier questionnaire to show")
            [link] = send(session, found[0], [found[1]], days=30, actor="screenshots",
                          reissue=True)  # fmt: skip
        return f"/supplier-questionnaire/{link['token']}"
    finally:
        db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, help="a demo folder built by `esg demo`")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", choices=sorted(LOCALES), default="en", help="page language")
    parser.add_argument("--only", action="append", help="just this page (repeatable)")
    parser.add_argument("--width", type=int, choices=sorted(SIZES), help="just this width")
    parser.add_argument(
        "--wait",
        type=float,
        default=STARTUP_SECONDS,
        help=f"seconds to wait for esg serve to answer (default {STARTUP_SECONDS:g})",
    )
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="esg-shots-") as folder:
        demo = args.demo or _build_demo(Path(folder))
        port = _free_port()
        esg = Path(sys.executable).with_name("esg")
        log_path = Path(tempfile.gettempdir()) / f"esg-screenshots-serve-{port}.log"
        log = log_path.open("wb")
        command = [str(esg), "serve", "--db", str(demo / "esg.db"), "--port", str(port)]
        server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=os.environ)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_until_ready(url, server, seconds=args.wait, log=log_path)
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                total = _shoot(browser, url, demo, args.out, args.lang, args.only, args.width)
                browser.close()
        except ServerNotReady as exc:
            sys.exit(f"error: {exc}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
    print(f"{args.lang}: screenshots, {total / 1e6:.2f} MB, in {args.out}")


if __name__ == "__main__":
    main()
