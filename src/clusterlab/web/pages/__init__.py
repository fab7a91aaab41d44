"""The HTML pages: the five steps (each its own URL), "My runs", sign-in, downloads and Learn.

Step URLs: ``/`` upload, ``/runs/{id}/columns`` data overview, ``/runs/{id}/order`` order categories,
``/runs/{id}/k`` choose k, ``/runs/{id}/results``. Every form works without JavaScript (a POST then a
redirect); HTMX makes uploads show progress, role changes apply in place and progress bars live.
One module per step (and one for My runs, one for sign-in); what they share is in :mod:`.wizard`.
"""

from __future__ import annotations

from fastapi import APIRouter

from . import columns, k_choice, learn, login, order, results, runs, upload

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _module in (upload, runs, columns, order, k_choice, results, login, learn):
    router.include_router(_module.router)
