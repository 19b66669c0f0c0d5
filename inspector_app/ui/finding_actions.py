"""The window's writes: each runs as an operation on the writer lane (never on the GUI thread)
and its ``Changes`` are applied here, on the GUI thread, to the views they name: the table's
changed rows, the panel when it shows a changed finding, the gate line and dashboard, the
plan and visits. No project reload after a write."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox, QWidget

from ..values.changes import Changes
from ..values.dto import FindingInfo, PhotoImportResult, PhotoInfo, ProjectDetail
from .fit import fit_dialog
from .i18n import keyed_text, reason_text, tr
from .lazy import lazy_import
from .tasks import TaskHandle

if TYPE_CHECKING:
    from .action_dialog import ActionDialog, Run
    from .finding_editor import FindingEditor
    from .main_window import MainWindow

operations = lazy_import("inspector_app.services.operations")
photos = lazy_import("inspector_app.services.photos")
findings = lazy_import("inspector_app.services.findings")


def _recorded(stack: Any, step: str, result: Any) -> Any:
    """After a step the window cannot undo: push it on the undo stack, named with its finding."""
    from ..services.undo import record_step

    changes = changes_in(result)
    rows = changes.findings if changes is not None else ()
    if rows:
        record_step(stack, step, rows[0].label, rows[0].id)
    return result


def changes_in(result: Any) -> Changes | None:
    """The Changes an operation returned: the value itself, or one part of a tuple."""
    if isinstance(result, Changes):
        return result
    if isinstance(result, tuple):
        return next((r for r in result if isinstance(r, Changes)), None)
    return None


class FindingActions:
    """A mixin of MainWindow (typed by ``self: MainWindow``); these are MainWindow's attributes."""

    detail: ProjectDetail | None
    dialog: QWidget | None
    editor: FindingEditor | None

    # -- the writer lane ------------------------------------------------------------------------
    def write(self: MainWindow, title: str, work: Callable[[], Any], then: Callable[[Any], None] | None = None,
              failed: Callable[[Exception], None] | None = None) -> TaskHandle:
        """Run ``work`` (an operation) on the writer lane; apply its Changes, then call ``then``."""
        def done(result: Any) -> None:
            changes = changes_in(result)
            if changes is not None:
                self.apply_changes(changes)
            if then is not None:
                then(result)

        return self.lanes.writer.submit(title, lambda _p, _c: work(), on_done=done, on_error=failed or self._error)

    def writer_run(self: MainWindow, title: str) -> Run:
        """How a dialog hands its write to the writer lane (a refusal comes back to the dialog)."""
        def run(work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
            self.write(title, work, done, failed)

        return run

    def finding_extras(self: MainWindow, finding_id: int) -> dict[str, Any]:
        """What the panel edits that a finding's row leaves out: the serious override, the tag reason."""
        from ..services.finding_edits import changed_values

        return changed_values(self.ctx.db, finding_id, ["serious", "tag_reason"])

    def step_run(self: MainWindow, title: str, step: str) -> Run:
        """``writer_run`` for a step the window cannot undo (a new finding, a reply, a re-check, a status
        move): once written, the undo stack records it, so Ctrl+Z names it instead of undoing an older
        edit behind it."""
        stack = self.undo_stack

        def run(work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
            def then(result: Any) -> None:
                self._undo_state()
                done(result)

            self.write(title, lambda: _recorded(stack, step, work()), then, failed)

        return run

    def apply_changes(self: MainWindow, changes: Changes) -> None:
        if self.project_id is None:
            return
        if changes.detail is not None and changes.detail.id == self.project_id:
            self.detail = changes.detail
            self.panel.set_project(changes.detail, self.finding_extras)
        rows = [f for f in changes.findings if f.project_id == self.project_id]
        current = self.panel.finding.id if self.panel.finding is not None else None
        if rows:
            if self.model.update_rows(rows):
                self.filters.offer(self.model.index_)  # a new building or floor to pick
            self.rows = self.model.rows()
            self.filters.show_count(self.model.rowCount(), self.model.total())
        if changes.gate is not None and changes.gate.project_id == self.project_id:
            self.gate_result = changes.gate
        if changes.visits:
            mine = {v.id: v for v in self.visits}
            mine.update((v.id, v) for v in changes.visits if v.project_id == self.project_id)
            self.visits = list(mine.values())
        if rows or changes.gate or changes.visits or changes.plan or changes.project:
            self._show_summary()
        if current is not None and changes.touches(current):
            self._show_in_panel(changes.finding(current) or self.panel.finding, current in changes.photos_of)
            self._reselect(current)
        if (changes.plan or changes.project) and self.detail is not None:
            self._refresh_tab(self.tabs.currentIndex())
            if changes.plan and self.plan_view is not None:
                self.plan_view.show_nodes(self.detail.nodes)

    def _show_in_panel(self: MainWindow, info: FindingInfo | None, photos_changed: bool = True) -> None:
        if info is None:
            return
        shots = (photos.list_photos(self.ctx.db, finding_id=info.id) if photos_changed
                 else self.strip_model.photos)
        self.panel.show_finding(info, shots)
        if self.floor_plans is not None:
            self.floor_plans.set_finding(info.label)

    def _refresh_finding(self: MainWindow, finding_id: int) -> None:
        """After a failed or cancelled write part of which stayed (a photo batch): read that one row."""
        info = findings.get_finding(self.ctx.db, finding_id)
        self.apply_changes(operations.finding_changed(self.ctx, info, photos_of=(finding_id,)))

    # -- visits and findings --------------------------------------------------------------------
    def open_visit_dialog(self: MainWindow) -> ActionDialog | None:
        if self.detail is None:
            return None
        from .visit_dialog import start_visit_dialog

        dialog = start_visit_dialog(self.ctx, self.detail, self.ctx.db.actor or "", self.writer_run(tr("开始巡查")),
                                    self)
        dialog.saved.connect(self._visit_started)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _visit_started(self: MainWindow, changes: Changes) -> None:
        visit = changes.visits[0]
        carried = operations.carried_forward(self.ctx, visit)
        overdue = sum(f.overdue for f in carried)
        self._say(tr("已开始第 {0} 次巡查；需跟踪以往未关闭问题 {1} 项（逾期 {2} 项）").format(
            visit.number, len(carried), overdue))
        if carried:
            lines = [f"{f.label} {f.building} {f.location or ''}  {tr('期限')} {f.deadline or '—'}"
                     f"{tr('（逾期）') if f.overdue else ''}  {f.description[:30]}" for f in carried[:25]]
            QMessageBox(QMessageBox.Icon.Information, tr("第 {0} 次巡查：需跟踪的问题").format(visit.number),
                        "\n".join(lines), parent=self).open()
        self.tabs.setCurrentIndex(1)
        self.filters.select("status", "open")

    def open_editor(self: MainWindow) -> FindingEditor | None:
        if self.detail is None or self.project_id is None:
            return None
        from ..services.suggestions import entry_suggestions
        from .finding_editor import FindingEditor

        sug = entry_suggestions(self.ctx.db, self.project_id)
        if not sug.visits:
            self._say(tr("请先开始一次巡查，再记录问题"), "warning")
            return None
        editor = FindingEditor(self.ctx, self.detail, self.ruleset, sug, self,
                               run=self.step_run(tr("记录问题"), "record"))
        fit_dialog(editor, editor.error)  # the form scrolls on a low screen; the refusal, save and close stay visible
        editor.saved.connect(self._finding_recorded)
        editor.show()
        self.editor = editor
        return editor

    def _finding_recorded(self: MainWindow, changes: Changes) -> None:
        info = changes.findings[0]
        self._reselect(info.id)
        self._show_in_panel(info, photos_changed=False)
        self.strip_model.set_photos([])

    def open_action(self: MainWindow, action: str) -> ActionDialog | None:
        """The dialog for one rectification step on the selected finding (non-blocking)."""
        finding = self.panel.finding
        if finding is None:
            return None
        from .rectification import rectification_dialog

        dialog = rectification_dialog(action, finding, self.ctx, self.ruleset, self.ctx.db.actor or "",
                                      self.step_run(tr("保存 {0}").format(finding.label), action), self,
                                      project_visits=self.visits)
        self.dialog = dialog
        dialog.open()
        return dialog

    def edit_finding(self: MainWindow, finding_id: int, fields: dict[str, Any]) -> None:
        ctx, stack = self.ctx, self.undo_stack

        def saved(changes: Changes) -> None:
            self._undo_state()
            row = changes.finding(finding_id)
            if row is not None:
                self._say(tr("已保存 {0}").format(row.label))

        def refused(exc: Exception) -> None:
            if self.panel.finding is None or self.panel.finding.id != finding_id:
                self._error(exc)
                return
            from .action_dialog import refusal

            self.panel.edit_refused(fields, exc)  # said in the field's place, the stored value kept
            self._say(tr("未保存：{0}").format(refusal(exc)), "warning")

        self.write(tr("保存修改"), lambda: operations.edit_finding(ctx, stack, finding_id, **fields), saved, refused)

    def undo(self: MainWindow) -> None:
        self._step(operations.undo_step, tr("已撤销：{0}"))

    def redo(self: MainWindow) -> None:
        self._step(operations.redo_step, tr("已重做：{0}"))

    def _step(self: MainWindow, step: Callable[..., tuple[str | None, Changes]], text: str,
              then: Callable[[], None] | None = None) -> None:
        ctx, stack = self.ctx, self.undo_stack

        def done(result: tuple[str | None, Changes]) -> None:
            self._undo_state()
            if result[0] is not None:
                self._say(text.format(reason_text(result[0])))
            if then is not None:
                then()

        def failed(exc: Exception) -> None:
            self._undo_state()
            self._error(exc)

        self.write(tr("撤销") if step is operations.undo_step else tr("重做"), lambda: step(ctx, stack), done, failed)

    def _undo_state(self: MainWindow) -> None:
        if self._undo is None:
            self.undo_action.setEnabled(False)
            self.redo_action.setEnabled(False)
            return
        self.undo_action.setEnabled(self.undo_stack.can_undo())
        self.redo_action.setEnabled(self.undo_stack.can_redo())
        blocked, label = self.undo_stack.blocked_by(), self.undo_stack.undo_label()
        if blocked is not None:
            self.undo_action.setText(tr("撤销（不能撤销：{0}）").format(reason_text(blocked)))
        else:
            self.undo_action.setText(tr("撤销 {0}").format(reason_text(label)) if label else tr("撤销"))
        self.undo_action.setIconText(tr("撤销"))  # the toolbar stays narrow; the menu says what
        self.undo_action.setToolTip(reason_text(self.undo_stack.undo_label()))
        self.redo_action.setToolTip(reason_text(self.undo_stack.redo_label()))

    # -- photos ----------------------------------------------------------------------------------
    def _import_photos(self: MainWindow, paths: list[str], role: str) -> None:
        finding = self.panel.finding
        if finding is None:
            return
        files = photos.expand_paths(paths)
        ctx, fid = self.ctx, finding.id

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return operations.import_photos(ctx, files, finding_id=fid, role=role, progress=progress, cancel=cancel)

        def done(result: tuple[list[PhotoImportResult], Changes]) -> None:
            self.apply_changes(result[1])
            self._imported(result[0])

        def failed(exc: Exception) -> None:
            self._error(exc)
            self._refresh_finding(fid)  # what was imported before the error or cancel stays

        self.lanes.writer.submit(tr("导入 {0} 张照片").format(len(files)), work, on_progress=self._task_progress,
                                 on_done=done, on_error=failed)

    def ask_remove_photo(self: MainWindow, photo: PhotoInfo, then: Callable[[PhotoInfo], None] | None = None,
                         asking: QWidget | None = None) -> QMessageBox:
        """Ask before removing ``photo`` (named by its original name, role and time taken): the removal
        is audited and cannot be undone. Yes runs ``remove_photo``, then ``then(photo)`` once removed;
        the box (over ``asking``, a dialog showing visit photos, or the window) does not block."""
        taken = f"{photo.taken_at:%Y-%m-%d %H:%M}" if photo.taken_at else tr("无拍摄时间")
        role = self.names.photo_roles.get(photo.role, photo.role)
        box = QMessageBox(QMessageBox.Icon.Question, tr("移除照片"),
                          tr("移除照片“{0}”（{1}，{2}）？\n移除记录在审计日志中，不能用“撤销”恢复。").format(
                              photo.original_name, role, taken),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, asking or self)
        yes = box.button(QMessageBox.StandardButton.Yes)
        yes.setText(tr("移除"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("取消"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)  # a removal is never the Enter key's
        box.buttonClicked.connect(lambda b: self.remove_photo(photo, then) if b is yes else None)
        if asking is None:
            self.dialog = box
        box.open()
        return box

    def remove_photo(self: MainWindow, photo: PhotoInfo, then: Callable[[PhotoInfo], None] | None = None) -> None:
        """Remove ``photo`` on the writer lane; the strip, panel, table row and gate follow, and the undo
        stack records a step it cannot undo. A refusal (a report or a check item stands on the photo)
        is said in the banner and nothing is removed."""
        ctx, stack = self.ctx, self.undo_stack

        def removed(result: tuple[Any, Changes]) -> None:
            self._undo_state()
            self.strip_model.remove_photo(photo.id)  # a visit photo, or a finding not shown
            self._say(tr("已移除照片“{0}”；删除记录留在审计日志中").format(photo.original_name))
            if then is not None:
                then(photo)

        def refused(exc: Exception) -> None:
            from .action_dialog import refusal

            self._undo_state()
            self._say(tr("未移除照片“{0}”：{1}").format(photo.original_name, refusal(exc)), "warning")

        self.write(tr("移除照片"), lambda: operations.remove_photo(ctx, stack, photo.id), removed, refused)

    def _imported(self: MainWindow, results: list[PhotoImportResult]) -> None:
        counts = Counter(r.status for r in results)
        self._say(tr("已导入 {0} 张，重复 {1} 张，拒绝 {2} 张").format(
            counts["imported"], counts["duplicate"], counts["rejected"]))
        rejected = [r for r in results if r.status == "rejected"]
        if rejected:
            box = QMessageBox(QMessageBox.Icon.Warning, tr("部分照片未导入"),
                              "\n".join(tr("{0}：{1}").format(Path(r.path).name, keyed_text(r.reason_key, r.reason_params, r.reason))
                                        for r in rejected[:20]), parent=self)
            box.open()  # not exec(): the window keeps working

