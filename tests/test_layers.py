"""#20: the layers of DESIGN.md as a checked contract, read from the imports of every module.

The flow runs one way: units/catalog → ingest → ledger → calc/kpi/auth → checks/assess/
workflow → disclose → api/web/cli. A package imports only packages of its own rank or to
its left; packages of one rank never import each other both ways (no cycle); no module
imports a private name (``_name``) or a private module from another package. Imports inside
functions count too: a lazy import is still a dependency.

Today's violations are listed in the allow-lists below, each with why it is there; a new
import that breaks the flow fails this test, and an entry goes once its cause is fixed.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import esgledger

SOURCE = Path(esgledger.__file__).parent

# Modules every package may use: they import no package (checked below).
SHARED = {"esgledger", "errors", "settings", "atomic", "faults", "spreadsheets", "charts"}

RANKS = {
    "units": 0,
    "catalog": 0,
    "ingest": 1,
    "ledger": 2,
    "calc": 3,
    "kpi": 3,
    "auth": 3,
    "checks": 4,
    "assess": 4,
    "workflow": 4,
    # Registers behind social, governance and supply-chain figures (#16, #17).
    "registers": 4,
    "suppliers": 4,
    "disclose": 5,
    # The seeded demo data set is built through every service and offered by the CLI.
    "demo": 6,
    # What the API and the pages share over HTTP (errors, refusals, downloads, paging).
    "http_shared": 6,
    "api": 7,
    "web": 7,
    "cli": 7,
    # The composition root: assembles the API and the pages; only the CLI imports it.
    "server": 7,
}

# Imports that break the contract today (importer module, imported module).
ALLOWED_EDGES: set[tuple[str, str]] = set()
# Private names imported across packages today (importer module, imported module, name).
ALLOWED_PRIVATE: set[tuple[str, str, str]] = set()


@dataclass(frozen=True)
class Import:
    importer: str  # dotted module name
    imported: str  # dotted module name
    name: str | None  # the name taken from it (``from x import name``), if any
    line: int

    @property
    def importer_package(self) -> str:
        return package_of(self.importer)

    @property
    def imported_package(self) -> str:
        return package_of(self.imported)


def package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    """The absolute module a (possibly relative) ``from … import`` names."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if path.name != "__init__.py":
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def is_module(dotted: str) -> bool:
    if dotted.split(".")[0] != "esgledger":
        return False
    path = SOURCE.parent.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


@functools.cache
def imports() -> tuple[Import, ...]:
    """Every import in the package, parsed once per process: the five contracts below each
    parsed every module again (~1.4 CPU s a contract, #20). The tests only read the tuple."""
    return tuple(parsed_imports())


def parsed_imports() -> Iterator[Import]:
    for path in sorted(SOURCE.rglob("*.py")):
        module = module_name(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield Import(module, alias.name, None, node.lineno)
            elif isinstance(node, ast.ImportFrom):
                target = resolve(module, path, node)
                for alias in node.names:
                    if is_module(f"{target}.{alias.name}"):  # from package import module
                        yield Import(module, f"{target}.{alias.name}", None, node.lineno)
                    else:
                        yield Import(module, target, alias.name, node.lineno)


@functools.cache
def cross_package() -> tuple[Import, ...]:
    return tuple(
        i
        for i in imports()
        if i.imported.split(".")[0] == "esgledger" and i.imported_package != i.importer_package
    )


def where(i: Import) -> str:
    return f"{i.importer} (line {i.line}) imports {i.imported}" + (f".{i.name}" if i.name else "")


def is_private(part: str) -> bool:
    return part.startswith("_") and not part.startswith("__")


def test_every_package_has_a_rank() -> None:
    packages = {p.name for p in SOURCE.iterdir() if (p / "__init__.py").exists()}
    modules = {p.stem for p in SOURCE.glob("*.py") if p.stem != "__init__"}
    assert packages - set(RANKS) == set(), "give the new package a rank in RANKS"
    assert modules - SHARED == set(), "a new top-level module: list it in SHARED"


def test_shared_modules_import_no_package() -> None:
    wrong = [
        where(i)
        for i in cross_package()
        if i.importer_package in SHARED and i.imported_package not in SHARED
    ]
    assert wrong == []


def test_packages_import_only_to_their_left() -> None:
    wrong = [
        where(i)
        for i in cross_package()
        if i.importer_package in RANKS
        and i.imported_package in RANKS
        and RANKS[i.imported_package] > RANKS[i.importer_package]
        and (i.importer, i.imported) not in ALLOWED_EDGES
    ]
    assert wrong == []


def test_packages_of_one_rank_form_no_cycle() -> None:
    edges: dict[str, set[str]] = {}
    for i in cross_package():
        if i.importer_package in RANKS and (i.importer, i.imported) not in ALLOWED_EDGES:
            edges.setdefault(i.importer_package, set()).add(i.imported_package)
    both_ways = sorted(
        f"{a} ⇄ {b}" for a, targets in edges.items() for b in targets if a in edges.get(b, ())
    )
    assert both_ways == []


def test_no_private_import_across_packages() -> None:
    wrong = [
        where(i)
        for i in cross_package()
        if (
            any(is_private(part) for part in i.imported.split("."))
            or (i.name is not None and is_private(i.name))
        )
        and (i.importer, i.imported, i.name) not in ALLOWED_PRIVATE
    ]
    assert wrong == []


def test_the_checks_see_a_violation() -> None:
    """The parser itself: a relative import resolves, a private name is recognised."""
    tree = ast.parse("from ..kpi._cache import _load")
    node = tree.body[0]
    assert isinstance(node, ast.ImportFrom)
    target = resolve("esgledger.disclose.report", SOURCE / "disclose" / "report.py", node)
    assert target == "esgledger.kpi._cache"
    assert package_of(target) == "kpi" and is_private("_cache") and not is_private("__init__")


def test_the_interfaces_meet_only_in_the_composition_root() -> None:
    """The API and the pages never import each other; ``esgledger.server`` assembles them."""
    interfaces = {"api", "web"}
    wrong = [
        where(i)
        for i in cross_package()
        if i.importer_package in interfaces
        and i.imported_package in interfaces
        and i.importer_package != i.imported_package
    ]
    assert wrong == []
