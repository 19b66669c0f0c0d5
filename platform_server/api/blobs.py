"""Blob presence and resumable uploads."""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from fastapi import APIRouter, Header, Request, Response
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from ..blob_store import SegmentWriter
from ..errors import ProtocolError, not_found
from ..schemas import BlobCheckRequest, UploadRequest
from ..uploads import (
    UploadState,
    check_sha256,
    commit_last_segment,
    commit_segment,
    complete_upload,
    expect_offset,
    present_blobs,
    start_upload,
    upload_state,
)
from .dependencies import CallerDep, PlatformDep

router = APIRouter(prefix="/v1", tags=["blobs"])


def _upload_json(state: UploadState, status_code: int = 200) -> JSONResponse:
    headers = {"Upload-Offset": str(state.offset)}
    if state.id:
        headers["Location"] = f"/v1/uploads/{state.id}"
    return JSONResponse(dataclasses.asdict(state), status_code=status_code, headers=headers)


@router.head("/blobs/{sha256}")
def blob_presence(sha256: str, platform: PlatformDep, caller: CallerDep) -> Response:
    present = present_blobs(platform.db, platform.store, caller.agency(), [sha256])
    if sha256 not in present:
        return Response(status_code=404)
    return Response(status_code=200, headers={"Blob-Size": str(present[sha256])})


@router.get("/blobs/{sha256}")
def blob_content(sha256: str, platform: PlatformDep, caller: CallerDep) -> FileResponse:
    """The bytes, for an agency that uploaded them or for the insurer."""
    check_sha256(sha256)
    if not caller.sees_every_project and sha256 not in present_blobs(platform.db, platform.store,
                                                                     caller.agency(), [sha256]):
        raise not_found("blob", sha256)
    path = platform.store.blob_path(sha256)
    if not path.is_file():
        raise not_found("blob", sha256)
    return FileResponse(path, media_type="application/octet-stream", headers={"ETag": f'"{sha256}"'})


@router.post("/blobs/check")
def check_blobs(body: BlobCheckRequest, platform: PlatformDep, caller: CallerDep) -> dict[str, Any]:
    present = present_blobs(platform.db, platform.store, caller.agency(), body.sha256)
    return {"present": [{"sha256": sha, "size": present[sha]} for sha in sorted(present)],
            "missing": sorted(set(body.sha256) - set(present))}


@router.post("/uploads")
def create_upload(body: UploadRequest, platform: PlatformDep, caller: CallerDep) -> JSONResponse:
    state, created = start_upload(platform.db, platform.store, caller.agency(), body.sha256, body.size,
                                  platform.settings.max_blob_bytes)
    return _upload_json(state, 201 if created else 200)


@router.get("/uploads/{upload_id}")
def get_upload(upload_id: str, platform: PlatformDep, caller: CallerDep) -> JSONResponse:
    return _upload_json(upload_state(platform.db, caller.agency(), upload_id))


@router.patch("/uploads/{upload_id}")
async def append_to_upload(upload_id: str, request: Request, platform: PlatformDep, caller: CallerDep,
                           upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0)]) -> JSONResponse:
    """Append the body at ``Upload-Offset``. Bytes that arrived before a cut connection are
    kept and counted, so the next PATCH starts where this one stopped. The PATCH that brings
    the upload to its size also completes it (as POST .../complete would)."""
    agency_id = caller.agency()
    state = await run_in_threadpool(expect_offset, platform.db, agency_id, upload_id, upload_offset)
    writer = SegmentWriter(platform.store.new_segment_path(upload_id, upload_offset), state.size - upload_offset)
    try:
        await _receive(request, writer)
    except BaseException:
        await run_in_threadpool(writer.abort)
        platform.store.discard_segment(writer.path)  # and the folder, if that left it empty
        raise
    segment = dataclasses.replace(await run_in_threadpool(writer.finish), start=upload_offset)
    if segment.length == 0:
        platform.store.discard_segment(segment.path)
        return _upload_json(state)
    try:
        if upload_offset + segment.length == state.size:  # the last bytes: complete now
            state = await run_in_threadpool(commit_last_segment, platform.db, platform.store, agency_id, upload_id,
                                            state.sha256, segment)
        else:
            state = await run_in_threadpool(commit_segment, platform.db, agency_id, upload_id, upload_offset,
                                            segment)
    except BaseException:
        platform.store.discard_segment(segment.path)
        raise
    return _upload_json(state)


async def _receive(request: Request, writer: SegmentWriter) -> None:
    try:
        async for chunk in request.stream():
            if not await writer.write(chunk):
                raise ProtocolError(413, "beyond_size", f"the body passes the announced size by "
                                    f"{writer.length + len(chunk) - writer.limit} bytes or more")
    except ClientDisconnect:
        return  # keep what arrived


@router.post("/uploads/{upload_id}/complete")
def finish_upload(upload_id: str, platform: PlatformDep, caller: CallerDep) -> JSONResponse:
    return _upload_json(complete_upload(platform.db, platform.store, caller.agency(), upload_id))
