"""The gate's rules as the window shows them: closing a serious defect warns before it is
confirmed that it keeps blocking; a re-check is made in a visit and refused without proof."""

from datetime import datetime

import pytest

pytest.importorskip("PySide6")

from inspector_app.services import findings, visits  # noqa: E402
from inspector_app.services.demo_photos import make_photo  # noqa: E402
from inspector_app.ui.main_window import MainWindow  # noqa: E402
from inspector_app.ui.tasks import SyncTaskRunner  # noqa: E402


@pytest.fixture
def window(qtbot, ctx, project):
    visit = visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9), node_codes=["N03"], inspectors=["赵工"])
    findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01", subdivision="0107",
                            grade="D", description="桩头防水未按设计做法施工")
    findings.record_finding(ctx.db, visit.id, building="1#楼", coverage="WPI-2", division="01", subdivision="0107",
                            grade="B", description="卷材保护层局部破损")
    w = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(w)
    w.show()
    return w


def _select(window, label):
    labels = [window.model.finding(r).label for r in range(window.model.rowCount())]
    window.table.selectRow(labels.index(label))


def test_closing_a_serious_defect_says_it_keeps_blocking_before_it_is_confirmed(window):
    _select(window, "F001")
    dialog = window.open_action("close")
    assert dialog.note.isVisible() and "仍将阻止最终评估通过" in dialog.note.text()
    dialog.fields["reason"].setPlainText("施工单位称已处理")
    dialog.accept()
    assert window.panel.finding.status == "closed"
    assert "F001" in window.gate.text()  # still blocking
    _select(window, "F002")
    dialog = window.open_action("close")
    assert not dialog.note.isVisible()  # not serious: nothing to warn about
    dialog.reject()


def test_a_recheck_in_the_window_is_made_in_a_visit_and_needs_a_timely_after_photo(window, ctx, tmp_path):
    _select(window, "F001")
    dialog = window.open_action("verify")
    assert dialog.fields["visit"].count() == 1 and "第 1 次巡查" in dialog.fields["visit"].currentText()
    assert "整改后照片" in dialog.note.text()
    old = make_photo(tmp_path / "old.jpg", scene="membrane", label="旧照片", taken_at=datetime(2024, 1, 1, 9), seed=1)
    window._import_photos([str(old)], "after")
    dialog = window.open_action("verify")
    dialog.accept()
    assert "早于" in dialog.error.text() and dialog.isVisible()  # refused in place, nothing lost
    dialog.reject()
    fresh = make_photo(tmp_path / "new.jpg", scene="membrane", label="复查", taken_at=datetime(2025, 5, 20, 15), seed=2)
    window._import_photos([str(fresh)], "after")
    dialog = window.open_action("verify")
    dialog.fields["grade"].setCurrentIndex(dialog.fields["grade"].findData("B"))
    dialog.accept()
    assert not dialog.isVisible()
    assert window.panel.finding.status == "verified" and window.panel.finding.grade_now == "B"
    assert "F001" not in window.gate.text() and "不通过" in window.gate.text()  # the plan is not yet inspected
