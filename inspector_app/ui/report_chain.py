"""The review chain in the report centre: reports under review, who prepared, reviewed and
approved them, and the steps (审核 / 批准 / 退回 / 签发) for the selected one.

A step is a dialog naming the person (the agency's staff, never the preparer), with a comment;
a failing final gate must be confirmed by the approver; issuing asks before it freezes the report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app import AppContext
from ..errors import InspectorError
from ..services import projects, review
from ..services.review import STATUS_NAMES, DraftInfo
from ..values.dto import ProjectDetail, StaffInfo
from .action_dialog import choice, error_label, ok_cancel
from .fit import fit_dialog
from .i18n import clauses, error_text, listed, revision_label, tr
from .tasks import TaskRunner

SHORT = {"process": "过程评估报告", "final": "最终评估报告", "notice": "整改通知单"}
APPROVERS = ("lead", "technical")


class StepDialog(QDialog):
    """审核 / 批准 / 退回 one draft: who (from the staff), a comment, and for a failing final gate
    the approver's confirmation. The core refuses what the dialog lets through by mistake."""

    def __init__(self, draft: DraftInfo, step: str, people: list[StaffInfo], current: str | None,
                 on_ok: Callable[[str, str, bool], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step, self.on_ok = step, on_ok
        title = {"review": tr("审核"), "approve": tr("批准"), "reject": tr("退回")}[step]
        self.setWindowTitle(f"{title} · {revision_label(draft.number, draft.revision)}")
        self.person = choice([(tr("{0}（{1}）").format(p.name, tr(p.role_name)), p.name) for p in people])
        self.person.setCurrentIndex(max(0, self.person.findData(current)))
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(tr("退回时必填：退回的原因与要求") if step == "reject" else tr("审核意见（可选）"))
        self.comment.setMaximumHeight(110)
        self.gate = QCheckBox(tr("最终评估条件未满足，确认照此签发（报告写明未验证整改的严重缺陷）"))
        self.gate.setVisible(step == "approve" and draft.gate_passed is False)
        form = QFormLayout()
        form.addRow(tr("审核人") if step != "approve" else tr("批准人"), self.person)
        form.addRow(tr("意见"), self.comment)
        self.error = error_label()
        col = QVBoxLayout(self)
        col.addWidget(QLabel(tr("编制：{0}，{1}").format(draft.prepared_by, f"{draft.prepared_at:%Y-%m-%d}")))
        col.addLayout(form)
        col.addWidget(self.gate)
        col.addWidget(self.error)
        col.addWidget(ok_cancel(self, title))
        fit_dialog(self, self.error)
        if not people:
            self.error.setText(tr("本机构没有可{0}此报告的其他人员").format(title))

    def accept(self) -> None:
        name = self.person.currentData()
        if name is None:
            return
        try:
            self.on_ok(str(name), self.comment.toPlainText().strip(), self.gate.isChecked())
        except InspectorError as exc:
            self.error.setText(error_text(exc))
            return
        super().accept()


class ReviewChain(QWidget):
    """Reports under review and their chain; ``on_issued`` refreshes the issued list."""

    def __init__(self, ctx: AppContext, runner: TaskRunner, say: Callable[[str], None],
                 on_error: Callable[[Exception], None], on_issued: Callable[[], None],
                 show_pdf: Callable[[str, Any], None]) -> None:
        super().__init__()
        self.ctx, self.runner, self.say, self.on_error = ctx, runner, say, on_error
        self.on_issued, self.show_pdf = on_issued, show_pdf
        self.project: ProjectDetail | None = None
        self.drafts: list[DraftInfo] = []
        self.staff: list[StaffInfo] = []
        self.dialog: QDialog | None = None
        self.table = QTableWidget(0, 7)
        self.table.setHorizontalHeaderLabels([tr("编号"), tr("报告"), tr("状态"), tr("编制"), tr("审核"), tr("批准"),
                                              tr("意见")])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setSectionResizeMode(6, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.buttons: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for key, text in (("review", tr("审核…")), ("approve", tr("批准…")), ("reject", tr("退回…")),
                          ("issue", tr("签发…")), ("view", tr("查看草稿"))):
            b = QPushButton(text)
            b.setEnabled(False)
            b.clicked.connect(lambda _c=False, k=key: self.act(k))
            if key == "issue":  # 签发 from the keyboard while the report centre is shown
                b.setShortcut(QKeySequence("Ctrl+Shift+I"))
                b.setToolTip(tr("签发选中的已批准报告（Ctrl+Shift+I）"))
            row.addWidget(b)
            self.buttons[key] = b
        row.addStretch(1)
        self.people = QLabel()  # the agency's staff and their roles: who may review and approve
        self.people.setWordWrap(True)
        col = QVBoxLayout(self)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(QLabel(f"<b>{tr('送审中的报告（编制 → 审核 → 批准 → 签发）')}</b>"))
        col.addWidget(self.people)
        col.addWidget(self.table, 1)
        col.addLayout(row)

    def show_project(self, project: ProjectDetail) -> None:
        self.project = project
        self.staff = projects.staff(self.ctx.db, project.id)
        self.people.setText(tr("本机构人员：{0}").format(listed(tr("{0}（{1}）").format(p.name, tr(p.role_name)) for p in self.staff)))
        self.drafts = review.list_drafts(self.ctx, project.id)
        self.table.setRowCount(len(self.drafts))
        for r, d in enumerate(self.drafts):
            by_step = {a.step: a for a in d.approvals}
            reviewed, approved = by_step.get("review"), by_step.get("approve")
            comments = clauses(tr("{0}：{1}").format(a.by, a.comment) for a in d.approvals if a.comment)
            cells = [revision_label(d.number, d.revision), tr(SHORT[d.kind]), tr(STATUS_NAMES[d.status]),
                     f"{d.prepared_by} {d.prepared_at:%m-%d}",
                     f"{reviewed.by} {reviewed.on:%m-%d}" if reviewed else "",
                     f"{approved.by} {approved.on:%m-%d}" if approved else "", comments]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, d.id)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if d.status in ("rejected", "issued"):
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self._selected()

    def selected(self) -> DraftInfo | None:
        rows = {i.row() for i in self.table.selectedItems()}
        return self.drafts[min(rows)] if rows else None

    def _selected(self) -> None:
        d = self.selected()
        nxt = d.next_step if d else None
        self.buttons["review"].setEnabled(nxt == "review")
        self.buttons["approve"].setEnabled(nxt == "approve")
        self.buttons["reject"].setEnabled(nxt in ("review", "approve"))
        self.buttons["issue"].setEnabled(nxt == "issue")
        self.buttons["view"].setEnabled(d is not None)

    def people_for(self, draft: DraftInfo, step: str) -> list[StaffInfo]:
        """Who may take this step: not the preparer, not the reviewer again; an approver is a lead."""
        reviewers = {a.by for a in draft.approvals if a.step == "review"}
        return [p for p in self.staff if p.name != draft.prepared_by
                and not (step == "approve" and (p.name in reviewers or p.role not in APPROVERS))]

    def act(self, key: str) -> None:
        draft = self.selected()
        if draft is None:
            return
        if key == "view":
            self.show_pdf(revision_label(draft.number, draft.revision), review.draft_pdf(self.ctx, draft.id))
        elif key == "issue":
            self.ask_issue(draft)
        else:
            self.open_step(draft, key)

    def open_step(self, draft: DraftInfo, step: str) -> StepDialog:
        ctx = self.ctx

        def ok(name: str, comment: str, confirm: bool) -> None:
            if step == "reject":
                review.reject_report(ctx, draft.number, by=name, comment=comment)
            else:
                review.approve_report(ctx, draft.number, by=name, step=step, comment=comment or None,
                                      confirm_gate=confirm)
            self.say(tr("{0}：{1}").format(revision_label(draft.number, draft.revision), tr(STATUS_NAMES["rejected" if step == "reject" else
                                                                      "reviewed" if step == "review" else "approved"])))
            if self.project is not None:
                self.show_project(self.project)

        self.dialog = StepDialog(draft, step, self.people_for(draft, step), ctx.db.actor, ok, self)
        self.dialog.open()
        return self.dialog

    def ask_issue(self, draft: DraftInfo) -> None:
        names = listed(f"{a.by}" for a in draft.approvals if a.step in ("review", "approve"))
        box = QMessageBox(QMessageBox.Icon.Question, tr("签发报告"),
                          tr("签发 {0}？\n编制 {1}，审核、批准 {2}。\n签发后报告冻结、不能更改，并排队发送给保险公司；"
                             "更正只能签发注明原因的修订版。").format(revision_label(draft.number, draft.revision), draft.prepared_by, names),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Yes).setText(tr("签发"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("取消"))
        yes = box.button(QMessageBox.StandardButton.Yes)
        box.buttonClicked.connect(lambda b: self.issue(draft) if b is yes else None)
        self.dialog = box
        box.open()

    def issue(self, draft: DraftInfo) -> None:
        ctx = self.ctx

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return review.issue_draft(ctx, draft.number, progress=lambda d, t: progress(d, t, tr("排版")),
                                      cancel=cancel)

        def done(info: Any) -> None:
            self.say(tr("已签发 {0}，SHA-256 {1}").format(revision_label(info.number, info.revision), info.pdf_sha256))
            if self.project is not None:
                self.show_project(self.project)
            self.on_issued()

        self.runner.submit(tr("签发 {0}").format(revision_label(draft.number, draft.revision)), work, on_done=done, on_error=self.on_error)
