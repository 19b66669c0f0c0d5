"""Settings: the inspector's profile (the name recorded on every edit and report), the
language, and where the data lives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from ..settings import LANGUAGES, Settings
from .action_dialog import choice, error_label, ok_cancel
from .i18n import error_text, tr


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, data_dir: Path, on_save: Callable[[Settings], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("设置"))
        self.resize(560, 320)
        self.settings = settings
        self.on_save = on_save
        self.name = QLineEdit(settings.inspector_name)
        self.name.setPlaceholderText(tr("记录在每条修改和报告上的检查人员姓名"))
        self.agency = QLineEdit(settings.agency)
        self.phone = QLineEdit(settings.phone)
        self.certificate = QLineEdit(settings.certificate_no)
        self.language = choice([(name, code) for code, name in LANGUAGES.items()])
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        folder = QLabel(str(data_dir))
        folder.setTextInteractionFlags(folder.textInteractionFlags() | folder.textInteractionFlags().TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(tr("检查人员"), self.name)
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

    def accept(self) -> None:
        try:
            new = self.settings.with_changes(inspector_name=self.name.text(), agency=self.agency.text(),
                                             phone=self.phone.text(), certificate_no=self.certificate.text(),
                                             language=self.language.currentData())
            self.on_save(new)
        except (InspectorError, OSError) as exc:
            self.error.setText(tr("未保存：{0}").format(error_text(exc) if isinstance(exc, InspectorError) else exc))
            return
        super().accept()
