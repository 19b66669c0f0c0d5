from datetime import date

import pytest

from inspector_app.errors import RuleViolation, ValidationError
from inspector_app.rulesets import load_ruleset
from inspector_app.services import rules


def test_credit_code_check_digit():
    assert rules.check_credit_code("91110115MA01QQWE7B") == "91110115MA01QQWE7B"
    with pytest.raises(ValidationError, match="校验位"):
        rules.check_credit_code("91110115MA01QQWE7C")
    with pytest.raises(ValidationError, match="18 位"):
        rules.check_credit_code("9111011")
    with pytest.raises(ValidationError, match="不允许的字符"):
        rules.check_credit_code("91110115MA01QQWEZB")


def test_money_in_fen_rejects_bad_figures():
    assert rules.yuan_to_fen("1,234.56", "x") == 123456
    for bad in ("abc", "-5", "0", "1.234", "1e20"):
        with pytest.raises(ValidationError):
            rules.yuan_to_fen(bad, "x")


def shares(*pcts, lead=0):
    return [rules.InsurerShare(f"保险{i}", i == lead, int(p * 100)) for i, p in enumerate(pcts)]


def test_coinsurance_needs_lead_two_members_and_100_percent():
    rs = load_ruleset()
    rules.check_coinsurance(shares(40, 30, 30), rs)
    with pytest.raises(ValidationError, match="至少 2 家"):
        rules.check_coinsurance(shares(60, 40), rs)
    with pytest.raises(ValidationError, match="合计应为 100%"):
        rules.check_coinsurance(shares(40, 30, 29), rs)
    with pytest.raises(ValidationError, match="有且只有一家"):
        rules.check_coinsurance([rules.InsurerShare("a", True, 5000), rules.InsurerShare("b", True, 2500),
                                 rules.InsurerShare("c", False, 2500)], rs)


def test_risk_fee_at_most_30_percent_of_premium():
    rs = load_ruleset()
    rules.check_risk_fee(1_000_000, 300_000, rs)
    with pytest.raises(ValidationError, match="30%"):
        rules.check_risk_fee(1_000_000, 300_001, rs)


def test_add_years_feb_29_becomes_feb_28():
    assert rules.add_years(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert rules.add_years(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_coverage_windows_derive_from_acceptance_and_yield_to_policy_dates():
    rs = load_ruleset()
    acc = date(2027, 6, 28)
    w = rules.coverage_window("STR", "x", 10, acc, None, None, rs)
    assert (w.starts_on, w.ends_on, w.stated) == (date(2029, 6, 28), date(2039, 6, 27), False)
    w = rules.coverage_window("WPI", "x", 5, acc, None, None, rs)
    assert (w.starts_on, w.ends_on) == (date(2029, 6, 28), date(2034, 6, 27))
    w = rules.coverage_window("WPI", "x", 5, acc, date(2029, 7, 1), date(2034, 6, 30), rs)
    assert (w.starts_on, w.ends_on, w.stated) == (date(2029, 7, 1), date(2034, 6, 30), True)
    assert rules.coverage_window("STR", "x", 10, None, None, None, rs).starts_on is None


def test_status_transitions():
    rules.check_transition("open", "replied")
    rules.check_transition("replied", "verified")
    with pytest.raises(RuleViolation, match="原因"):
        rules.check_transition("open", "closed", reason=" ")
    rules.check_transition("open", "closed", reason="经设计确认非缺陷")
    with pytest.raises(RuleViolation, match="不允许"):
        rules.check_transition("verified", "replied")
    with pytest.raises(RuleViolation, match="不允许"):
        rules.check_transition("closed", "verified")


def test_ruleset_is_the_regulation():
    rs = load_ruleset()
    assert rs.id == "beijing-2019" and rs.version
    assert sorted(rs.coverages) == [f"STR-{i}" for i in range(1, 7)] + [f"WPI-{i}" for i in range(1, 5)]
    assert rs.coverages["STR-1"].text == "整体或局部倒塌"
    assert "悬挑构件" in rs.coverages["STR-4"].text
    assert rs.group_period_years("STR") == 10 and rs.group_period_years("WPI") == 5
    assert rs.cover_start_offset_years == 2
    assert len(rs.riders) == 7 and len(rs.divisions) == 10
    # Art. 10 concerns defects in the finished works: D blocks; E is a behaviour risk, reported apart
    assert [g for g in rs.grades.values() if g.serious] == [rs.grades["D"]]
    assert [g.code for g in rs.grades.values() if g.behaviour] == ["E"]
    assert [g.code for g in rs.grades.values() if g.pending] == ["R"]
    # infill masonry (N09) is inspected before the main-structure acceptance (N08): DOMAIN.md section 12
    codes = [f"N{i:02d}" for i in range(1, 21)]
    codes[7], codes[8] = "N09", "N08"
    assert [n.code for n in rs.nodes] == codes
    assert rs.subdivision_name("0107") == "地下防水"
