"""The HTTP API: read-only JSON endpoints under ``/api/v1`` with bearer-token auth.

:func:`esgledger.api.app.create_app` builds the FastAPI application for one workspace;
``esg serve`` runs it with uvicorn. Every error is an RFC 9457 problem-details document
(:mod:`esgledger.api.errors`).
"""
