"""What the JSON API and the pages share over HTTP, below both interfaces.

Error mapping to statuses and problem details (:mod:`~esgledger.http_shared.errors`), the
audit trace of refused requests (:mod:`~esgledger.http_shared.refusals`), file downloads
(:mod:`~esgledger.http_shared.downloads`) and list paging and CSV export
(:mod:`~esgledger.http_shared.paging`). The API and the web import this package, never each
other; :mod:`esgledger.server` assembles them into one application.
"""
