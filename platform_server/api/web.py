"""The insurer's web view: projects, issued reports and serious findings still open.

Server-rendered HTML, no script. A browser logs in by pasting its token once (kept in an
HttpOnly, SameSite=Strict cookie); an agency's token shows only that agency's projects.
"""

from __future__ import annotations

import json
from datetime import date
from html import escape
from typing import Annotated, Any, TypeVar
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import Select, func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from ..auth import Caller, authenticate
from ..blob_store import SHA256_PATTERN
from ..models import (
    Agency,
    Finding,
    PlatformProject,
    ProjectAssignment,
    Report,
    SyncDevice,
    SyncRow,
)
from ..team import natural_uid
from .dependencies import TOKEN_COOKIE, PlatformDep, web_caller

router = APIRouter(include_in_schema=False)
AnySelect = TypeVar("AnySelect", bound="Select[*tuple[Any, ...]]")
WebCaller = Annotated[Caller | None, Depends(web_caller)]
STYLE = ("body{font-family:system-ui,'Noto Sans CJK SC',sans-serif;margin:2em;color:#222}"
         "table{border-collapse:collapse;margin-bottom:2em}th,td{border:1px solid #ccc;padding:4px 8px;"
         "text-align:left}th{background:#f3f3f3}.late{color:#b00020;font-weight:bold}code{font-size:90%}")


def _page(title: str, body: str) -> HTMLResponse:
    return HTMLResponse(f"<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>{escape(title)}"
                        f"</title><style>{STYLE}</style></head><body><h1>{escape(title)}</h1>{body}</body></html>")


def _table(headers: list[str], rows: list[list[str]], empty: str) -> str:
    if not rows:
        return f"<p>{escape(empty)}</p>"
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _visible(query: AnySelect, caller: Caller, project_column: InstrumentedAttribute[int]) -> AnySelect:
    """The query limited to the caller's agency's projects (the insurer sees all)."""
    if caller.sees_every_project:
        return query
    return query.join(ProjectAssignment, ProjectAssignment.project_id == project_column).where(
        ProjectAssignment.agency_id == caller.agency_id)


def _team(s: Session, caller: Caller) -> dict[int, list[dict[str, Any]]]:
    """The team record's findings (merged from the laptops' changes), per visible project."""
    query = _visible(select(SyncRow.project_id, SyncRow.row_uid, SyncRow.data).where(
        SyncRow.table_name == "finding", SyncRow.deleted.is_(False)), caller, SyncRow.project_id)
    out: dict[int, list[dict[str, Any]]] = {}
    for project_id, uid, data in s.execute(query):
        out.setdefault(project_id, []).append({"uid": uid, **json.loads(data)})
    return out


def _open(f: dict[str, Any]) -> bool:
    return bool(f.get("is_serious")) and f.get("status") in ("open", "replied")


def _projects(s: Session, caller: Caller, team: dict[int, list[dict[str, Any]]]) -> list[list[str]]:
    agencies = dict(s.execute(select(ProjectAssignment.project_id, func.count(Agency.id)).join(Agency)
                              .group_by(ProjectAssignment.project_id)).all())
    reports = dict(s.execute(select(Report.project_id, func.count()).group_by(Report.project_id)).all())
    serious = dict(s.execute(select(Finding.project_id, func.count()).where(
        Finding.is_serious, Finding.status.in_(("open", "replied"))).group_by(Finding.project_id)).all())
    devices = dict(s.execute(select(SyncDevice.project_id, func.count()).group_by(SyncDevice.project_id)).all())
    query = _visible(select(PlatformProject).order_by(PlatformProject.code), caller, PlatformProject.id)
    rows = []
    for p in s.scalars(query):
        found = team.get(p.id)
        open_serious = sum(_open(f) for f in found) if found else serious.get(p.id, 0)
        rows.append([escape(p.code), escape(p.name), str(agencies.get(p.id, 0)), str(reports.get(p.id, 0)),
                     str(len(found or [])), str(devices.get(p.id, 0)), str(open_serious)])
    return rows


def _buildings(project: PlatformProject) -> dict[str, str]:
    """Building UUID (as the laptops name it) -> name, from the project the insurer registered."""
    detail = json.loads(project.detail)
    return {natural_uid(project.uid, "building", b.get("name")): str(b.get("name"))
            for b in detail.get("buildings") or [] if isinstance(b, dict)}


def _conflicts(s: Session, caller: Caller, team: dict[int, list[dict[str, Any]]]) -> list[list[str]]:
    """Open conflicts between laptops: two offline edits of one field, until a person decides."""
    query = _visible(select(SyncRow.project_id, SyncRow.data, PlatformProject.code).join(
        PlatformProject, PlatformProject.id == SyncRow.project_id).where(SyncRow.table_name == "sync_conflict"),
        caller, SyncRow.project_id)
    rows = []
    for project_id, data, code in s.execute(query):
        c = json.loads(data)
        if c.get("status") != "open":
            continue
        number = next((f.get("number") for f in team.get(project_id, []) if f["uid"] == c.get("row_uid")), None)
        what = f"F{number:03d}" if isinstance(number, int) else f"{c.get('table_name')} {str(c.get('row_uid'))[:8]}"
        rows.append([escape(code), escape(what), escape(str(c.get("field"))), escape(str(c.get("value_a"))[:120]),
                     escape(str(c.get("value_b"))[:120])])
    return rows


