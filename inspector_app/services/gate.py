"""The final gate (Art. 10) of a project: the facts it needs (plan nodes, visits, issued process
reports, serious findings and the proof of their re-checks) read with plain SQL, decided by
``rules.final_gate``.

Plain SQL with named parameters, so the same reads serve an ORM session (the app) and a bare
``sqlite3`` connection (the first screen, painted before the ORM is imported)."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Collection, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..rulesets import RuleSet, load_ruleset
from ..values import dto
from . import as_of as as_of_module
from . import finding_rows, rules

if TYPE_CHECKING:  # the first screen imports this module before SQLAlchemy is loaded
    from sqlalchemy.orm import Session

Run = Callable[[str, dict[str, Any]], Sequence[Sequence[Any]]]


def session_runner(s: Session) -> Run:
    from sqlalchemy import text

    return lambda sql, params: s.execute(text(sql), params).all()


def evaluate(s: Session, project_id: int, today: date, as_of: date | None = None) -> dto.GateResult:
    """The gate of the project as the data stands in ``s``'s transaction, or as it stood at the end of
    ``as_of`` (findings, replies, re-checks, photos, node dates, visits and reports dated after it left out)."""
    return evaluate_with(session_runner(s), project_id, today, as_of)


def evaluate_with(run: Run, project_id: int, today: date, as_of: date | None = None) -> dto.GateResult:
    ruleset_id, version, agency_id = run("SELECT ruleset_id, ruleset_version, agency_id FROM project WHERE id = :pid",
                                         {"pid": project_id})[0]
    rs = load_ruleset(ruleset_id, version)
    pending, behaviour = _grades(rs)
    if as_of is None:
        rows, proof, serious_count = _findings_now(run, project_id, agency_id, today, pending | behaviour)
        nodes = [(code, status) for code, status in run(
            "SELECT code, status FROM plan_node WHERE project_id = :pid ORDER BY sort_order, id", {"pid": project_id})]
    else:
        serious = frozenset(g.code for g in rs.grades.values() if g.serious)
        rows, proof, serious_count = _findings_as_of(run, project_id, agency_id, today, as_of, serious,
                                                     pending | behaviour)
        seen = as_of_module.node_visit_days(run, project_id)
        nodes = [(code, as_of_module.node_as_of(_node(nid, code, status, reached, waived), seen.get(int(nid), []),
                                                as_of).status)
                 for nid, code, status, reached, waived in run(
                     "SELECT id, code, status, reached_date, waived_on FROM plan_node WHERE project_id = :pid "
                     "ORDER BY sort_order, id", {"pid": project_id})]
    visit_rows = [(vid, number, started) for vid, number, started in run(
        "SELECT id, number, started_at FROM visit WHERE project_id = :pid ORDER BY number", {"pid": project_id})
        if as_of is None or _day(started) <= as_of]
    visits = [(int(vid), int(number)) for vid, number, _ in visit_rows]
    days = {int(vid): str(started)[:10] for vid, _, started in visit_rows}
    issued = run("SELECT id, status, issued_at, replaces_id, number, scope FROM issued_report "
                 "WHERE project_id = :pid AND kind = 'process' ORDER BY id", {"pid": project_id})
    in_force = set(as_of_module.reports_in_force([r[:4] for r in issued], as_of, today))
    reports = [(number, frozenset(_covered(scope, days))) for rid, *_, number, scope in issued if int(rid) in in_force]
    facts = rules.GateFacts(project_id, rows, nodes, visits, reports, proof, pending, behaviour, serious_count)
    return rules.final_gate(facts)


def _findings_now(run: Run, project_id: int, agency_id: int | None, today: date,
                  marked: frozenset[str]) -> tuple[list[dto.FindingInfo], dict[int, list[str]], int]:
    """The findings the gate lists, read whole only for those (serious ones not provably verified,
    open R and E items), the proof each verified serious one lacks, and the count of serious ones."""
    params: dict[str, Any] = {"pid": project_id}
    proof = unproven(run, agency_id, "f.project_id = :pid AND f.is_serious", params)
    marks = sorted(marked)
    params |= {f"g{i}": g for i, g in enumerate(marks)} | {f"u{i}": fid for i, fid in enumerate(proof)}
    graded = "".join(f" OR f.grade_found = :g{i} OR f.grade_now = :g{i}" for i in range(len(marks)))
    shown = f"f.status <> 'verified'{' OR f.id IN (' + ', '.join(f':u{i}' for i in range(len(proof))) + ')' if proof else ''}"
    where = f"(f.is_serious AND ({shown})) OR (f.status IN ('open', 'replied') AND (0{graded}))"
    rows = [finding_rows.to_info(r, today) for r in run(
        finding_rows.row_sql(f"f.project_id = :pid AND ({where})"), params)]
    serious_count = int(run("SELECT COUNT(*) FROM finding WHERE project_id = :pid AND is_serious",
                            {"pid": project_id})[0][0])
    return rows, proof, serious_count


def _findings_as_of(run: Run, project_id: int, agency_id: int | None, today: date, day: date,
                    serious: frozenset[str], marked: frozenset[str]
                    ) -> tuple[list[dto.FindingInfo], dict[int, list[str]], int]:
    """``_findings_now`` as the findings stood at the end of ``day``: every finding found by then,
    each with its status, grade and serious flag as they were, and its proof as recorded by then."""
    history = as_of_module.History.load(run, project_id, serious, today)
    every = [history.finding(finding_rows.to_info(r, day), day) for r in run(
        finding_rows.row_sql("f.project_id = :pid AND f.found_on <= :day"), {"pid": project_id, "day": day.isoformat()})]
    verified = {f.id for f in every if f.is_serious and f.status == "verified"}
    proof = unproven(run, agency_id, "f.project_id = :pid", {"pid": project_id}, until=day, only=verified,
                     today=today)
    rows = [f for f in every if (f.is_serious and (f.status != "verified" or f.id in proof))
            or (f.is_open and (f.grade_found in marked or f.grade_now in marked))]
    return rows, proof, sum(f.is_serious for f in every)


def _node(nid: Any, code: str, status: str, reached: Any, waived: Any) -> dto.NodeInfo:
    return dto.NodeInfo(int(nid), code, "", None, _day(reached) if reached else None, status, 0,
                        waived_on=_day(waived) if waived else None)


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
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _moment(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def unproven(run: Run, agency_id: int | None, scope: str, params: dict[str, Any], *, until: date | None = None,
             only: Collection[int] | None = None, today: date | None = None) -> dict[int, list[str]]:
    """For each verified finding ``f`` matching ``scope`` (SQL over the finding as ``f``): what its last
    accepted re-check lacks as proof (rules.PROOF_CODES); findings with full proof are left out.

    ``until``: as recorded by the end of that day, for the findings ``only`` (those verified then;
    their status now is not read): re-checks, replies and after-photos dated after it left out."""
    where = f"f.status = 'verified' AND ({scope})" if until is None else f"({scope})"
    params = params | ({"until": until.isoformat()} if until is not None else {})
    checks = {int(fid): (visit_id, inspector_id, reason) for fid, visit_id, inspector_id, reason in run(
        f"SELECT v.finding_id, v.visit_id, v.inspector_id, v.reuse_reason FROM verification v "
        f"JOIN finding f ON f.id = v.finding_id WHERE v.result = 'accepted' AND {where}"
        f"{' AND v.verified_on <= :until' if until else ''} ORDER BY v.id", params)}
    replies = {int(fid): _day(day) for fid, day in run(
        f"SELECT r.finding_id, MAX(r.replied_on) FROM rectification_reply r JOIN finding f ON f.id = r.finding_id "
        f"WHERE {where}{' AND r.replied_on <= :until' if until else ''} GROUP BY r.finding_id", params)}
    people = {int(i) for (i,) in run("SELECT id FROM inspector WHERE agency_id = :aid", {"aid": agency_id})}
    photos = after_photos(run, where, params, until=until, today=today)
    out: dict[int, list[str]] = {}
    for fid, found in run(f"SELECT f.id, f.found_on FROM finding f WHERE {where}", params):
        if only is not None and int(fid) not in only:
            continue
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


def after_photos(run: Run, scope: str, params: dict[str, Any], *, until: date | None = None,
                 today: date | None = None) -> dict[int, list[rules.AfterPhoto]]:
    """The after-photos of each finding ``f`` matching ``scope`` (time: EXIF, else import), each with
    the label of another finding that held the same file first (an earlier photo row), if any;
    with ``until``, only those dated by the end of that day (as_of.photo_day)."""
    out: dict[int, list[rules.AfterPhoto]] = defaultdict(list)
    for fid, taken, imported, sha, other in run(
            f"SELECT p.finding_id, p.taken_at, p.imported_at, p.sha256, "
            f"(SELECT f2.number FROM photo p2 JOIN finding f2 ON f2.id = p2.finding_id WHERE p2.sha256 = p.sha256 "
            f"AND p2.finding_id <> p.finding_id AND p2.id < p.id ORDER BY p2.id LIMIT 1) "
            f"FROM photo p JOIN finding f ON f.id = p.finding_id WHERE p.role = 'after' AND ({scope}) ORDER BY p.id",
            params):
        if until is not None and as_of_module.photo_day(
                "after", _moment(taken) if taken else None, _moment(imported), date.min, today) > until:
            continue
        out[int(fid)].append(rules.AfterPhoto(sha, _moment(taken or imported),
                                              dto.finding_label(int(other)) if other is not None else None))
    return out
