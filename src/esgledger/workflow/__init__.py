"""Data collection: requests to business units, entry, review, locking, evidence, templates.

Layout, one concept per module:

- :mod:`~esgledger.workflow.states` — the state machine (draft → submitted → approved →
  locked, with returned and restatement) and its one-line refusals.
- :mod:`~esgledger.workflow.requests` — issuing requests in bulk, listing, the overdue list,
  and optimistic locking (:func:`~esgledger.workflow.requests.load_for_edit`).
- :mod:`~esgledger.workflow.values` — entering a value, and uploading a filled file, through
  the KPI import's own validation, stored as KPI values with its restatement rules.
- :mod:`~esgledger.workflow.review` — submit, approve, return, lock, restate, comment.
- :mod:`~esgledger.workflow.review_queue` — what a reviewer sees beside each value: last
  year's figure and the change, evidence count, owner's notes.
- :mod:`~esgledger.workflow.notes` — owner notes kept as a history (never erased by a re-save).
- :mod:`~esgledger.workflow.evidence` — evidence files, stored byte for byte.
- :mod:`~esgledger.workflow.templates` — the XLSX collection template per owner or entity.

Every function takes the acting :class:`~esgledger.auth.permissions.Principal` and checks
its permission; every state change is an audit event. The CLI, and later the API and web
pages, call these functions and nothing else.
"""
