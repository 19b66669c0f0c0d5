"""Domain rules that need no database: identifiers, money, dates, co-insurance, fee limits,
coverage windows, status transitions. Each failure is a ValidationError or RuleViolation
naming the field and the reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from ..errors import RuleViolation, ValidationError
from ..rulesets import RuleSet
from ..values import dto

CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    """GB 32100-2015 check character for the first 17 characters of a credit code."""
    total = sum(CREDIT_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CHARS[(31 - total % 31) % 31]


def check_credit_code(code: str | None, field: str = "统一社会信用代码") -> str | None:
    if code is None or code == "":
        return None
    code = code.strip().upper()
    if len(code) != 18:
        raise ValidationError(field, f"应为 18 位，实际 {len(code)} 位：{code}")
    bad = [c for c in code if c not in CREDIT_CHARS]
    if bad:
        raise ValidationError(field, f"含有不允许的字符 {''.join(bad)}：{code}")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(field, f"校验位错误：{code}（应为 {credit_code_check_char(code[:17])}）")
    return code


def yuan_to_fen(value: object, field: str, *, positive: bool = True, limit_yuan: int = 10**12) -> int:
    """Money given in yuan (number or string, at most 2 decimals) as integer fen."""
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(field, f"不是金额：{value!r}") from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(field, f"金额最多两位小数：{value}")
    if amount < 0 or (positive and amount == 0):
        raise ValidationError(field, f"金额必须大于 0：{value}")
    if amount > limit_yuan:
        raise ValidationError(field, f"金额超出上限 {limit_yuan:,} 元：{value}")
    return int(amount * 100)


def fen_to_yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def parse_date(value: object, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(field, f"不是有效日期（YYYY-MM-DD）：{value}") from None


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
        raise ValidationError("共保体", f"必须有且只有一家主承保公司，当前 {len(leads)} 家")
    members = len(insurers) - 1
    if members < ruleset.min_coinsurance_members:
        raise ValidationError("共保体", f"除主承保公司外至少 {ruleset.min_coinsurance_members} 家共保公司，当前 {members} 家")
    for i in insurers:
        if not 0 < i.share_bp <= 10000:
            raise ValidationError("共保份额", f"{i.name} 的份额必须在 0 到 100% 之间")
    total = sum(i.share_bp for i in insurers)
    if total != 10000:
        raise ValidationError("共保份额", f"各家份额合计应为 100%，当前 {total / 100:g}%")
    names = [i.name for i in insurers]
    if len(set(names)) != len(names):
        raise ValidationError("共保体", "同一保险公司出现多次")


def percent_to_bp(value: object, field: str) -> int:
    try:
        pct = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationError(field, f"不是百分比：{value!r}") from None
    bp = pct * 100
    if bp != bp.to_integral_value():
        raise ValidationError(field, f"份额最多两位小数：{value}")
    return int(bp)


def check_risk_fee(premium_fen: int, risk_fee_fen: int, ruleset: RuleSet) -> None:
    limit = Decimal(premium_fen) * Decimal(str(ruleset.max_risk_fee_share))
    if risk_fee_fen > limit:
        raise ValidationError(
            "风险管理费",
            f"不得超过保费的 {ruleset.max_risk_fee_share:.0%}：保费 {fen_to_yuan(premium_fen)} 元，"
            f"上限 {fen_to_yuan(int(limit))} 元，填写 {fen_to_yuan(risk_fee_fen)} 元",
        )


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

STATUS_NAMES = {"open": "待整改", "replied": "已回复", "verified": "已验证关闭", "closed": "已关闭"}


def is_overdue(status: str, deadline: date | None, today: date) -> bool:
    """Overdue: still open (no reply yet) after its rectification deadline."""
    return status == "open" and deadline is not None and deadline < today


def check_transition(current: str, target: str, *, reason: str | None = None) -> None:
    need = TRANSITIONS.get((current, target))
    if need is None:
        raise RuleViolation(
            f"不允许从「{STATUS_NAMES.get(current, current)}」变为「{STATUS_NAMES.get(target, target)}」",
            current=current, target=target,
        )
    if need == "reason" and not (reason and reason.strip()):
        raise RuleViolation(f"变为「{STATUS_NAMES[target]}」必须记录原因", current=current, target=target)


def final_gate(project_id: int, rows: Sequence[dto.FindingInfo]) -> dto.GateResult:
    """The final gate (Art. 10) over a project's findings: every serious one verified as rectified."""
    serious = [f for f in rows if f.is_serious]
    blocking = [f for f in serious if f.status != "verified"]
    return dto.GateResult(project_id, not blocking, blocking, len(serious), len(serious) - len(blocking))
