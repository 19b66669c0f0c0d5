"""Protocol v2: a project's change feed (send, read) and reserved numbers."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from ..errors import ProtocolError
from ..schemas import MAX_DEPTH, ChangesIn, NumbersIn, too_deep
from ..team import FEED_PAGE, accept_changes, feed, reserve_numbers
from .dependencies import CallerDep, PlatformDep

router = APIRouter(prefix="/v2", tags=["team"])


def _scope(caller: Any) -> tuple[int | None, bool]:
    return (None, True) if caller.sees_every_project else (caller.agency(), False)


@router.post("/projects/{uid}/changes")
async def post_changes(uid: str, request: Request, platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    """Store these changes once each (by id) and merge them into the team's record. Only an agency's
    or an inspector's laptop sends changes: insurer and admin tokens deliver nothing (403)."""
    agency_id = caller.agency()
    limit = platform.settings.max_manifest_bytes
    if int(request.headers.get("content-length") or 0) > limit:
        raise ProtocolError(413, "too_large", f"a request has at most {limit} bytes")
    raw = await request.body()
    if len(raw) > limit:
        raise ProtocolError(413, "too_large", f"a request has at most {limit} bytes")
    try:
        document = json.loads(raw)
        if too_deep(document):
            raise ValueError(f"the body nests deeper than {MAX_DEPTH} levels")
        body = ChangesIn.model_validate(document)
    except (ValueError, RecursionError) as exc:
        errors = ([{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()] if isinstance(exc, ValidationError)
                  else [{"loc": ["body"], "msg": str(exc) or "not JSON"}])
        raise ProtocolError(422, "invalid_changes", "the changes do not follow the protocol", errors=errors) from None
    return await run_in_threadpool(accept_changes, platform.db, agency_id, False, uid, body, document["changes"])


@router.get("/projects/{uid}/changes")
def get_changes(uid: str, platform: PlatformDep, caller: CallerDep,
                after: Annotated[int, Query(ge=0, le=2**53 - 1)] = 0,
                limit: Annotated[int, Query(ge=1, le=FEED_PAGE)] = FEED_PAGE,
                exclude_device: Annotated[str | None, Query(max_length=80)] = None) -> dict[str, Any]:
    """The project's changes after the cursor, in the order they arrived (a page at a time)."""
    agency_id, sees_all = _scope(caller)
    return feed(platform.db, agency_id, sees_all, uid, after, limit, exclude_device)


@router.post("/projects/{uid}/numbers")
def post_numbers(uid: str, body: NumbersIn, platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    """Reserve a block of finding, visit or report numbers for one device: an agency's or an
    inspector's laptop (insurer and admin tokens number nothing: 403)."""
    return reserve_numbers(platform.db, caller.agency(), False, uid, body)
