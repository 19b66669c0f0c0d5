"""The report centre: generate previews in the background, look at their pages, submit a report
for review, follow its chain (report_chain.py) and issue it.

A preview is a file in the data folder's ``drafts/`` that can be made again at any time; a report
submitted for review is numbered and frozen with its watermarked PDF (services.review); an issued
report is frozen and kept under its SHA-256 (services.issuing). A scope has one report in force:
another is a revision, asked for with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..app import AppContext
from ..services import issuing, review, visits
from ..values.dto import ProjectDetail
from .i18n import revision_label, tr
from .report_chain import ReviewChain
from .tasks import TaskRunner

STATUS = {"issued": "有效", "superseded": "已被替代"}
SHORT = {"process": "过程评估报告", "final": "最终评估报告", "notice": "整改通知单"}


class ReportCentre(QWidget):
    def __init__(self, ctx: AppContext, runner: TaskRunner, say: Callable[[str], None],
                 on_error: Callable[[Exception], None], reads: TaskRunner | None = None) -> None:
        """``runner`` issues (a write: the writer lane); ``reads`` makes drafts and previews."""
        super().__init__()
        self.ctx, self.runner, self.say, self.on_error = ctx, runner, say, on_error
        self.reads = reads or runner
        self.project: ProjectDetail | None = None
        self.last_file: Path | None = None
        self.visit = QComboBox()
        self.visit.setMinimumWidth(260)
        buttons = QGridLayout()
        self.make: dict[str, QPushButton] = {}
        for i, (key, text) in enumerate((("process", tr("生成过程评估报告（所选巡查）")), ("notice", tr("生成整改通知单（所选巡查）")),
                                         ("final", tr("生成最终评估报告")), ("register", tr("导出缺陷台账 XLSX")))):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.generate(k))
            buttons.addWidget(b, i // 2, i % 2)
            self.make[key] = b
        self.issue_buttons: dict[str, QPushButton] = {}
        for i, (key, text) in enumerate((("process", tr("提交送审：过程评估报告…")), ("notice", tr("签发整改通知单…")),
                                         ("final", tr("提交送审：最终评估报告…")))):
            b = QPushButton(text)
            b.clicked.connect(lambda _c=False, k=key: self.ask_issue(k))
            buttons.addWidget(b, 2 + i // 2, i % 2)
            self.issue_buttons[key] = b
        self.chain = ReviewChain(ctx, runner, say, on_error, self.show_issued, self._show_file)
        self.open_button = QPushButton(tr("用系统程序打开"))
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open_file)
        self.table = QTableWidget(0, 8)
        self.table.setHorizontalHeaderLabels([tr("编号"), tr("版本"), tr("报告"), tr("签发时间"), tr("签发人"),
                                              tr("页数"), tr("状态"), "SHA-256"])
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(7, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._issued_selected)
        self.pages = QListWidget()
        self.pages.setViewMode(QListView.ViewMode.IconMode)
        self.pages.setIconSize(QSize(240, 340))
        self.pages.setResizeMode(QListView.ResizeMode.Adjust)
        self.pages.setMovement(QListView.Movement.Static)
        self.preview_title = QLabel(tr("页面预览"))
        left = QWidget()
        col = QVBoxLayout(left)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("巡查：")))
        row.addWidget(self.visit, 1)
        col.addLayout(row)
        col.addLayout(buttons)
        col.addWidget(self.chain, 1)
        col.addWidget(QLabel(f"<b>{tr('已签发的报告')}</b>"))
        col.addWidget(self.table, 1)
        right = QWidget()
        col = QVBoxLayout(right)
        head = QHBoxLayout()
        head.addWidget(self.preview_title, 1)
        head.addWidget(self.open_button)
        col.addLayout(head)
        col.addWidget(self.pages, 1)
        scroll = QScrollArea()  # on a low screen the buttons and the two lists scroll, none is cut
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(left)
        scroll.setMinimumWidth(left.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width())
        self.left_scroll = scroll
        split = QSplitter()
        split.addWidget(scroll)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(split)

    def show_project(self, project: ProjectDetail) -> None:
        self.project = project
        current = self.visit.currentData()
        self.visit.clear()
        for v in sorted(visits.list_visits(self.ctx.db, project.id), key=lambda v: v.started_at, reverse=True):
            self.visit.addItem(tr("第 {0} 次 · {1} · 问题 {2} 项").format(v.number, f"{v.started_at:%Y-%m-%d}",
                                                                          v.findings), v.id)
        self.visit.setCurrentIndex(max(0, self.visit.findData(current)))
        self.show_issued()
        self.chain.show_project(project)

    def show_issued(self) -> None:
        if self.project is None:
            return
        rows = issuing.list_reports(self.ctx, self.project.id)
        self.table.setRowCount(len(rows))
        for r, rep in enumerate(rows):
            cells = [rep.number, str(rep.revision), tr(rep.title), f"{rep.issued_at:%Y-%m-%d %H:%M}",
                     rep.issued_by or "", str(rep.pages), tr(STATUS[rep.status]), rep.pdf_sha256]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, rep.id)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if rep.status == "superseded":
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()

    def _visit_id(self) -> int | None:
        value = self.visit.currentData()
        return int(value) if value is not None else None

    def generate(self, kind: str) -> None:
        if self.project is None:
            return
        ctx, pid, visit_id = self.ctx, self.project.id, self._visit_id()
        if kind in ("process", "notice") and visit_id is None:
            self.say(tr("请先选择一次巡查"))
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        suffix = "xlsx" if kind == "register" else "pdf"
        out = ctx.paths.data_dir / "drafts" / f"{self.project.code}-{kind}-{stamp}.{suffix}"
        out.parent.mkdir(parents=True, exist_ok=True)

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            made = issuing.build(kind, issuing.gather(ctx, kind, pid, visit_id=visit_id), out,
                                 progress=lambda done, total: progress(done, total, tr("排版")), cancel=cancel)
            if kind == "register":
                return made, []
            from ..reports.preview import page_images

            return made, page_images(out, cancel=cancel)

        self.reads.submit(tr("生成{0}").format(self.make[kind].text()), work, on_progress=self._progress,
                           on_done=lambda result: self._made(*result), on_error=self.on_error)

    def _progress(self, done: int, total: int, label: str) -> None:
        self.say(f"{label} {done}/{total}")

    def _made(self, made: Any, pages: list[bytes]) -> None:
        self.last_file = Path(made.path)
        self.open_button.setEnabled(True)
        pages_text = tr("{0} 页").format(made.pages) if made.pages else tr("表格")
        self.say(tr("已生成 {0}（{1}，{2:.1f} MB）").format(made.path, pages_text, made.bytes / 2**20))
        self._show_pages(self.last_file.name, pages)

    def _show_pages(self, title: str, pages: list[bytes]) -> None:
        self.preview_title.setText(f"<b>{title}</b>")
        self.pages.clear()
        for i, png in enumerate(pages):
            item = QListWidgetItem(tr("第 {0} 页").format(i + 1))
            item.setIcon(QIcon(QPixmap.fromImage(QImage.fromData(png))))
            self.pages.addItem(item)

    def _open_file(self) -> None:
        if self.last_file is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_file)))

    def _issued_selected(self) -> None:
        items = self.table.selectedItems()
        if not items:
            return
        report_id = int(items[0].data(Qt.ItemDataRole.UserRole))
        self._show_file(items[0].text(), lambda: issuing.issued_pdf(self.ctx, report_id))

    def _show_file(self, title: str, path: Any) -> None:
        """Show the pages of a kept PDF (``path`` or a function returning it, checked against its hash)."""

        def work(_p: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> tuple[Path, list[bytes]]:
            from ..reports.preview import page_images

            pdf = Path(path() if callable(path) else path)
            return pdf, page_images(pdf, cancel=cancel)

        def shown(result: tuple[Path, list[bytes]]) -> None:
            self.last_file = result[0]
            self.open_button.setEnabled(True)
            self._show_pages(title, result[1])

        self.reads.submit(tr("打开报告"), work, on_done=shown, on_error=self.on_error)

    def _scope(self, kind: str) -> dict[str, Any]:
        return issuing.scope_of(self._visit_id() if kind != "final" else None, None, None)

    def ask_issue(self, kind: str) -> None:
        """Submit a process or final report for review, or issue a notice (asking first); a scope with
        a report in force gets a revision, with the reason asked for."""
        if self.project is None:
            return
        if kind != "final" and self._visit_id() is None:
            self.say(tr("请先选择一次巡查"))
            return
        current = [r for r in issuing.list_reports(self.ctx, self.project.id)
                   if r.kind == kind and r.status == "issued" and r.scope == self._scope(kind)]
        replaces, reason = None, None
        if current:
            reason, ok = QInputDialog.getText(self, tr("修订版"), tr("{0} 已签发，只能以修订版更正。修订原因（更正了什么）：")
                                              .format(revision_label(current[0].number, current[0].revision)))
            if not ok:
                return
            replaces = current[0].number
        if kind == "notice":
            answer = QMessageBox.question(self, tr("签发整改通知单"), tr("签发本次巡查的整改通知单？签发后不能更改。"))
            if answer != QMessageBox.StandardButton.Yes:
                return
            self.issue(kind, replaces=replaces, reason=reason)
        else:
            self.submit(kind, replaces=replaces, reason=reason)

    def submit(self, kind: str, *, replaces: str | None = None, reason: str | None = None) -> None:
        if self.project is None:
            return
        ctx, pid, visit_id = self.ctx, self.project.id, self._visit_id() if kind != "final" else None
        project = self.project

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return review.submit_report(ctx, kind, pid, visit_id=visit_id, replaces=replaces, reason=reason,
                                        progress=lambda d, t: progress(d, t, tr("排版")), cancel=cancel)

        def done(info: review.DraftInfo) -> None:
            self.say(tr("已提交送审 {0}：待审核").format(revision_label(info.number, info.revision)))
            self.chain.show_project(project)

        self.runner.submit(tr("提交送审{0}").format(tr(issuing.KIND_NAMES[kind])), work, on_progress=self._progress,
                           on_done=done, on_error=self.on_error)

    def issue(self, kind: str, *, replaces: str | None = None, reason: str | None = None) -> None:
        if self.project is None:
            return
        ctx, pid, visit_id = self.ctx, self.project.id, self._visit_id()

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return issuing.issue_report(ctx, kind, pid, visit_id=visit_id, replaces=replaces, reason=reason,
                                        progress=lambda d, t: progress(d, t, tr("排版")), cancel=cancel)

        def done(info: issuing.IssuedReportInfo) -> None:
            self.say(tr("已签发 {0}，SHA-256 {1}").format(revision_label(info.number, info.revision), info.pdf_sha256))
            self.show_issued()

        self.runner.submit(tr("签发{0}").format(tr(issuing.KIND_NAMES[kind])), work, on_progress=self._progress,
                           on_done=done, on_error=self.on_error)
