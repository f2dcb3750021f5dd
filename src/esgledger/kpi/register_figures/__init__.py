"""Providers of register figures, one module per register; importing this package adds
them to :data:`esgledger.kpi.register_source.PROVIDERS` (once)."""

from esgledger.kpi.register_figures.board import board_figures
from esgledger.kpi.register_figures.certifications import certification_figures
from esgledger.kpi.register_figures.complaints import complaint_figures, nps_figures
from esgledger.kpi.register_figures.giving import giving_figures
from esgledger.kpi.register_figures.ohs import ohs_figures
from esgledger.kpi.register_figures.ohs_safety import ohs_safety_figures
from esgledger.kpi.register_figures.suppliers import supplier_figures
from esgledger.kpi.register_figures.suppliers_base import base_figures
from esgledger.kpi.register_figures.suppliers_dd import dd_figures
from esgledger.kpi.register_figures.suppliers_integrity import integrity_figures
from esgledger.kpi.register_figures.suppliers_minerals import mineral_figures
from esgledger.kpi.register_figures.suppliers_saq import saq_figures
from esgledger.kpi.register_figures.training import training_figures
from esgledger.kpi.register_figures.vulnerabilities import vulnerability_figures
from esgledger.kpi.register_figures.whistle import whistle_figures
from esgledger.kpi.register_source import PROVIDERS

for _provider in (
    ohs_figures,
    ohs_safety_figures,
    supplier_figures,
    base_figures,
    integrity_figures,
    mineral_figures,
    dd_figures,
    saq_figures,
    whistle_figures,
    board_figures,
    training_figures,
    complaint_figures,
    nps_figures,
    vulnerability_figures,
    certification_figures,
    giving_figures,
):
    if _provider not in PROVIDERS:
        PROVIDERS.append(_provider)
