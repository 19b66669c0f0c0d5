"""Settings: the inspector's profile (the member of staff recorded on every edit and report,
chosen from the agencies' staff), the language, and where the data lives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from ..settings import LANGUAGES, Settings
from ..values.dto import StaffInfo
from .action_dialog import choice, error_label, ok_cancel
from .fit import fit_dialog
from .i18n import error_text, tr


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_dir: Path, on_save: Callable[[Settings], None],
                 parent: QWidget | None = None, staff: list[StaffInfo] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("设置"))
        self.resize(560, 320)
        self.settings = settings
        self.on_save = on_save
        self.staff = {p.name: p for p in staff or []}
        self.name = QComboBox()  # the agency's staff; typing a name is for a laptop with no project yet
        self.name.setEditable(True)
        for p in staff or []:
            self.name.addItem(tr("{0}（{1}）").format(p.name, f"{tr(p.role_name)} · {p.agency}"), p.name)
        self.name.setCurrentIndex(self.name.findData(settings.inspector_name))
        if self.name.currentIndex() < 0:
            self.name.setEditText(settings.inspector_name)
        edit = self.name.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(tr("本人：记录在每条修改和报告签字栏上的本机构人员"))
        self.agency = QLineEdit(settings.agency)
        self.phone = QLineEdit(settings.phone)
        self.certificate = QLineEdit(settings.certificate_no)
        self.name.currentIndexChanged.connect(self._chosen)
        self.language = choice([(name, code) for code, name in LANGUAGES.items()])
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        folder = QLabel(str(data_dir))
        folder.setTextInteractionFlags(folder.textInteractionFlags() | folder.textInteractionFlags().TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(tr("本人（当前人员）"), self.name)
        form.addRow(tr("风险管理机构"), self.agency)
        form.addRow(tr("联系电话"), self.phone)
        form.addRow(tr("执业证书编号"), self.certificate)
        form.addRow(tr("界面语言"), self.language)
        form.addRow(tr("数据文件夹"), folder)
        self.error = error_label()
        buttons = ok_cancel(self, tr("保存"))
        col = QVBoxLayout(self)
        col.addLayout(form)
        col.addWidget(QLabel(tr("语言更改在重新启动后对全部窗口生效。")))
        col.addWidget(self.error)
        col.addWidget(buttons)
        fit_dialog(self, self.error)

    def _chosen(self, index: int) -> None:
        person = self.staff.get(self.name.itemData(index)) if index >= 0 else None
        if person is not None:
            self.agency.setText(person.agency)
            self.certificate.setText(person.certificate_no or "")

    def chosen_name(self) -> str:
        data = self.name.currentData()
        typed = self.name.currentText().strip()
        if data is not None and self.name.itemText(self.name.currentIndex()) == typed:
            return str(data)
        return typed

    def accept(self) -> None:
        try:
            new = self.settings.with_changes(inspector_name=self.chosen_name(), agency=self.agency.text(),
                                             phone=self.phone.text(), certificate_no=self.certificate.text(),
                                             language=self.language.currentData())
            self.on_save(new)
        except (InspectorError, OSError) as exc:
            self.error.setText(tr("未保存：{0}").format(error_text(exc) if isinstance(exc, InspectorError) else exc))
            return
        super().accept()
