"""Domain rules that need no database: identifiers, money, dates, co-insurance, fee limits,
coverage windows, status transitions. Each failure is a ValidationError or RuleViolation
naming the field and the reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from ..errors import RuleViolation, ValidationError
from ..rulesets import RuleSet
from ..values import dto

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def check_credit_code(code: str | None, field: str = "credit_code", **where: Any) -> str | None:
    """The normalised code, or None when absent. ``where`` fills the field's name (``owner``)."""
    if code is None or code == "":
        return None
    code = code.strip().upper()
    if len(code) != 18:
        raise ValidationError(field, "credit_code.length", length=len(code), value=code, **where)
    bad = [c for c in code if c not in CREDIT_CHARS]
    if bad:
        raise ValidationError(field, "credit_code.bad_chars", chars="".join(bad), value=code, **where)
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(field, "credit_code.check_char", value=code, expected=credit_code_check_char(code[:17]),
                              **where)
    return code


def yuan_to_fen(value: object, field: str, *, positive: bool = True, limit_yuan: int = 10**12) -> int:
    """Money given in yuan (number or string, at most 2 decimals) as integer fen."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(field, "money.not_amount", value=value) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(field, "money.too_many_decimals", value=value)
    if amount < 0 or (positive and amount == 0):
        raise ValidationError(field, "money.not_positive", value=value)
    if amount > limit_yuan:
        raise ValidationError(field, "money.over_limit", limit=limit_yuan, value=value)
    return int(amount * 100)


def fen_to_yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, "date.invalid", value=value) from None


def add_years(day: date, years: int) -> date:
    """Same calendar day ``years`` later; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class InsurerShare:
    name: str
    is_lead: bool
    share_bp: int


def check_coinsurance(insurers: Sequence[InsurerShare], ruleset: RuleSet) -> None:
    """One lead, at least ``min_coinsurance_members`` members, shares adding to 100 %."""
    leads = [i for i in insurers if i.is_lead]
    if len(leads) != 1:
        raise ValidationError("coinsurance", "coinsurance.lead_count", count=len(leads))
    members = len(insurers) - 1
    if members < ruleset.min_coinsurance_members:
        raise ValidationError("coinsurance", "coinsurance.too_few", minimum=ruleset.min_coinsurance_members, count=members)
    for i in insurers:
        if not 0 < i.share_bp <= 10000:
            raise ValidationError("coinsurance.share", "coinsurance.share_range", name=i.name)
    total = sum(i.share_bp for i in insurers)
    if total != 10000:
        raise ValidationError("coinsurance.share", "coinsurance.share_total", total=total / 100)
    names = [i.name for i in insurers]
    if len(set(names)) != len(names):
        raise ValidationError("coinsurance", "coinsurance.duplicate")


def percent_to_bp(value: object, field: str) -> int:
    try:
        pct = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(field, "percent.invalid", value=value) from None
    bp = pct * 100
    if bp != bp.to_integral_value():
        raise ValidationError(field, "percent.too_many_decimals", value=value)
    return int(bp)


def check_risk_fee(premium_fen: int, risk_fee_fen: int, ruleset: RuleSet) -> None:
    limit = Decimal(premium_fen) * Decimal(str(ruleset.max_risk_fee_share))
    if risk_fee_fen > limit:
        raise ValidationError("risk_fee", "risk_fee.over_share", share=ruleset.max_risk_fee_share,
                              premium=fen_to_yuan(premium_fen), limit=fen_to_yuan(int(limit)),
                              value=fen_to_yuan(risk_fee_fen))


@dataclass(frozen=True, slots=True)
class CoverageWindow:
    code: str
    label: str
    starts_on: date | None
    ends_on: date | None
    period_years: int | None
    stated: bool  # True when the policy states the dates, False when derived


def coverage_window(code: str, label: str, period_years: int | None, acceptance: date | None,
                    stated_start: date | None, stated_end: date | None, ruleset: RuleSet) -> CoverageWindow:
    """The insurance period of one cover: the policy's dates, else derived from acceptance."""
    start = stated_start
    if start is None and acceptance is not None:
        start = add_years(acceptance, ruleset.cover_start_offset_years)
    end = stated_end
    if end is None and start is not None and period_years:
        end = add_years(start, period_years) - timedelta(days=1)
    return CoverageWindow(code, label, start, end, period_years,
                          stated=stated_start is not None or stated_end is not None)


# Allowed status transitions: (from, to) -> what it takes.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("open", "replied"): "reply",
    ("open", "verified"): "verification",
    ("replied", "verified"): "verification",
    ("replied", "open"): "verification",  # verification rejected
    ("open", "open"): "verification",  # re-check rejected without a reply
    ("open", "closed"): "reason",
    ("replied", "closed"): "reason",
    ("verified", "open"): "reason",  # re-opened
    ("closed", "open"): "reason",
}