def _reports(s: Session, caller: Caller) -> list[list[str]]:
    query = _visible(select(Report, PlatformProject.code).join(PlatformProject)
                     .order_by(Report.issued_at.desc()).limit(200), caller, Report.project_id)
    return [[escape(code), escape(r.number), str(r.revision), escape(r.title), r.issued_at.strftime("%Y-%m-%d"),
             escape(r.issued_by or ""), _signoff(r.signoff),
             {True: "通过 pass", False: "未通过 blocked", None: ""}[r.gate_passed],
             f"<a href='/reports/{r.pdf_sha256}.pdf'><code>{r.pdf_sha256[:12]}…</code></a>"]
            for r, code in s.execute(query).all()]


def _signoff(raw: str | None) -> str:
    """编制 / 审核 / 批准 as sent: names and days."""
    names = {"prepare": "编制", "review": "审核", "approve": "批准"}
    return "<br>".join(escape(f"{names.get(x.get('step'), '')} {x.get('name', '')} {x.get('on') or ''}".strip())
                       for x in json.loads(raw)) if raw else ""


def _serious_open(s: Session, caller: Caller, team: dict[int, list[dict[str, Any]]]) -> list[list[str]]:
    """From the team record where the laptops sync their changes, else from delivered reports."""
    today = date.today().isoformat()
    rows: list[tuple[str, int, list[str]]] = []
    projects = {p.id: p for p in s.scalars(_visible(select(PlatformProject), caller, PlatformProject.id))}
    for project_id, found in team.items():
        project = projects.get(project_id)
        if project is None:
            continue
        names = _buildings(project)
        for f in found:
            if _open(f):
                rows.append((project.code, int(f.get("number") or 0), _finding_row(
                    project.code, int(f.get("number") or 0), names.get(str(f.get("building_id")), ""),
                    str(f.get("grade_now") or ""), str(f.get("status")), f.get("deadline"), str(f.get("description") or ""),
                    today)))
    query = _visible(select(Finding, PlatformProject.code).join(PlatformProject)
                     .where(Finding.is_serious, Finding.status.in_(("open", "replied"))), caller, Finding.project_id)
    for old, code in s.execute(query).all():
        if old.project_id not in team:
            rows.append((code, old.number, _finding_row(code, old.number, old.building, old.grade_now, old.status,
                                                        old.deadline, old.description, today)))
    return [row for _code, _number, row in sorted(rows, key=lambda r: (r[0], r[1]))]


def _finding_row(code: str, number: int, building: str, grade: str, status: str, deadline: str | None,
                 description: str, today: str) -> list[str]:
    late = deadline is not None and deadline < today
    shown = f"<span class='late'>{escape(deadline or '')} 逾期 overdue</span>" if late else escape(deadline or "")
    return [escape(code), f"F{number:03d}", escape(building), escape(grade), escape(status), shown,
            escape(description[:120])]


@router.get("/", response_model=None)
def overview(platform: PlatformDep, caller: WebCaller) -> Response:
    if caller is None:
        return RedirectResponse("/login", status_code=303)
    with platform.db.read() as s:
        team = _team(s, caller)
        body = (
            "<h2>项目 Projects</h2>" + _table(["编号 Code", "名称 Name", "机构 Agencies", "报告 Reports",
                                             "团队记录的问题 Findings (team record)", "电脑 Laptops",
                                             "未闭合严重缺陷 Serious open"], _projects(s, caller, team),
                                            "没有项目 No projects")
            + "<h2>同步冲突 Conflicts between laptops</h2>" + _table(
                ["项目 Project", "记录 Record", "字段 Field", "一方 One value", "另一方 Other value"],
                _conflicts(s, caller, team), "没有未处理的冲突 None open")
            + "<h2>已签发报告 Issued reports</h2>" + _table(
                ["项目 Project", "编号 Number", "版 Rev.", "类型 Kind", "签发 Issued", "签发人 By",
                 "编制/审核/批准 Sign-off", "闸门 Gate", "PDF SHA-256"], _reports(s, caller), "没有报告 No reports")
            + "<h2>未闭合的严重缺陷 Serious findings still open</h2>" + _table(
                ["项目 Project", "编号 No.", "楼栋 Building", "等级 Grade", "状态 Status", "期限 Deadline",
                 "描述 Description"], _serious_open(s, caller, team), "没有 None")
            + "<form method='post' action='/logout'><button>退出 Log out</button></form>")
    return _page("IDI 信息平台 Information platform", body)


@router.get("/reports/{sha256}.pdf", response_model=None)
def report_pdf(sha256: str, platform: PlatformDep, caller: WebCaller) -> Response:
    """An issued report's PDF, for whoever may see its project."""
    if caller is None:
        return RedirectResponse("/login", status_code=303)
    with platform.db.read() as s:
        query = _visible(select(Report.id).where(Report.pdf_sha256 == sha256), caller, Report.project_id)
        visible = s.scalars(query).first() is not None
    path = platform.store.blob_path(sha256) if SHA256_PATTERN.match(sha256) else None
    if not visible or path is None or not path.is_file():
        return Response("not found", status_code=404)
    return FileResponse(path, media_type="application/pdf")


@router.get("/login")
def login_form() -> HTMLResponse:
    return _page("登录 Log in", "<form method='post' action='/login'><label>令牌 Token "
                 "<input name='token' type='password' size='60' autocomplete='off'></label> "
                 "<button>登录 Log in</button></form>")


@router.post("/login", response_model=None)
async def login(request: Request, platform: PlatformDep) -> Response:
    fields = parse_qs((await request.body()).decode("utf-8", "replace"))
    secret = (fields.get("token") or [""])[0].strip()
    authenticate(platform.db, secret)  # 401 when wrong or expired
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(TOKEN_COOKIE, secret, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https")
    return response


@router.post("/logout")
def logout() -> RedirectResponse:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(TOKEN_COOKIE)
    return response
