"""The app factory: one FastAPI app over a database and a blob folder, nothing else.

No state lives in the process (uploads, idempotency keys and receipts are rows), so any
number of instances can serve the same database and blob store behind a load balancer.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from .. import __version__
from ..blob_store import BlobStore
from ..database import Database
from ..errors import ProtocolError
from ..settings import Settings
from ..uploads import cleanup_abandoned_uploads
from . import admin, blobs, manifests, team, web
from .dependencies import Platform

log = logging.getLogger(__name__)


async def _protocol_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProtocolError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    return JSONResponse({"error": "invalid_request", "detail": "the request does not follow the protocol",
                         "errors": errors}, status_code=422)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The platform server; ``settings`` default to the environment (see Settings.from_env)."""
    settings = settings or Settings.from_env()
    db = Database(settings.database_url)
    if settings.create_schema:
        db.migrate()
    store = BlobStore(settings.blob_dir)
    if settings.abandoned_upload_hours > 0:  # opportunistic: a failure here must not stop the server
        try:
            removed = cleanup_abandoned_uploads(db, store, timedelta(hours=settings.abandoned_upload_hours))
        except Exception:
            log.exception("the clean-up of abandoned uploads failed (the server starts all the same)")
        else:
            if removed:
                log.info("removed %d upload(s) abandoned for over %g hours", removed,
                         settings.abandoned_upload_hours)
    app = FastAPI(title="IDI information platform (reference server)", version=__version__,
                  docs_url=None, redoc_url=None, openapi_url="/v1/openapi.json")
    app.state.platform = Platform(settings, db, store)
    app.add_exception_handler(ProtocolError, _protocol_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    for module in (blobs, manifests, team, admin, web):
        app.include_router(module.router)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
