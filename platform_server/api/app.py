"""The app factory: one FastAPI app over a database and a blob folder, nothing else.

No state lives in the process (uploads, idempotency keys and receipts are rows), so any
number of instances can serve the same database and blob store behind a load balancer.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from ..blob_store import BlobStore
from ..database import Database
from ..errors import ProtocolError
from ..settings import Settings
from ..uploads import cleanup_abandoned_uploads
from . import admin, blobs, manifests, team, web
from .dependencies import Platform
from .guards import BodyTooLarge, RequestGuard, SecurityHeaders

log = logging.getLogger(__name__)


async def _protocol_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProtocolError)
    return JSONResponse(exc.body(), status_code=exc.status, headers=exc.headers)


async def _invalid_request(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
    return JSONResponse({"error": "invalid_request", "detail": "the request does not follow the protocol",
                         "errors": errors}, status_code=422)


FRAMEWORK_ERRORS = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
UNPARSABLE_BODY = "There was an error parsing the body"  # FastAPI's 400 for a body that is not UTF-8 JSON


async def _framework_error(_request: Request, exc: Exception) -> JSONResponse:
    """The framework's own errors (no such route, a wrong method, an unreadable JSON body) in the
    protocol's error shape: a body that cannot be read as JSON is an invalid request (422), as a
    body that is not well-formed JSON already is."""
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400 and exc.detail == UNPARSABLE_BODY:
        return JSONResponse({"error": "invalid_request", "detail": "the body is not JSON in UTF-8",
                             "errors": [{"loc": ["body"], "msg": "the body is not JSON in UTF-8"}]}, status_code=422)
    code = FRAMEWORK_ERRORS.get(exc.status_code, f"http_{exc.status_code}")
    extra = {"limit": exc.limit} if isinstance(exc, BodyTooLarge) else {}
    return JSONResponse({"error": code, "detail": str(exc.detail), **extra}, status_code=exc.status_code,
                        headers=exc.headers)


def no_nul_in_url(request: Request) -> None:
    """A path or query parameter with U+0000 names nothing (and PostgreSQL cannot even compare it)."""
    if any("\x00" in value for value in (*request.path_params.values(), *request.query_params.values())):
        raise ProtocolError(422, "invalid_request", "a path or query parameter contains U+0000",
                            errors=[{"loc": ["path"], "msg": "U+0000 in a parameter"}])


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
                  docs_url=None, redoc_url=None, openapi_url="/v1/openapi.json",
                  dependencies=[Depends(no_nul_in_url)])
    app.state.platform = Platform(settings, db, store)
    app.add_exception_handler(ProtocolError, _protocol_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(StarletteHTTPException, _framework_error)
    for module in (blobs, manifests, team, admin, web):
        app.include_router(module.router)
    app.add_middleware(RequestGuard, settings=settings, db=db)  # token and size first, then the body
    app.add_middleware(SecurityHeaders, inline_styles=[web.STYLE])  # outermost: on every answer

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    return app
