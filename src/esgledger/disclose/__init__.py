"""Disclose: framework catalogs, content index, gap analysis, the report model and renderers."""
