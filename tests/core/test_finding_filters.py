from datetime import date

from inspector_app.services.finding_filters import FindingFilter, FindingIndex, sort_findings
from inspector_app.values.dto import FindingInfo


def row(n, **kw):
    base = dict(id=n, project_id=1, visit_id=1, visit_number=1, number=n, building="1#楼", floor="3F",
                location="301户卫生间", division_code="03", subdivision_code="0301", coverage_code="WPI-2",
                description="闭水试验渗漏", risk=None, clause="GB 50209-2010 4.10.11", requirement=None,
                deadline=date(2026, 1, 1), responsible_party="北京宏基建设集团有限公司", grade_found="C",
                grade_now="C", is_serious=False, serious_reason=None, status="open", found_on=date(2025, 12, 1),
                closed_on=None, overdue=False, photos=1, recorded_by="王建国")
    base.update(kw)
    return FindingInfo(**base)


ROWS = [row(1), row(2, building="2#楼", description="空调板上铁下沉", coverage_code="STR-4", division_code="02",
                    grade_now="D", is_serious=True),
        row(3, status="verified", grade_now="A", recorded_by="李敏"),
        row(4, overdue=True, deadline=date(2025, 12, 5), floor="12F")]


def numbers(rows):
    return [r.number for r in rows]


def test_free_text_words_all_must_match_case_insensitive():
    idx = FindingIndex(ROWS)
    assert numbers(idx.select(FindingFilter(text="卫生间 渗漏"))) == [1, 3, 4]
    assert numbers(idx.select(FindingFilter(text="f002"))) == [2]
    assert numbers(idx.select(FindingFilter(text="宏基 空调板"))) == [2]
    assert idx.select(FindingFilter(text="电梯")) == []


def test_pickers_combine():
    idx = FindingIndex(ROWS)
    assert numbers(idx.select(FindingFilter(buildings=frozenset({"2#楼"})))) == [2]
    assert numbers(idx.select(FindingFilter(coverages=frozenset({"STR"})))) == [2]
    assert numbers(idx.select(FindingFilter(statuses=frozenset({"open"}), overdue_only=True))) == [4]
    assert numbers(idx.select(FindingFilter(serious_only=True))) == [2]
    assert numbers(idx.select(FindingFilter(inspectors=frozenset({"李敏"})))) == [3]
    assert numbers(idx.select(FindingFilter(floors=frozenset({"12F"}), grades=frozenset({"C"})))) == [4]
    assert idx.facets()["buildings"] == ["1#楼", "2#楼"]


def test_sorting_keeps_a_stable_order():
    assert numbers(sort_findings(ROWS, "grade_now")) == [3, 1, 4, 2]
    assert numbers(sort_findings(ROWS, "status")) == [4, 1, 2, 3]  # overdue open first
    assert numbers(sort_findings(ROWS, "deadline", descending=True))[0] in (1, 2, 3)
    later = [row(9, deadline=None)] + ROWS
    assert numbers(sort_findings(later, "deadline"))[-1] == 9


def test_a_changed_finding_replaces_its_row_and_its_search_text():
    from dataclasses import replace as changed

    from inspector_app.services.finding_filters import FindingFilter, FindingIndex
    from inspector_app.values.dto import FindingInfo

    base = FindingInfo(id=1, project_id=1, visit_id=1, visit_number=1, number=1, building="1#楼", floor="3F",
                       location="卫生间", division_code="03", subdivision_code=None, coverage_code="WPI-2",
                       description="渗水", risk=None, clause=None, requirement=None, deadline=None,
                       responsible_party=None, grade_found="C", grade_now="C", is_serious=False, serious_reason=None,
                       status="open", found_on=__import__("datetime").date(2025, 5, 20), closed_on=None,
                       overdue=False, photos=0)
    index = FindingIndex([base])
    assert index.replace(changed(base, location="厨房"))
    assert index.select(FindingFilter(text="厨房")) and not index.select(FindingFilter(text="卫生间"))
    assert not index.replace(changed(base, id=2))
