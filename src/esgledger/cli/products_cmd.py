"""Product model commands: the stored models of Scope 3 categories 11 and 12, and the XLSX
template their import reads."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from openpyxl import Workbook

from esgledger.cli.common import DbOption, JsonOption, workspace
from esgledger.cli.output import console, print_json, print_table
from esgledger.ingest.products import MATERIAL_WASTE_TYPES, OPTIONAL, REQUIRED, TREATMENTS
from esgledger.ledger.products import load_products
from esgledger.spreadsheets import keep_text

products_app = typer.Typer(
    help="Product models for Scope 3 use of sold products and end of life: list, template.",
    no_args_is_help=True,
)
EXAMPLE = [
    ["IPC-B4", "4 MP bullet camera", 6, 4, 8, "use", "day", 4.0, 4380, None, None],
    ["IPC-B4", "4 MP bullet camera", 6, 4, 8, "use", "night_ir", 5.5, 4380, None, None],
    ["IPC-B4", "4 MP bullet camera", 6, 4, 8, "material", "plastic", None, None, 0.25, "landfill"],
]


@products_app.command("list")
def products_list(db: DbOption = None, json: JsonOption = False) -> None:
    """Stored product models: lifetime range, annual energy in use, mass by material."""
    with workspace(db).read() as session:
        models = load_products(session)
    rows = [_model_dict(code, model) for code, model in models.items()]
    if json:
        print_json(rows)
        return
    print_table(
        "Product models",
        ["product", "name", "lifetime (low–high) years", "kWh per year", "kg"],
        (
            [
                r["product"],
                r["name"],
                f"{r['lifetime_years']:g} ({r['lifetime_low_years']:g}–"
                f"{r['lifetime_high_years']:g})",
                f"{r['kwh_per_year']:g}",
                f"{sum(m['mass_kg'] for m in r['materials']):g}",
            ]
            for r in rows
        ),
    )


@products_app.command("template")
def products_template(
    out: Annotated[Path, typer.Argument(help="XLSX file to write.")],
) -> None:
    """Write the XLSX template `esg import products` reads: sheet `products` with an example
    model, and a sheet listing the allowed materials and treatments."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "products"
    sheet.append([*REQUIRED, *OPTIONAL])
    for row in EXAMPLE:
        sheet.append(row)
    allowed = wb.create_sheet("allowed values")
    allowed.append(["material", "end-of-life factors of", "treatment"])
    materials = sorted(MATERIAL_WASTE_TYPES.items())
    for i in range(max(len(materials), len(TREATMENTS))):
        material, waste = materials[i] if i < len(materials) else ("", "")
        allowed.append([material, waste, TREATMENTS[i] if i < len(TREATMENTS) else ""])
    keep_text(wb).save(out)
    console.print(f"{out}: template written (replace the example rows with your models).")


def _model_dict(code: str, model: dict[str, Any]) -> dict[str, Any]:
    return {
        "product": code,
        "name": model["name"],
        "lifetime_years": model["lifetime_years"],
        "lifetime_low_years": model["lifetime_low_years"],
        "lifetime_high_years": model["lifetime_high_years"],
        "kwh_per_year": sum(p * h for p, h in model["modes"].values()) / 1000,
        "modes": [
            {"mode": m, "power_w": p, "hours_per_year": h}
            for m, (p, h) in sorted(model["modes"].items())
        ],
        "materials": [
            {"material": m, "treatment": t, "mass_kg": kg}
            for (m, t), kg in sorted(model["materials"].items())
        ],
    }


def register(app: typer.Typer) -> None:
    app.add_typer(products_app, name="products")
