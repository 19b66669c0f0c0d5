"""The selected finding: what, where, how serious, its history, and its photo evidence as a
strip of thumbnails. Texts are edited in place and saved when the field is left (no Save
button); Ctrl+Z undoes. Photos are added by dropping files or a whole camera folder onto it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..errors import ValidationError
from ..values.dto import FindingInfo, PhotoInfo, ProjectDetail
from .action_dialog import refusal
from .finding_fields import GROUP_OF, FindingFields
from .i18n import clauses, reason_text, tr
from .photo_strip import PhotoRole, PhotoStripModel, PhotoStripView
from .rule_names import RuleNames

KIND_NAMES = {"status": "状态", "grade": "等级", "serious": "严重缺陷认定", "deadline": "整改期限"}
TEXT_FIELDS = [("description", "问题描述", True), ("location", "部位", False), ("floor", "楼层", False),
               ("risk", "风险", True), ("requirement", "整改要求", True), ("clause", "依据条款", False),
               ("deadline", "整改期限", False)]


class _Leave(QObject):
    """Calls back when a plain-text box loses focus (QPlainTextEdit has no editingFinished)."""

    def __init__(self, on_leave: Any) -> None:
        super().__init__()
        self.on_leave = on_leave

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.FocusOut:
            self.on_leave()
        return False


class PanelBody(QScrollArea):
    """The panel's middle, scrolled up and down: at its least as high as one whole row of the photo
    strip (so scrolled to it, a row of photos shows), and the strip in it as high as its photos'
    rows, one or two, when there is room."""

    def __init__(self, content: QWidget, strip: PhotoStripView) -> None:
        super().__init__()
        self.strip = strip
        self.setObjectName("panel_body")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)

    def _bar(self) -> int:
        return self.verticalScrollBar().sizeHint().width()

    def sizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        hint = content.sizeHint() if content is not None else QSize(0, 0)
        return QSize(hint.width() + self._bar(), hint.height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        content = self.widget()
        least = content.minimumSizeHint().width() if content is not None else 0
        return QSize(least + self._bar(), self.strip.minimumHeight() + 2 * self.frameWidth())


class FindingPanel(QWidget):
    import_requested = Signal(list, str)  # paths, role
    action_requested = Signal(str)  # reply | verify | close | reopen
    edit_requested = Signal(int, dict)  # finding id, {field: value}
    markup_requested = Signal(int)  # photo id
    remove_photo_requested = Signal(object)  # PhotoInfo: 移除照片… in the strip's menu, or the Delete key
    compare_requested = Signal()
    locate_requested = Signal()
    conflicts_requested = Signal()

    ACTIONS = [("reply", "整改回复…", ("open",)), ("verify", "复查…", ("open", "replied")),
               ("close", "关闭…", ("open", "replied")), ("reopen", "重新打开…", ("verified", "closed"))]
    SHORTCUTS = {"reply": "Ctrl+Shift+R", "verify": "Ctrl+Shift+Y", "close": "Ctrl+Shift+W", "reopen": "Ctrl+Shift+O"}

    def __init__(self, strip_model: PhotoStripModel, names: RuleNames) -> None:
        super().__init__()
        self.names = names
        self.setAcceptDrops(True)
        self.title = QLabel(tr("选择左侧表格中的问题"))
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setWordWrap(True)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.notes: dict[str, QLabel] = {}
        form = QFormLayout()
        self.form = form
        self._filters: list[_Leave] = []
        for key, label, multi in TEXT_FIELDS:
            w: QLineEdit | QPlainTextEdit
            if multi:
                w = QPlainTextEdit()
                w.setFixedHeight(52)
                w.setTabChangesFocus(True)
                leave = _Leave(lambda k=key: self._leave(k))
                w.installEventFilter(leave)
                self._filters.append(leave)
            else:
                w = QLineEdit()
                w.editingFinished.connect(lambda k=key: self._leave(k))
            w.setEnabled(False)
            self.inputs[key] = w
            form.addRow(tr(label), w)
            note = QLabel()  # a refusal of this field, in its place
            note.setWordWrap(True)
            note.setStyleSheet("color:#B71C1C")
            self.notes[key] = note
            form.addRow(note)
            form.setRowVisible(note, False)
        self.inputs["deadline"].setPlaceholderText("2025-06-30")
        self.strip_model = strip_model
        self.strip = PhotoStripView(strip_model)  # whole photos with their markup; role and time on two lines
        self.strip.doubleClicked.connect(lambda idx: self.markup_requested.emit(idx.data(PhotoRole).id))
        self.strip.remove_requested.connect(self.remove_photo_requested)
        self.role = QComboBox()
        self.pick = QPushButton(tr("导入照片…"))
        self.markup = QPushButton(tr("标注…"))
        self.compare = QPushButton(tr("整改前后对比…"))
        self.locate = QPushButton(tr("平面图定位"))
        for b in (self.pick, self.markup, self.compare, self.locate):
            b.setEnabled(False)
        self.pick.clicked.connect(self._pick_files)
        self.markup.clicked.connect(self._markup_current)
        self.compare.clicked.connect(self.compare_requested)
        self.locate.clicked.connect(self.locate_requested)
        self.hint = QLabel(tr("可将照片文件或整个相机文件夹拖放到此处；双击照片可标注"))
        self.hint.setStyleSheet("color:#777")
        self.history = QListWidget()
        self.history.setWordWrap(True)
        self.buttons: dict[str, QPushButton] = {}
        actions = QHBoxLayout()
        for key, label, _states in self.ACTIONS:
            button = QPushButton(tr(label))
            button.setShortcut(QKeySequence(self.SHORTCUTS[key]))  # works while the window is active
            button.setToolTip(self.SHORTCUTS[key])
            button.setEnabled(False)
            button.clicked.connect(lambda _=False, k=key: self.action_requested.emit(k))
            self.buttons[key] = button
            actions.addWidget(button)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("照片类型")))
        row.addWidget(self.role)
        row.addWidget(self.pick, 1)
        tools = QHBoxLayout()
        tools.addWidget(self.markup)
        tools.addWidget(self.compare)
        tools.addWidget(self.locate)
        tools.addStretch(1)
        self.conflict_note = QLabel()
        self.conflict_note.setWordWrap(True)
        self.conflict_note.setStyleSheet("color:#8D4A00")
        self.conflict_button = QPushButton(tr("处理冲突…"))
        self.conflict_button.clicked.connect(self.conflicts_requested)
        self.conflict_bar = QFrame()
        self.conflict_bar.setStyleSheet("QFrame{background:#FFF3E0;border:1px solid #FFB74D;"
                                        "border-left:4px solid #F9A825;border-radius:4px}")
        bar = QHBoxLayout(self.conflict_bar)
        bar.setContentsMargins(6, 4, 6, 4)
        bar.addWidget(self.conflict_note, 1)
        bar.addWidget(self.conflict_button)
        self.conflict_bar.hide()
        # the middle scrolls; the title (with a sync conflict) above it and the photo and action
        # buttons below it stay on screen however low the window is
        middle = QWidget()
        middle.setObjectName("finding_body")
        col = QVBoxLayout(middle)
        col.setContentsMargins(0, 0, 0, 0)
        col.addWidget(self.facts)
        col.addLayout(form)
        self.fields_box = FindingFields(names)  # building, tags, grade, serious call, responsible party
        self.fields_box.changed.connect(self._fields_changed)
        col.addWidget(self.fields_box)
        col.addWidget(QLabel(f"<b>{tr('照片证据')}</b>"))
        col.addWidget(self.strip)  # whole rows of photos: its size hint; the history takes what is left
        col.addWidget(self.hint)
        col.addWidget(QLabel(f"<b>{tr('处理记录')}</b>"))
        col.addWidget(self.history, 1)
        self.body = PanelBody(middle, self.strip)
        page = QVBoxLayout(self)
        page.addWidget(self.title)
        page.addWidget(self.conflict_bar)
        page.addWidget(self.body, 1)
        page.addLayout(row)
        page.addLayout(tools)
        page.addLayout(actions)
        self.finding: FindingInfo | None = None
        self.read_extras: Callable[[int], dict[str, Any]] | None = None
        self.set_names(names)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        """No narrower than 380 px, nor than its middle's widest line (an English label and its field)."""
        return super().minimumSizeHint().expandedTo(QSize(380, 0))

    def set_names(self, names: RuleNames) -> None:
        """The shown project's rule set: status and photo-role names."""
        self.names = names
        self.strip_model.role_names = names.photo_roles
        self.fields_box.set_names(names)
        current = self.role.currentData()
        self.role.clear()
        for code, name in names.photo_roles.items():
            self.role.addItem(name, code)
        self.role.setCurrentIndex(max(0, self.role.findData(current)))

    def show_finding(self, f: FindingInfo, photos: list[PhotoInfo]) -> None:
        self.finding = f
        for b in (self.pick, self.markup, self.compare, self.locate):
            b.setEnabled(True)
        for key, _label, states in self.ACTIONS:
            self.buttons[key].setEnabled(f.status in states)
        serious = f"<span style='color:#B71C1C'>{tr('【{0}】').format(tr('严重缺陷'))}</span>" if f.is_serious else ""
        overdue = f"<span style='color:#B71C1C'>{tr('【{0}】').format(tr('逾期'))}</span>" if f.overdue else ""
        self.title.setText(f"<h3 style='margin:0'>{f.label} {serious}{overdue}</h3>"
                           + tr("{0} · 第 {1} 次巡查 {2}").format(f.building, f.visit_number, f.found_on))
        self.facts.setText(tr("承保类别 {0} · 分部 {1} · 等级 {2} → {3} · {4} · 责任单位：{5}").format(
            f.coverage_code, f.subdivision_code or f.division_code, f.grade_found, f.grade_now,
            self.names.status(f.status), f.responsible_party or "—"))
        editable = f.status != "closed"
        self.fields_box.show_finding(f, self.read_extras(f.id) if self.read_extras else {})
        for note in self.notes.values():
            self.form.setRowVisible(note, False)
        for key, w in self.inputs.items():
            value = getattr(f, key)
            text = "" if value is None else str(value)
            w.blockSignals(True)
            if isinstance(w, QPlainTextEdit):
                if w.toPlainText() != text:
                    w.setPlainText(text)
            elif w.text() != text:
                w.setText(text)
            w.blockSignals(False)
            w.setEnabled(editable)
            w.setToolTip("" if editable else tr("已关闭的问题不能修改；如需修改请先重新打开"))
        self.strip_model.set_photos(photos)
        self.history.clear()
        for e in f.history:
            self.history.addItem(f"{e.at:%Y-%m-%d %H:%M} {e.actor or ''}  {tr(KIND_NAMES.get(e.kind, e.kind))} "
                                 f"{self._value_name(e.kind, e.from_value)} → {self._value_name(e.kind, e.to_value)}  "
                                 f"{reason_text(e.reason)}")

    def show_conflicts(self, conflicts: list[Any]) -> None:
        """Open sync conflicts of the shown finding: both values, until a person chooses."""
        from .conflict_dialog import FIELD_NAMES, shown

        self.conflict_bar.setVisible(bool(conflicts))
        lines = [tr("{0}：本机「{1}」，另一台电脑「{2}」").format(tr(FIELD_NAMES.get(c.field, c.field)), shown(c.mine),
                                                       shown(c.theirs)) for c in conflicts]
        self.conflict_note.setText(tr("同步冲突（两台电脑离线改了同一字段）：") + clauses(lines))

    def _value_name(self, kind: str, value: str | None) -> str:
        if kind == "serious" and value in ("True", "False"):
            return tr("严重缺陷") if value == "True" else tr("非严重缺陷")
        return self.names.status(value) if kind == "status" else (value or "—")

    def _value(self, key: str) -> str:
        w = self.inputs[key]
        return (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text()).strip()

    def set_project(self, project: ProjectDetail | None,
                    read_extras: Callable[[int], dict[str, Any]] | None = None) -> None:
        """The shown project: the buildings and parties a finding may be moved to; ``read_extras`` reads
        what a finding's row leaves out (the serious override, the tag reason)."""
        self.fields_box.set_project(project)
        self.read_extras = read_extras or self.read_extras

    def _fields_changed(self, fields: dict[str, Any]) -> None:
        if self.finding is not None:
            self.edit_requested.emit(self.finding.id, fields)

    def edit_refused(self, fields: dict[str, Any], exc: Exception) -> None:
        """A refused edit, said where the field is; a required field emptied gets its stored text back."""
        self.fields_box.sent = None  # the same change may be tried again
        key = exc.field.removeprefix("finding.") if isinstance(exc, ValidationError) else ""
        if key not in self.inputs and key not in GROUP_OF:
            key = next(iter(fields), "")
        text = tr("未保存：{0}").format(refusal(exc))
        if key in self.inputs:
            f = self.finding
            if f is not None and not fields.get(key) and isinstance(exc, ValidationError) and \
                    exc.key.startswith("value.required"):
                stored = getattr(f, key)
                self._put(key, "" if stored is None else str(stored))
                text += tr("（已恢复原内容）")
            self.notes[key].setText(text)
            self.form.setRowVisible(self.notes[key], True)
        else:
            self.fields_box.refused(key, text)

    def _put(self, key: str, text: str) -> None:
        w = self.inputs[key]
        w.blockSignals(True)
        if isinstance(w, QPlainTextEdit):
            w.setPlainText(text)
        else:
            w.setText(text)
        w.blockSignals(False)

    def _leave(self, key: str) -> None:
        f = self.finding
        if f is None:
            return
        text = self._value(key)
        stored = getattr(f, key)
        if text == ("" if stored is None else str(stored)):
            return
        value: Any = text or None
        if key == "deadline" and text:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                value = text  # the core names the mistake
        self.edit_requested.emit(f.id, {key: value})

    def current_photo(self) -> PhotoInfo | None:
        idx = self.strip.currentIndex()
        if idx.isValid():
            return idx.data(PhotoRole)  # type: ignore[no-any-return]
        return self.strip_model.photos[0] if self.strip_model.photos else None

    def _markup_current(self) -> None:
        p = self.current_photo()
        if p is not None:
            self.markup_requested.emit(p.id)

    def _pick_files(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, tr("导入照片"), "",
                                                tr("照片 (*.jpg *.jpeg *.png *.heic *.heif);;所有文件 (*)"))
        if files:
            self.import_requested.emit(files, self.role.currentData())

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if self.finding is not None and event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            self.import_requested.emit(paths, self.role.currentData())
            event.acceptProposedAction()

