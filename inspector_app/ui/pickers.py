"""Pickers with type-ahead for codes and names (building, sub-division, coverage category):
a typed code is taken as its item ("0107" is 0107 地下防水, "2#" is 2#楼 when only one begins
so), and the name of what is being typed shows beside the picker as it is typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QLabel, QLineEdit

from .i18n import tr


def typeahead(widget: QLineEdit | QComboBox, words: list[str]) -> None:
    completer = QCompleter(words, widget)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    widget.setCompleter(completer)


def combo(items: list[tuple[str, object]], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    for text, value in items:
        box.addItem(text, value)
    if editable:
        typeahead(box, [t for t, _ in items])
        box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return box


def match_index(box: QComboBox, typed: str) -> int:
    """The item the typed text means: the one it names exactly, else the only one it begins or
    whose code it is (case aside); -1 when none or several."""
    typed = typed.strip()
    if not typed:
        return -1
    index = box.findText(typed)
    if index >= 0:
        return index
    folded = typed.casefold()
    texts = [box.itemText(i).casefold() for i in range(box.count())]
    for hits in ([i for i, t in enumerate(texts) if t.split(" ")[0] == folded],
                 [i for i, t in enumerate(texts) if t.startswith(folded)]):
        if len(hits) == 1:
            return hits[0]
    return -1


def picked(box: QComboBox) -> str:
    """The value of an editable picker: its item's when the typed text means one, else the typed
    code (the first word), which the core then names if it is unknown."""
    index = match_index(box, box.currentText())
    value = box.itemData(index) if index >= 0 else None
    return str(value) if value is not None else box.currentText().strip().split(" ")[0].strip()


class NameHint(QLabel):
    """Beside an editable picker: the name of the code typed so far ("0107" → 0107 地下防水) while
    it is typed; on leaving the picker, the picker itself shows the item the code means."""

    def __init__(self, box: QComboBox) -> None:
        super().__init__()
        self.box = box
        self.setStyleSheet("color:#555")
        edit = box.lineEdit()
        assert edit is not None, "a name hint belongs beside an editable picker"
        edit.textEdited.connect(self.typed)
        edit.editingFinished.connect(self.settle)

    def typed(self, text: str) -> None:
        index = match_index(self.box, text)
        if index >= 0:
            self.setText(self.box.itemText(index))
            self.setStyleSheet("color:#1B5E20")
        else:
            self.setText(tr("无此代码") if text.strip() and self._is_code(text) else "")
            self.setStyleSheet("color:#B71C1C")

    def settle(self) -> None:
        index = match_index(self.box, self.box.currentText())
        if index >= 0 and self.box.currentText() != self.box.itemText(index):
            self.box.setCurrentIndex(index)
            self.box.setEditText(self.box.itemText(index))
        self.setText("")

    def _is_code(self, text: str) -> bool:
        """Typed text that can only be a code (no item begins so): worth saying it is unknown."""
        folded = text.strip().casefold()
        return not any(folded in self.box.itemText(i).casefold() for i in range(self.box.count()))
