"""Manifest delivery (idempotent) and receipts, and the download of assigned projects."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request
from fastapi.responses import JSONResponse
from sqlalchemy import select
from starlette.concurrency import run_in_threadpool

from ..errors import ProtocolError, not_found
from ..manifests import accept_manifest
from ..models import Manifest
from ..projects import list_projects, project_detail
from .dependencies import CallerDep, PlatformDep

router = APIRouter(prefix="/v1", tags=["sync"])


@router.post("/manifests")
async def post_manifest(request: Request, platform: PlatformDep, caller: CallerDep,
                        idempotency_key: Annotated[str, Header(alias="Idempotency-Key")]) -> JSONResponse:
    agency_id = caller.agency()
    limit = platform.settings.max_manifest_bytes
    if int(request.headers.get("content-length") or 0) > limit:
        raise ProtocolError(413, "too_large", f"a manifest has at most {limit} bytes")
    raw = await request.body()
    if len(raw) > limit:
        raise ProtocolError(413, "too_large", f"a manifest has at most {limit} bytes")
    receipt, replayed = await run_in_threadpool(accept_manifest, platform.db, platform.store, agency_id,
                                                idempotency_key, raw)
    return JSONResponse(receipt, status_code=200 if replayed else 201,
                        headers={"Idempotent-Replayed": "true" if replayed else "false"})


@router.get("/receipts/{idempotency_key}")
def get_receipt(idempotency_key: str, platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    """The receipt of a manifest delivered under this key, if it arrived."""
    agency_id = caller.agency()
    with platform.db.read() as s:
        receipt = s.scalars(select(Manifest.receipt).where(Manifest.agency_id == agency_id,
                                                           Manifest.idempotency_key == idempotency_key)).first()
    if receipt is None:
        raise not_found("receipt", idempotency_key)
    stored: dict[str, Any] = json.loads(receipt)
    return stored


@router.get("/projects")
def get_projects(platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    agency_id = None if caller.sees_every_project else caller.agency()
    projects = list_projects(platform.db, agency_id, caller.sees_every_project)
    return {"projects": [p.as_json() for p in projects]}


@router.get("/projects/{uid}")
def get_project(uid: str, platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    agency_id = None if caller.sees_every_project else caller.agency()
    return project_detail(platform.db, agency_id, caller.sees_every_project, uid)
