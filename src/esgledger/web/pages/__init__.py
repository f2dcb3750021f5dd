"""Page routers, one module per area; :mod:`esgledger.web.app` mounts them all."""

from esgledger.web.pages import (
    account,
    api_docs,
    assess,
    audit,
    board,
    dashboard,
    insight,
    login,
    registers,
    reports,
    requests,
    review,
    survey,
    training,
    whistle,
)

PAGE_ROUTERS = (
    login.router,
    dashboard.router,
    requests.router,
    review.router,
    survey.router,
    registers.router,
    board.router,
    training.router,
    whistle.router,
    insight.router,
    assess.router,
    reports.router,
    audit.router,
    api_docs.router,
    account.router,
)
