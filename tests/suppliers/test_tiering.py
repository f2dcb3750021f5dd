"""#16.2 risk tiers: dimension scores by hand, weights, tiers, obligations, history only on change."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from esgledger.cli.main import app
from tests.conftest import Cli
from tests.factories import entities_file, write_csv
from tests.suppliers.factories import SUPPLIER_HEADER, register_files

POLICY = """
[risk]
country = { VN = 3, DE = 1 }
spend_shares = [0.05, 0.5]
"""


def _tiers(cli: Cli, *args: str) -> dict[str, dict]:  # type: ignore[type-arg]
    rows = json.loads(cli("suppliers", "tier", *args, "--json").stdout)
    return {r["supplier"]: r for r in rows}


def test_scores_tiers_and_obligations_follow_the_policy(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    policy = tmp_path / "policy.toml"
    policy.write_text(POLICY, encoding="utf-8")
    got = _tiers(cli, "--policy", str(policy), "--on", "2025-01-15")
    # S001: CN → default 2; "tin solder" is not "tin" → commodity default 1; the only CNY
    # spend → share 1.0 ≥ 0.5 → 3. Mean (2 + 1 + 3) / 3 = 2.0 → medium (≤ 7/3).
    s001 = got["S001"]
    assert s001["dimensions"]["country"] == 2 and s001["dimensions"]["commodity"] == 1
    assert s001["dimensions"]["spend"] == 3 and s001["score"] == 2.0
    assert s001["tier"] == "medium" and s001["obligations"]["questionnaire_months"] == 12
    assert s001["dimensions"]["findings"].startswith("not available")
    # S002: VN → 3, cable → 1, no spend (left out, not counted as low): 2.0 → medium.
    assert got["S002"]["dimensions"]["spend"] == "not available: no spend imported"
    assert got["S002"]["score"] == 2.0
    # S003: DE → 1, solvents → 1, the only EUR spend → 3: 5/3 → low, sign the CSR commitment.
    assert got["S003"]["tier"] == "low"
    assert got["S003"]["obligations"]["agreements"] == ["csr_commitment"]


def test_history_grows_only_when_a_tier_changes(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    _tiers(cli, "--on", "2024-01-01")
    again = _tiers(cli, "--on", "2024-06-01")
    assert all(r["previous"] == r["tier"] for r in again.values())
    rows = [
        ["S003", "Rhein Chemicals", "DE", "", "tantalum powder;tantalum", "85000", "EUR", "", ""]
    ]
    cli(
        "suppliers",
        "import",
        "suppliers",
        str(write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, rows)),
    )
    changed = _tiers(cli, "S003", "--on", "2025-01-01")["S003"]
    assert (changed["previous"], changed["tier"]) == ("medium", "high")
    history = json.loads(cli("suppliers", "history", "S003", "--json").stdout)
    assert [(h["decided_on"], h["tier"]) for h in history] == [
        ("2024-01-01", "medium"),
        ("2025-01-01", "high"),
    ]
    assert json.loads(cli("audit", "verify", "--deep", "--json").stdout)["ok"] is True


def test_a_dry_run_stores_nothing(cli: Cli, tmp_path: Path) -> None:
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    _tiers(cli, "--dry-run")
    assert json.loads(cli("suppliers", "history", "S001", "--json").stdout) == []


def test_a_bad_policy_is_refused_in_one_line(tmp_path: Path) -> None:
    cases = {
        "[risk]\ncountry = { CN = 4 }\n": "risk.country.CN must be 1 (low), 2 (medium) or 3 (high)",
        "[risk.weights]\ncolour = 1\n": "risk.weights.colour: not one of country",
        "[tiers]\nbounds = [['low', 2.0], ['high', 1.0]]\n": "tiers.bounds must rise",
        "[risks]\n": "unknown section 'risks'",
        "not toml = = 1": "not a TOML file",
    }
    for i, (text, message) in enumerate(cases.items()):
        path = tmp_path / f"p{i}.toml"
        path.write_text(text, encoding="utf-8")
        result = CliRunner().invoke(app, ["suppliers", "policy", "--policy", str(path)])
        err = result.stderr
        assert result.exit_code == 2, err
        assert message in err and "Traceback" not in err, err


def test_previous_is_the_tier_in_force_on_the_assessment_day(cli: Cli, tmp_path: Path) -> None:
    """#16: with two decisions in one year, a back-dated assessment compares with the tier in
    force on its day, not the latest decision; the history answers "tier as at D"."""
    cli("import", "entities", str(entities_file(tmp_path)))
    cli("suppliers", "import", "suppliers", str(register_files(tmp_path)["suppliers"]))
    _tiers(cli, "S003", "--on", "2024-03-01")  # solvents: medium
    tantalum = [["S003", "Rhein Chemicals", "DE", "", "tantalum", "85000", "EUR", "", ""]]
    solvents = [["S003", "Rhein Chemicals", "DE", "", "solvents", "85000", "EUR", "", ""]]
    cli("suppliers", "import", "suppliers",
        str(write_csv(tmp_path / "t.csv", SUPPLIER_HEADER, tantalum)))  # fmt: skip
    assert _tiers(cli, "S003", "--on", "2024-09-01")["S003"]["tier"] == "high"
    cli("suppliers", "import", "suppliers",
        str(write_csv(tmp_path / "s.csv", SUPPLIER_HEADER, solvents)))  # fmt: skip
    june = _tiers(cli, "S003", "--on", "2024-06-01", "--dry-run")["S003"]
    assert (june["previous"], june["tier"]) == ("medium", "medium")  # in force on 1 June
    _tiers(cli, "S003", "--on", "2024-06-01")  # unchanged that day: no row stored
    history = json.loads(cli("suppliers", "history", "S003", "--json").stdout)
    assert [(h["decided_on"], h["tier"]) for h in history] == [
        ("2024-03-01", "medium"),
        ("2024-09-01", "high"),
    ]
    october = _tiers(cli, "S003", "--on", "2024-10-01", "--dry-run")["S003"]
    assert (october["previous"], october["tier"]) == ("high", "medium")

    def as_at(day: str) -> dict:  # type: ignore[type-arg]
        return json.loads(cli("suppliers", "history", "S003", "--on", day, "--json").stdout)

    assert as_at("2024-06-30") == {"supplier": "S003", "on": "2024-06-30", "tier": "medium",
                                   "decided_on": "2024-03-01"}  # fmt: skip
    assert as_at("2024-12-31")["tier"] == "high"
    assert as_at("2024-02-29") == {"supplier": "S003", "on": "2024-02-29", "tier": None,
                                   "decided_on": None}  # fmt: skip
    text = cli("suppliers", "history", "S003", "--on", "2024-06-30").stdout
    assert "medium" in text and "2024-03-01" in text
