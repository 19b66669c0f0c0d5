"""What the window shows first, read with the standard library's sqlite3 alone.

Start-up speed: SQLAlchemy's ORM and the model classes cost more to import than a bare Qt
window takes to paint. The dashboard of the first project is read here with a handful of
plain SQL queries (read-only), painted, and the ORM is loaded right after the first paint
for everything else. Only used when the database file is already at this app's schema
(``is_ready``); a new or older file goes through the normal path (migration, demo).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..schema import SCHEMA_HEAD
from ..values import dto
from . import finding_rows
from .gate import evaluate_with


@dataclass(frozen=True, slots=True)
class FirstScreen:
    projects: list[dto.ProjectSummary]
    project_id: int
    name: str
    address: str
    policy_no: str
    lead_insurer: str
    rows: list[dto.FindingInfo]
    gate: dto.GateResult
    nodes: list[dto.NodeInfo]
    visits: list[dto.VisitInfo]  # number, date, nodes and finding count (enough for the dashboard)


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)


def is_ready(path: Path) -> bool:
    """True when the file exists, is at this app's schema and holds at least one project not archived."""
    if not path.exists():
        return False
    try:
        con = _connect(path)
        try:
            version = con.execute("SELECT version_num FROM alembic_version").fetchone()
            has_project = con.execute("SELECT 1 FROM project WHERE archived_at IS NULL LIMIT 1").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return False
    return version is not None and version[0] == SCHEMA_HEAD and has_project is not None


DEMO_STAGING = "demo-build"  # the demo is built in this folder of the data folder, then taken in whole


def demo_pending(data_dir: Path, database: Path) -> bool:
    """A first start: no database yet, or a demo build cut short (its folder is still there).

    A database without projects is not one: the demo was removed, and is made again only when asked."""
    return not database.exists() or (data_dir / DEMO_STAGING).is_dir()


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def read_first_screen(path: Path, today: date | None = None) -> FirstScreen:
    today = today or date.today()
    con = _connect(path)
    try:
        return _read(con, today)
    finally:
        con.close()


def _projects(con: sqlite3.Connection) -> list[dto.ProjectSummary]:
    open_in = ", ".join(f"'{code}'" for code in dto.OPEN_STATUSES)
    rows = con.execute(f"""
        SELECT p.id, p.code, p.name, p.address, COALESCE(pol.policy_no, ''),
               (SELECT COUNT(*) FROM building b WHERE b.project_id = p.id),
               (SELECT COUNT(*) FROM visit v WHERE v.project_id = p.id),
               (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id),
               (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id AND f.status IN ({open_in})),
               (SELECT COUNT(*) FROM finding f WHERE f.project_id = p.id AND f.is_serious
                                                AND f.status IN ({open_in})),
               p.is_demo, p.archived_at IS NOT NULL
        FROM project p LEFT JOIN policy pol ON pol.project_id = p.id WHERE p.archived_at IS NULL
        ORDER BY p.id""").fetchall()
    return [dto.ProjectSummary(pid, code, name, address, policy_no, buildings, visit_count, finding_count, open_count,
                               serious, is_demo=bool(demo), archived=bool(archived))
            for (pid, code, name, address, policy_no, buildings, visit_count, finding_count, open_count, serious, demo,
                 archived) in rows]


def _findings(con: sqlite3.Connection, pid: int, today: date) -> list[dto.FindingInfo]:
    rows = con.execute(finding_rows.row_sql("f.project_id = :pid"), {"pid": pid}).fetchall()
    return [finding_rows.to_info(r, today) for r in rows]


def _read(con: sqlite3.Connection, today: date) -> FirstScreen:
    projects = _projects(con)
    p = projects[0]
    lead = con.execute("""SELECT i.name FROM policy_insurer i JOIN policy pol ON pol.id = i.policy_id
                          WHERE pol.project_id = ? AND i.is_lead LIMIT 1""", (p.id,)).fetchone()
    rows = _findings(con, p.id, today)
    gate = evaluate_with(lambda sql, params: con.execute(sql, params).fetchall(), p.id, today)
    visit_counts = dict(con.execute("""SELECT vn.node_id, COUNT(*) FROM visit_node vn JOIN visit v ON v.id = vn.visit_id
                                       WHERE v.project_id = ? GROUP BY vn.node_id""", (p.id,)).fetchall())
    nodes = [dto.NodeInfo(nid, code, name, _d(planned), _d(reached), status, visit_counts.get(nid, 0),
                          notified_on=_d(notified), waived_reason=reason, waived_by=by, waived_on=_d(waived))
             for nid, code, name, planned, reached, status, notified, reason, by, waived in con.execute(
                 """SELECT id, code, name, planned_date, reached_date, status, notified_on, waived_reason, waived_by,
                           waived_on FROM plan_node WHERE project_id = ? ORDER BY sort_order, id""", (p.id,))]
    codes = {n.id: n.code for n in nodes}
    visit_nodes: dict[int, list[str]] = {}
    for visit_id, node_id in con.execute("""SELECT vn.visit_id, vn.node_id FROM visit_node vn JOIN visit v
                                            ON v.id = vn.visit_id WHERE v.project_id = ? ORDER BY vn.id""", (p.id,)):
        visit_nodes.setdefault(visit_id, []).append(codes.get(node_id, ""))
    per_visit: dict[int, int] = {}
    for f in rows:
        per_visit[f.visit_id] = per_visit.get(f.visit_id, 0) + 1
    visits = [dto.VisitInfo(vid, p.id, number, datetime.fromisoformat(started), weather, visit_nodes.get(vid, []),
                            [], [], {}, summary, per_visit.get(vid, 0))
              for vid, number, started, weather, summary in con.execute(
                  "SELECT id, number, started_at, weather, summary FROM visit WHERE project_id = ? ORDER BY number",
                  (p.id,))]
    return FirstScreen(projects, p.id, p.name, p.address, p.policy_no, lead[0] if lead else "", rows, gate, nodes,
                       visits)
