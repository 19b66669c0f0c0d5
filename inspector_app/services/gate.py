"""The final gate (Art. 10) of a project: the facts it needs (plan nodes, visits, issued process
reports, serious findings and the proof of their re-checks) read with plain SQL, decided by
``rules.final_gate``.

Plain SQL with named parameters, so the same reads serve an ORM session (the app) and a bare
``sqlite3`` connection (the first screen, painted before the ORM is imported)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..rulesets import RuleSet, load_ruleset
from ..values import dto
from . import finding_rows, rules

if TYPE_CHECKING:  # the first screen imports this module before SQLAlchemy is loaded
    from sqlalchemy.orm import Session

Run = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]


def session_runner(s: Session) -> Run:
    from sqlalchemy import text

    return lambda sql, params: s.execute(text(sql), params).all()


def evaluate(s: Session, project_id: int, today: date) -> dto.GateResult:
    """The gate of the project as the data stands in ``s``'s transaction."""
    return evaluate_with(session_runner(s), project_id, today)


def evaluate_with(run: Run, project_id: int, today: date) -> dto.GateResult:
    ruleset_id, version, agency_id = run("SELECT ruleset_id, ruleset_version, agency_id FROM project WHERE id = :pid",
                                         {"pid": project_id})[0]
    rs = load_ruleset(ruleset_id, version)
    pending, behaviour = _grades(rs)
    params: dict[str, Any] = {"pid": project_id}
    proof = unproven(run, agency_id, "f.project_id = :pid AND f.is_serious", params)
    # Read whole only what the gate lists: serious findings not (provably) verified, open R and E items
    marks = sorted(pending | behaviour)
    params |= {f"g{i}": g for i, g in enumerate(marks)} | {f"u{i}": fid for i, fid in enumerate(proof)}
    graded = "".join(f" OR f.grade_found = :g{i} OR f.grade_now = :g{i}" for i in range(len(marks)))
    shown = f"f.status <> 'verified'{' OR f.id IN (' + ', '.join(f':u{i}' for i in range(len(proof))) + ')' if proof else ''}"
    where = f"(f.is_serious AND ({shown})) OR (f.status IN ('open', 'replied') AND (0{graded}))"
    rows = [finding_rows.to_info(r, today) for r in run(
        finding_rows.row_sql(f"f.project_id = :pid AND ({where})"), params)]
    serious_count = int(run("SELECT COUNT(*) FROM finding WHERE project_id = :pid AND is_serious",
                            {"pid": project_id})[0][0])
    nodes = [(code, status) for code, status in run(
        "SELECT code, status FROM plan_node WHERE project_id = :pid ORDER BY sort_order, id", {"pid": project_id})]
    visit_rows = run("SELECT id, number, started_at FROM visit WHERE project_id = :pid ORDER BY number",
                     {"pid": project_id})
    visits = [(int(vid), int(number)) for vid, number, _ in visit_rows]
    days = {int(vid): str(started)[:10] for vid, _, started in visit_rows}
    reports = [(number, frozenset(_covered(scope, days))) for number, scope in run(
        "SELECT number, scope FROM issued_report WHERE project_id = :pid AND kind = 'process' AND status = 'issued' "
        "ORDER BY id", {"pid": project_id})]
    facts = rules.GateFacts(project_id, rows, nodes, visits, reports, proof, pending, behaviour, serious_count)
    return rules.final_gate(facts)


def _grades(rs: RuleSet) -> tuple[frozenset[str], frozenset[str]]:
    grades = rs.grades.values()
    return frozenset(g.code for g in grades if g.pending), frozenset(g.code for g in grades if g.behaviour)


def _covered(scope_json: str, days: dict[int, str]) -> set[int]:
    """The visit ids an issued process report covers: its visit, or every visit in its period."""
    scope = json.loads(scope_json)
    if scope.get("visit_id"):
        return {int(scope["visit_id"])}
    start, end = scope.get("from"), scope.get("to")
    return {vid for vid, day in days.items() if start and end and start <= day <= end}


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def unproven(run: Run, agency_id: int | None, scope: str, params: dict[str, Any]) -> dict[int, list[str]]:
    """For each verified finding ``f`` matching ``scope`` (SQL over the finding as ``f``): what its last
    accepted re-check lacks as proof (rules.PROOF_CODES); findings with full proof are left out."""
    where = f"f.status = 'verified' AND ({scope})"
    checks = {int(fid): (visit_id, inspector_id, reason) for fid, visit_id, inspector_id, reason in run(
        f"SELECT v.finding_id, v.visit_id, v.inspector_id, v.reuse_reason FROM verification v "
        f"JOIN finding f ON f.id = v.finding_id WHERE v.result = 'accepted' AND {where} ORDER BY v.id", params)}
    replies = {int(fid): _day(day) for fid, day in run(
        f"SELECT r.finding_id, MAX(r.replied_on) FROM rectification_reply r JOIN finding f ON f.id = r.finding_id "
        f"WHERE {where} GROUP BY r.finding_id", params)}
    people = {int(i) for (i,) in run("SELECT id FROM inspector WHERE agency_id = :aid", {"aid": agency_id})}
    photos = after_photos(run, where, params)
    out: dict[int, list[str]] = {}
    for fid, found in run(f"SELECT f.id, f.found_on FROM finding f WHERE {where}", params):
        check = checks.get(int(fid))
        if check is None:
            out[int(fid)] = ["no_recheck"]
            continue
        visit_id, inspector_id, reason = check
        problems = rules.proof_problems(_day(found), replies.get(int(fid)), visit=visit_id is not None,
                                        inspector=inspector_id is not None and int(inspector_id) in people,
                                        photos=photos.get(int(fid), []), reuse_reason=reason)
        if problems:
            out[int(fid)] = problems
    return out


def after_photos(run: Run, scope: str, params: dict[str, Any]) -> dict[int, list[rules.AfterPhoto]]:
    """The after-photos of each finding ``f`` matching ``scope`` (time: EXIF, else import), each with
    the label of another finding that held the same file first (an earlier photo row), if any."""
    out: dict[int, list[rules.AfterPhoto]] = defaultdict(list)
    for fid, taken, imported, sha, other in run(
            f"SELECT p.finding_id, p.taken_at, p.imported_at, p.sha256, "
            f"(SELECT f2.number FROM photo p2 JOIN finding f2 ON f2.id = p2.finding_id WHERE p2.sha256 = p.sha256 "
            f"AND p2.finding_id <> p.finding_id AND p2.id < p.id ORDER BY p2.id LIMIT 1) "
            f"FROM photo p JOIN finding f ON f.id = p.finding_id WHERE p.role = 'after' AND ({scope}) ORDER BY p.id",
            params):
        out[int(fid)].append(rules.AfterPhoto(sha, _moment(taken or imported),
                                              dto.finding_label(int(other)) if other is not None else None))
    return out
