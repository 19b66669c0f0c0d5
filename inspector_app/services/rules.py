"""Domain rules that need no database: identifiers, money, dates, co-insurance, fee limits,
coverage windows, status transitions. Each failure is a ValidationError or RuleViolation
naming the field and the reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
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


def final_gate(project_id: int, rows: Sequence[dto.FindingInfo]) -> dto.GateResult:
    """The final gate (Art. 10) over a project's findings: every serious one verified as rectified."""
    serious = [f for f in rows if f.is_serious]
    blocking = [f for f in serious if f.status != "verified"]
    return dto.GateResult(project_id, not blocking, blocking, len(serious), len(serious) - len(blocking))