# The statuses' names, in both languages, are in messages.NAMES ("status.open", ...).


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Overdue: still open (no reply yet) after its rectification deadline."""
    return status == "open" and deadline is not None and deadline < today


def check_transition(current: str, target: str, *, reason: str | None = None) -> None:
    need = TRANSITIONS.get((current, target))
    if need is None:
        raise RuleViolation("finding.transition_not_allowed", current=current, target=target)
    if need == "reason" and not (reason and reason.strip()):
        raise RuleViolation("finding.transition_needs_reason", current=current, target=target)


# Why an accepted re-check does not prove rectification (message keys "proof.<code>").
PROOF_CODES = ("no_recheck", "no_visit", "no_inspector", "no_after_photo", "after_photo_too_early", "photo_reused")


@dataclass(frozen=True, slots=True)
class AfterPhoto:
    """An after-photo offered as proof: when it was taken (EXIF time, else import time) and whether
    the same file (by hash) is already on another finding (``elsewhere``: that finding's label)."""

    sha256: str
    taken: datetime
    elsewhere: str | None = None


def proof_problems(found_on: date, last_reply: date | None, *, visit: bool, inspector: bool,
                   photos: Sequence[AfterPhoto], reuse_reason: str | None) -> list[str]:
    """What an accepted re-check lacks to prove rectification: a visit, an inspector of the agency,
    an after-photo taken on or after the day the finding was found and the latest reply, not
    already used on another finding unless the reuse is confirmed with a reason."""
    problems = [code for code, ok in (("no_visit", visit), ("no_inspector", inspector)) if not ok]
    if not photos:
        return [*problems, "no_after_photo"]
    since = max(found_on, last_reply or found_on)
    timely = [p for p in photos if p.taken.date() >= since]
    if not timely:
        problems.append("after_photo_too_early")
    elif all(p.elsewhere for p in timely) and not (reuse_reason and reuse_reason.strip()):
        problems.append("photo_reused")
    return problems


def number_ranges(numbers: Sequence[int]) -> list[str]:
    """Visit numbers as a reader takes them in: [1, 2, 3, 5] -> ["1-3", "5"]."""
    out: list[str] = []
    for n in sorted(set(numbers)):
        if out and out[-1].split("-")[-1] == str(n - 1):
            out[-1] = f"{out[-1].split('-')[0]}-{n}"
        else:
            out.append(str(n))
    return out


@dataclass(frozen=True, slots=True)
class GateFacts:
    """What the final gate reads of a project (services/gate.py gathers it in one transaction)."""

    project_id: int
    rows: Sequence[dto.FindingInfo]  # the findings that matter: serious ones, pending, behaviour risks
    nodes: Sequence[tuple[str, str]]  # (code, status) of every node of the plan
    visits: Sequence[tuple[int, int]]  # (visit id, visit number)
    process_reports: Sequence[tuple[str, frozenset[int]]]  # (number, visit ids it covers), issued ones
    unproven: Mapping[int, Sequence[str]]  # serious verified finding id -> PROOF_CODES it lacks
    pending_grades: frozenset[str] = frozenset({"R"})
    behaviour_grades: frozenset[str] = frozenset({"E"})
    serious_count: int | None = None  # every serious finding, when ``rows`` leave out the proven ones


def final_gate(facts: GateFacts) -> dto.GateResult:
    """The final gate (Art. 10) and its preconditions, each failing condition reported by itself.

    Blocking: no visit at all; a node of the plan neither inspected in a visit nor waived with a
    reason; a serious finding not verified (closing without verification keeps it blocking); a
    serious finding verified without proof. Stated, not blocking: findings whose evidence is
    pending (R), open quality-behaviour risks (E) not marked serious, visits no issued process
    report covers."""
    reasons: list[dto.Notice] = []
    if not facts.visits:
        reasons.append(dto.Notice("no_visit", "gate.no_visit", blocking=True))
    missing = [code for code, status in facts.nodes if status not in ("inspected", "waived")]
    if missing:
        reasons.append(dto.Notice("nodes_not_inspected", "gate.nodes_not_inspected",
                                  {"count": len(missing), "nodes": missing}, missing, blocking=True))
    serious = [f for f in facts.rows if f.is_serious]
    unverified = [f for f in serious if f.status != "verified"]
    if unverified:
        labels = [f.label for f in unverified]
        reasons.append(dto.Notice("serious_unverified", "gate.serious_unverified",
                                  {"count": len(labels), "items": labels}, labels, blocking=True))
    unproven = [f for f in serious if f.status == "verified" and facts.unproven.get(f.id)]
    if unproven:
        labels = [f.label for f in unproven]
        detail = [{"key": "gate.unproven_item", "params": {"label": f.label, "problems": [
            {"key": f"proof.{code}", "params": {}} for code in facts.unproven[f.id]]}} for f in unproven]
        # each item reads "F003（无整改后照片）": a phrase per finding, rendered in the reader's language
        reasons.append(dto.Notice("serious_unproven", "gate.serious_unproven",
                                  {"count": len(labels), "items": detail}, labels, blocking=True))
    pending = [f for f in facts.rows if f.is_open and f.grade_now in facts.pending_grades]
    if pending:
        labels = [f.label for f in pending]
        reasons.append(dto.Notice("evidence_pending", "gate.evidence_pending", {"count": len(labels), "items": labels},
                                  labels))
    behaviour = [f for f in facts.rows if f.is_open and not f.is_serious
                 and (f.grade_found in facts.behaviour_grades or f.grade_now in facts.behaviour_grades)]
    if behaviour:
        labels = [f.label for f in behaviour]
        reasons.append(dto.Notice("behaviour_risks", "gate.behaviour_risks", {"count": len(labels), "items": labels},
                                  labels))
    covered = set().union(*(ids for _, ids in facts.process_reports)) if facts.process_reports else set()
    bare = [number for vid, number in facts.visits if vid not in covered]
    if bare:
        reasons.append(dto.Notice("visits_without_report", "gate.visits_without_report",
                                  {"count": len(bare), "visits": number_ranges(bare)}, [str(n) for n in bare]))
    blocking = unverified + unproven
    total = len(serious) if facts.serious_count is None else facts.serious_count
    return dto.GateResult(facts.project_id, not any(r.blocking for r in reasons), blocking, total,
                          total - len(blocking), reasons, pending, behaviour,
                          [number for number, _ in facts.process_reports], bare)
