"""The HTTP API: JSON endpoints under ``/api/v1`` with bearer-token auth.

Modules: :mod:`~esgledger.api.routes` (ledger reads), :mod:`~esgledger.api.workflow_routes`
(data requests, evidence, templates), :mod:`~esgledger.api.assess_routes` (materiality,
risks, targets), :mod:`~esgledger.api.admin_routes` (audit log, users),
:mod:`~esgledger.api.import_routes` (file imports), :mod:`~esgledger.api.schemas` (bodies).
Each endpoint checks the principal with :func:`esgledger.auth.permissions.require` and calls
the same service as the CLI.

:func:`esgledger.api.app.create_api` builds the API for one workspace (the pages join it in
:mod:`esgledger.server`);
``esg serve`` runs it with uvicorn. Every error is an RFC 9457 problem-details document
(:mod:`esgledger.http_shared.errors`).
"""
