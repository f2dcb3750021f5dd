"""Ingest: read CSV / XLSX / Parquet into string columns and validate them, without a database.

Validators take what they need to know (known entity ids, existing keys) as plain arguments
and either return a clean, typed frame or raise :class:`~esgledger.errors.ImportRejected`
listing every bad row. The ledger stores what they return.
"""
