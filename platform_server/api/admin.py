"""Admin endpoints (admin token): agencies, tokens, projects and their assignment.
``python -m platform_server admin`` does the same against the database directly."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Response
from fastapi.responses import JSONResponse

from ..auth import Caller, issue_token, revoke_token
from ..errors import forbidden
from ..projects import assign_project, create_agency, put_project, unassign_project
from ..schemas import MAX_INT32, AgencyIn, ProjectDetailIn, TokenIn
from .dependencies import PlatformDep, api_caller


def admin_caller(caller: Caller = Depends(api_caller)) -> Caller:  # noqa: B008
    if caller.role != "admin":
        raise forbidden("an admin token is needed")
    return caller


router = APIRouter(prefix="/v1/admin", tags=["admin"], dependencies=[Depends(admin_caller)])


@router.post("/agencies")
def add_agency(body: AgencyIn, platform: PlatformDep) -> JSONResponse:
    created = create_agency(platform.db, body)
    return JSONResponse({"code": body.code, "created": created}, status_code=201 if created else 200)


@router.post("/tokens", status_code=201)
def add_token(body: TokenIn, platform: PlatformDep) -> dict[str, Any]:
    days = body.days if body.days is not None else platform.settings.default_token_days
    token = issue_token(platform.db, body.role, agency_code=body.agency, subject=body.subject,
                        valid_for=timedelta(days=days))
    return {"id": token.id, "token": token.secret, "role": token.role, "agency": token.agency_code,
            "subject": token.subject, "expires_at": token.expires_at.isoformat(timespec="seconds") + "Z"
            if token.expires_at else None}


@router.delete("/tokens/{token_id}", status_code=204)
def delete_token(token_id: Annotated[int, Path(ge=1, le=MAX_INT32)], platform: PlatformDep) -> Response:
    revoke_token(platform.db, token_id)
    return Response(status_code=204)


@router.put("/projects/{uid}")
def register_project(uid: str, body: ProjectDetailIn, platform: PlatformDep) -> JSONResponse:
    summary, created = put_project(platform.db, uid, body)
    return JSONResponse(summary.as_json(), status_code=201 if created else 200)


@router.put("/projects/{uid}/agencies/{agency_code}", status_code=204)
def assign(uid: str, agency_code: str, platform: PlatformDep) -> Response:
    assign_project(platform.db, uid, agency_code)
    return Response(status_code=204)


@router.delete("/projects/{uid}/agencies/{agency_code}", status_code=204)
def unassign(uid: str, agency_code: str, platform: PlatformDep) -> Response:
    unassign_project(platform.db, uid, agency_code)
    return Response(status_code=204)
