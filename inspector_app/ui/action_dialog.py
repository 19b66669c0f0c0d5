"""A small form for one action on a finding (reply, re-check, close, re-open). It stays open
on a refusal, shows the reason, and keeps what was typed.

``submit(values)`` checks the form on the GUI thread and returns the write as a callable
(or None when there is nothing to write); ``run(work, done, failed)`` carries it to the
window's writer lane. A refusal raised there comes back and is shown in place."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from ..values.dto import VisitInfo
from .fit import fit_dialog
from .i18n import error_text, tr

Field = tuple[str, str, QWidget]  # key, label, widget
Submit = Callable[[dict[str, Any]], Callable[[], Any] | None]
Run = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[Exception], None]], None]


def run_here(work: Callable[[], Any], done: Callable[[Any], None], failed: Callable[[Exception], None]) -> None:
    """Runs a write at once on this thread: a dialog used without a window's writer lane."""
    try:
        result = work()
    except Exception as exc:  # noqa: BLE001  (shown in the dialog)
        failed(exc)
        return
    done(result)


def value_of(widget: QWidget) -> Any:
    if isinstance(widget, QListWidget):  # checkable items: the data of the checked ones
        return [widget.item(i).data(Qt.ItemDataRole.UserRole) for i in range(widget.count())
                if widget.item(i).checkState() == Qt.CheckState.Checked]
    if isinstance(widget, QComboBox):
        return widget.currentData()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText().strip()
    if isinstance(widget, QLineEdit):
        return widget.text().strip()
    raise TypeError(widget)


class ActionDialog(QDialog):
    saved = Signal(object)  # what the write returned (the Changes), just before the dialog closes

    def __init__(self, title: str, fields: list[Field], submit: Submit, parent: QWidget | None = None, *,
                 run: Run | None = None, note: str | None = None) -> None:
        super().__init__(parent)
        self._run = run or run_here
        self.busy = False
        self.setWindowTitle(title)
        self.resize(520, 300)
        self.fields = {key: widget for key, _label, widget in fields}
        self._submit = submit
        form = QFormLayout()
        for _key, label, widget in fields:
            form.addRow(label, widget)
        self.error = error_label()
        buttons = ok_cancel(self, tr("确定"))
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        col = QVBoxLayout(self)
        self.note = QLabel(note or "")  # what the user must know before confirming (e.g. it keeps blocking)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("background:#FFF3E0; color:#8A4B00; padding:6px; border:1px solid #FFB74D")
        self.note.setVisible(bool(note))
        col.addWidget(self.note)
        col.addLayout(form)
        col.addWidget(self.error)
        col.addWidget(buttons)
        fit_dialog(self, self.error)  # the refusal and OK/Cancel stay in view below the form

    def accept(self) -> None:
        if self.busy:  # the write is under way; its answer closes the dialog or names the refusal
            return
        try:
            work = self._submit({key: value_of(w) for key, w in self.fields.items()})
        except InspectorError as exc:
            self._refused(exc)
            return
        if work is None:
            self._saved(None)
            return
        self.busy = True
        self.ok.setEnabled(False)
        self._run(work, self._saved, self._refused)

    def _saved(self, result: Any) -> None:
        self.busy = False
        self.ok.setEnabled(True)
        self.saved.emit(result)
        super().accept()

    def _refused(self, exc: Exception) -> None:
        self.busy = False
        self.ok.setEnabled(True)
        self.error.setText(tr("未保存：{0}").format(refusal(exc)))


def refusal(exc: Exception) -> str:
    """What the user reads about an error: a refusal's own message, else an internal error."""
    return error_text(exc) if isinstance(exc, InspectorError) else tr("内部错误：{0}").format(exc)


def error_label() -> QLabel:
    """Where a dialog says why it did not save (it stays open, keeping what was typed)."""
    label = QLabel()
    label.setStyleSheet("color:#B71C1C")
    label.setWordWrap(True)
    return label


def ok_cancel(dialog: QDialog, ok: str) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def line(text: str = "", placeholder: str = "") -> QLineEdit:
    w = QLineEdit(text)
    w.setPlaceholderText(placeholder)
    return w


def text_box(placeholder: str = "") -> QPlainTextEdit:
    w = QPlainTextEdit()
    w.setPlaceholderText(placeholder)
    w.setFixedHeight(90)
    return w


def visit_choice(visits: Sequence[VisitInfo], visit_id: int | None) -> QComboBox:
    """The visits of a visit dialog (检查要点, 资料核查), ``visit_id`` chosen, else the last."""
    w = choice([(tr("第 {0} 次巡查 {1:%Y-%m-%d}（{2}）").format(v.number, v.started_at, " ".join(v.nodes)), v.id)
                for v in visits])
    chosen = visit_id if visit_id is not None else (visits[-1].id if visits else None)
    if chosen is not None and w.findData(chosen) >= 0:
        w.setCurrentIndex(w.findData(chosen))
    return w


def choice(items: list[tuple[str, Any]]) -> QComboBox:
    w = QComboBox()
    for label, value in items:
        w.addItem(label, value)
    return w


def checklist(items: list[tuple[str, Any, bool]], height: int = 120) -> QListWidget:
    w = QListWidget()
    for label, value, checked in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        w.addItem(item)
    w.setFixedHeight(height)
    return w
