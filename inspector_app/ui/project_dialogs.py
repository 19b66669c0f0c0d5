"""Projects in the window: a new project (a form over ``projects.create_project``, the service of
``project create``, so the same rules refuse the same input, shown beside the field they name),
import of a project file (project.toml / .json) or a bundle (.zip), export of the shown project as
a bundle, archive / unarchive and delete (its code typed to confirm), from the 文件 menu and the
project list's context menu. The list is read again when the window is activated and the database
changed meanwhile (a project made with the command line appears). Every write runs on the
writer lane."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtGui import QAction, QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError, ValidationError
from ..values.dto import ProjectSummary
from .action_dialog import ActionDialog, Run, error_label, line, ok_cancel, refusal
from .fit import fit_dialog
from .i18n import error_text, tr
from .lazy import lazy_import

if TYPE_CHECKING:
    from ..context import AppContext
    from .main_window import MainWindow

projects = lazy_import("inspector_app.services.projects")
project_lifecycle = lazy_import("inspector_app.services.project_lifecycle")
bundle = lazy_import("inspector_app.services.bundle")

# The optional parties of the form, after the developer (建设单位, required)
PARTY_ROLES = ("construction", "supervision", "design", "survey")
_SPLIT = re.compile(r"\s*[,，、\t]\s*")


def _lines(text: str) -> list[list[str]]:
    """Entries one per line, their parts split by a comma (, or ，), 、 or a tab."""
    return [_SPLIT.split(raw.strip()) for raw in text.splitlines() if raw.strip()]


def _box(placeholder: str, height: int = 76) -> QPlainTextEdit:
    w = QPlainTextEdit()
    w.setPlaceholderText(placeholder)
    w.setFixedHeight(height)
    w.setTabChangesFocus(True)
    return w


def _text(w: QWidget) -> str:
    return (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text() if isinstance(w, QLineEdit) else "").strip()


class NewProjectDialog(QDialog):
    """The form of a project file's required parts; ``spec()`` is what ``project create`` reads.
    A refusal (the form's or the service's) is shown under the field it names, which takes the focus."""

    def __init__(self, ctx: AppContext, run: Run, parent: QWidget | None = None, *, agency: str = "",
                 me: str = "") -> None:
        super().__init__(parent)
        self.ctx, self._run = ctx, run
        self.busy = False
        self.result_detail: Any = None
        self.setWindowTitle(tr("新建项目"))
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        col = QVBoxLayout(self)
        intro = QLabel(tr("与命令行 project create 使用同一规则检查；金额单位为元，日期格式 YYYY-MM-DD。"
                          "检查节点按规则集模板自动生成。"))
        intro.setWordWrap(True)
        col.addWidget(intro)
        self.general = error_label()
        col.addWidget(self.general)
        staff = projects.staff(ctx.db)
        agency = agency or (staff[0].agency if staff else "")
        people = [s.name for s in staff if s.agency == agency] or ([me] if me else [])
        col.addWidget(self._group(tr("项目"), [
            ("project.code", tr("项目编号"), line(placeholder=tr("本机构的项目编号，如 BJ-CY-2025-003"))),
            ("project.name", tr("项目名称"), line()),
            ("project.address", tr("项目地址"), line()),
            ("project.district", tr("所在区（可不填）"), line()),
            ("project.start_date", tr("开工日期（可不填：按保单签发日排计划）"), line(placeholder="2025-04-01")),
        ]))
        col.addWidget(self._group(tr("保单"), [
            ("policy.policy_no", tr("保单号"), line()),
            ("policy.issued_on", tr("签发日期"), line(placeholder="2025-03-15")),
            ("policy.sum_insured_yuan", tr("保险金额（元）"), line()),
            ("policy.budget_cost_yuan", tr("建安工程总造价（元）"), line()),
            ("policy.premium_yuan", tr("保费（元）"), line()),
            ("policy.risk_fee_yuan", tr("风险管理费（元，至多保费的 30%）"), line()),
            ("policy.construction_permit_no", tr("施工许可证号（可不填）"), line()),
            ("policy.permit_date", tr("施工许可证核发日（可不填）"), line()),
            ("policy.planned_acceptance_date", tr("计划竣工验收日期（可不填）"), line()),
            ("policy.insurers", tr("共保体（每行一家：名称, 份额%[, 统一社会信用代码]；第一行为主承保）"),
             _box(tr("示例财产保险股份有限公司北京分公司, 40\n示例联合财产保险股份有限公司北京分公司, 30\n…"))),
        ]))
        inspectors = _box(tr("每行一人：姓名[, 证书编号]"), 60)
        inspectors.setPlainText("\n".join(people))
        col.addWidget(self._group(tr("风险管理机构"), [
            ("agency.name", tr("机构名称"), line(agency)),
            ("agency.credit_code", tr("统一社会信用代码（可不填）"), line()),
            ("agency.inspectors", tr("检查人员"), inspectors),
        ]))
        rows: list[tuple[str, str, QWidget]] = [("parties.developer", tr("建设单位（名称[, 统一社会信用代码]）"), line())]
        optional = (tr("施工单位（可不填）"), tr("监理单位（可不填）"), tr("设计单位（可不填）"), tr("勘察单位（可不填）"))
        rows += [(f"parties.{role}", label, line()) for role, label in zip(PARTY_ROLES, optional, strict=True)]
        col.addWidget(self._group(tr("参建单位"), rows))
        col.addWidget(self._group(tr("单体"), [
            ("buildings", tr("每行一栋：名称, 地上层数, 地下层数[, 结构类型]"),
             _box(tr("1#楼, 28, 3, 剪力墙结构"))),
        ]))
        buttons = ok_cancel(self, tr("创建项目"))
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        col.addWidget(buttons)
        self.form_scroll = fit_dialog(self, buttons)

    def _group(self, title: str, rows: list[tuple[str, str, QWidget]]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        for key, label, widget in rows:
            holder = QWidget()
            inner = QVBoxLayout(holder)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.setSpacing(2)
            error = error_label()
            error.hide()
            inner.addWidget(widget)
            inner.addWidget(error)
            form.addRow(label, holder)
            self.inputs[key], self.errors[key] = widget, error
        return box

    # -- the spec -------------------------------------------------------------------------------
    def value(self, key: str) -> str:
        return _text(self.inputs[key])

    def spec(self) -> dict[str, Any]:
        """The project spec the form holds (as a project.toml would give it); a line that cannot be
        read is refused here, naming its field."""
        def opt(key: str) -> str | None:
            return self.value(key) or None

        project = {k: self.value(f"project.{k}") for k in ("code", "name", "address")}
        project.update({k: v for k in ("district", "start_date") if (v := opt(f"project.{k}"))})
        policy: dict[str, Any] = {k: self.value(f"policy.{k}") for k in (
            "policy_no", "issued_on", "sum_insured_yuan", "budget_cost_yuan", "premium_yuan")}
        policy["risk_fee_yuan"] = self.value("policy.risk_fee_yuan") or "0"
        policy.update({k: v for k in ("construction_permit_no", "permit_date", "planned_acceptance_date")
                       if (v := opt(f"policy.{k}"))})
        policy["insurers"] = self._insurers()
        agency: dict[str, Any] = {"name": self.value("agency.name"), "inspectors": [
            {"name": p[0], **({"certificate_no": p[1]} if len(p) > 1 and p[1] else {})}
            for p in _lines(self.value("agency.inspectors"))]}
        if opt("agency.credit_code"):
            agency["credit_code"] = self.value("agency.credit_code")
        parties = []
        for role in ("developer", *PARTY_ROLES):
            parts = _SPLIT.split(self.value(f"parties.{role}")) if self.value(f"parties.{role}") else []
            if parts:
                parties.append({"role": role, "name": parts[0], **({"credit_code": parts[1]} if len(parts) > 1 else {})})
        return {"project": project, "policy": policy, "agency": agency, "parties": parties,
                "buildings": self._buildings()}

    def _insurers(self) -> list[dict[str, Any]]:
        out = []
        for i, parts in enumerate(_lines(self.value("policy.insurers"))):
            if len(parts) < 2:
                raise ValidationError("policy.insurers", tr("第 {0} 行缺少份额：{1}").format(i + 1, "，".join(parts)))
            share = parts[1].rstrip("%％")
            entry: dict[str, Any] = {"name": parts[0], "share_percent": share, "lead": i == 0}
            if len(parts) > 2 and parts[2]:
                entry["credit_code"] = parts[2]
            out.append(entry)
        return out

    def _buildings(self) -> list[dict[str, Any]]:
        out = []
        for i, parts in enumerate(_lines(self.value("buildings"))):
            try:
                above = int(parts[1]) if len(parts) > 1 and parts[1] else 0
                below = int(parts[2]) if len(parts) > 2 and parts[2] else 0
            except ValueError:
                raise ValidationError("buildings", tr("第 {0} 行的层数不是整数：{1}").format(
                    i + 1, "，".join(parts))) from None
            entry: dict[str, Any] = {"name": parts[0], "floors_above": above, "floors_below": below}
            if len(parts) > 3 and parts[3]:
                entry["structure_type"] = parts[3]
            out.append(entry)
        return out

    # -- saving ---------------------------------------------------------------------------------
    def accept(self) -> None:
        if self.busy:
            return
        self._clear()
        try:
            spec = self.spec()
        except InspectorError as exc:
            self.refused(exc)
            return
        self.busy = True
        self.ok.setEnabled(False)
        self._run(lambda: projects.create_project(self.ctx.db, spec), self._saved, self.refused)

    def _saved(self, detail: Any) -> None:
        self.busy = False
        self.ok.setEnabled(True)
        self.result_detail = detail
        super().accept()

    def _clear(self) -> None:
        self.general.clear()
        for key, label in self.errors.items():
            label.hide()
            self.inputs[key].setStyleSheet("")

    def refused(self, exc: Exception) -> None:
        """Show the refusal under the field it names (and focus that field), else above the form."""
        self.busy = False
        self.ok.setEnabled(True)
        text = refusal(exc)
        key = self.field_of(exc)
        if key is None:
            self.general.setText(tr("未创建：{0}").format(text))
            return
        self.errors[key].setText(text)
        self.errors[key].show()
        self.inputs[key].setStyleSheet("border:1px solid #B71C1C")
        self.inputs[key].setFocus()
        self.form_scroll.ensureWidgetVisible(self.errors[key])

    def field_of(self, exc: Exception) -> str | None:
        """The form's field a refusal names: its spec path, or the nearest section of it."""
        params = getattr(exc, "params", {}) or {}
        field = str(params.get("field") or "")
        if field in ("party.credit_code", "parties.credit_code") or field.startswith("parties"):
            owner = params.get("owner") or params.get("party")
            for role in ("developer", *PARTY_ROLES):
                if owner and self.value(f"parties.{role}").startswith(str(owner)):
                    return f"parties.{role}"
            if field.startswith("parties") or params.get("key") == "parties.developer_missing":
                return "parties.developer"
        if field.startswith("policy.insurers") or field in ("coinsurance", "coinsurance.share"):
            return "policy.insurers"
        if field.startswith("buildings"):
            return "buildings"
        if field == "risk_fee":
            return "policy.risk_fee_yuan"
        if field == "agency":
            return "agency.name"
        if field.startswith("agency.inspectors"):
            return "agency.inspectors"
        while field and field not in self.inputs:
            field = field.rpartition(".")[0]
        return field or None


def _file_name(code: str) -> str:
    return re.sub(r'[\\/:*?"<>|]', "_", code) + ".zip"


class ProjectActions:
    """A mixin of MainWindow (typed by ``self: MainWindow``): the project menu and list."""

    dialog: QWidget | None
    demo_ids: set[int]
    show_archived: QAction
    new_project_action: QAction
    import_project_action: QAction
    export_project_action: QAction
    archive_project_action: QAction
    delete_project_action: QAction
    project_menu: QMenu
    _list_stamp: tuple[int, int] | None = None

    def _project_actions(self: MainWindow) -> list[QAction]:
        """The 文件 menu's project entries (before 设置 and 退出); the list gets its context menu."""
        self.new_project_action = self._action(tr("新建项目…"), self.new_project_dialog)
        self.import_project_action = self._action(tr("导入项目文件或数据包…"), self.import_project_file)
        self.export_project_action = self._action(tr("导出项目数据包…"), self.export_project_bundle)
        self.archive_project_action = self._action(tr("归档项目"), self.archive_project)
        self.delete_project_action = self._action(tr("删除项目…"), self.delete_project_dialog)
        self.show_archived = self._action(tr("显示已归档项目"), self.refresh_projects)
        self.show_archived.setCheckable(True)
        self.projects.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.projects.customContextMenuRequested.connect(self._project_menu)
        self.installEventFilter(_Activation(self))
        separators = [QAction(self) for _ in range(2)]
        for s in separators:
            s.setSeparator(True)
        return [self.new_project_action, self.import_project_action, self.export_project_action, separators[0],
                self.archive_project_action, self.delete_project_action, self.show_archived, separators[1]]

    def _project_menu(self: MainWindow, pos: QPoint) -> None:
        item = self.projects.itemAt(pos)
        menu = QMenu(self)
        if item is not None:
            pid = int(item.data(Qt.ItemDataRole.UserRole))
            if self.projects.currentItem() is not item:
                self.projects.setCurrentItem(item)
            if item.data(Qt.ItemDataRole.UserRole + 1):  # archived
                menu.addAction(tr("撤销归档"), lambda: self.unarchive_project(pid))
            else:
                menu.addAction(tr("导出项目数据包…"), self.export_project_bundle)
                menu.addAction(tr("归档项目"), self.archive_project)
            menu.addAction(tr("删除项目…"), self.delete_project_dialog)
            menu.addSeparator()
        menu.addAction(self.new_project_action)
        menu.addAction(self.import_project_action)
        menu.addAction(self.show_archived)
        self.project_menu = menu
        menu.popup(self.projects.viewport().mapToGlobal(pos))

    # -- the list -------------------------------------------------------------------------------
    def _demo_badge(self: MainWindow) -> str:
        """The header's mark of the demo (rich text), else nothing."""
        if self.project_id not in self.demo_ids:
            return ""
        return (" <span style='background:#FFE0B2;color:#8A4B00;font-size:small;font-weight:normal'>&nbsp;"
                + tr("演示项目 · 不同步到平台") + "&nbsp;</span>")

    def refresh_projects(self: MainWindow, select: int | None = None) -> None:
        """Read the project list again (archived ones too when asked), keeping the shown project
        shown without reading it again; ``select`` a project to show instead."""
        rows = projects.list_projects(self.ctx.db, include_archived=self.show_archived.isChecked())
        self._list_stamp = projects.list_stamp(self.ctx.db)
        keep = select if select is not None else self.project_id
        self.projects.blockSignals(True)
        self.projects.clear()
        self.demo_ids.clear()
        self._add_projects(rows)
        self.projects.blockSignals(False)
        ids = [p.id for p in rows]
        if keep in ids and (select is None or select == self.project_id):
            self.projects.blockSignals(True)
            self.projects.setCurrentRow(ids.index(keep))
            self.projects.blockSignals(False)
        elif keep in ids:
            self.projects.setCurrentRow(ids.index(keep))
        elif ids:
            self.projects.setCurrentRow(0)
        else:
            self.project_id, self.detail = None, None
            self.show_welcome()

    def refresh_if_changed(self: MainWindow) -> bool:
        """On activation: read the list again when the database changed since (another program, the
        command line). Never opens the database: before the window opened it, there is nothing to compare."""
        if self._ctx is None or self.showing_welcome() and self.demo_task is not None:
            return False
        stamp = projects.list_stamp(self.ctx.db)
        if stamp == self._list_stamp:
            return False
        self.refresh_projects()
        return True

    # -- new, import, export ------------------------------------------------------------------------
    def new_project_dialog(self: MainWindow) -> NewProjectDialog:
        dialog = NewProjectDialog(self.ctx, self.writer_run(tr("新建项目")), self, agency=self.settings.agency,
                                  me=self.settings.inspector_name)
        dialog.accepted.connect(lambda: self._project_made(dialog.result_detail))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _project_made(self: MainWindow, detail: Any) -> None:
        if detail is None:
            return
        self.refresh_projects(select=detail.id)
        self._say(tr("已创建项目 {0} {1}").format(detail.code, detail.name))

    def import_project_file(self: MainWindow) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("导入项目说明文件或数据包"), str(Path.home()),
                                              tr("项目说明文件或数据包 (*.toml *.json *.zip)"))
        if not path:
            return
        file = Path(path)
        ctx = self.ctx
        if file.suffix.lower() == ".zip":
            self.write(tr("导入数据包"), lambda: bundle.import_bundle(ctx.db, ctx.store, file), self._bundle_imported)
        else:
            self.write(tr("导入项目说明文件"), lambda: projects.create_project(ctx.db, projects.load_spec(file)),
                       self._project_made)

    def _bundle_imported(self: MainWindow, result: dict[str, Any]) -> None:
        self.refresh_projects(select=result["project_id"])
        if result["imported"]:
            self._say(tr("已导入项目 {0}").format(result["code"]))
        else:
            self._say(tr("项目 {0} 已在本机：未重复导入").format(result["code"]), "warning")

    def export_project_bundle(self: MainWindow) -> None:
        d = self.detail
        if d is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, tr("导出项目数据包"), str(Path.home() / _file_name(d.code)),
                                              tr("项目数据包 (*.zip)"))
        if not path:
            return
        out = Path(path) if path.lower().endswith(".zip") else Path(path + ".zip")
        ctx, pid = self.ctx, d.id
        self.write(tr("导出数据包"), lambda: bundle.export_project(ctx.db, ctx.store, pid, out),
                   lambda r: self._say(tr("已导出 {0}（照片 {1} 张）").format(r["path"], r["photos"])))

    # -- archive, delete ------------------------------------------------------------------------------
    def archive_project(self: MainWindow) -> None:
        d = self.detail
        if d is None:
            return
        ctx, pid = self.ctx, d.id

        def done(p: ProjectSummary) -> None:
            self.refresh_projects()
            self._say(tr("已归档 {0} {1}：数据全部保留，勾选 文件 > 显示已归档项目 可找回").format(p.code, p.name))

        self.write(tr("归档项目"), lambda: project_lifecycle.archive_project(ctx.db, pid), done)

    def unarchive_project(self: MainWindow, pid: int) -> None:
        ctx = self.ctx

        def done(p: ProjectSummary) -> None:
            self.refresh_projects(select=p.id)
            self._say(tr("已撤销归档 {0} {1}").format(p.code, p.name))

        self.write(tr("撤销归档"), lambda: project_lifecycle.unarchive_project(ctx.db, pid), done)

    def delete_project_dialog(self: MainWindow) -> QWidget | None:
        """Delete the shown project once its code is typed; a project that can only be archived is
        told so, and nothing is deleted."""
        pid = self._current_list_id()
        if pid is None:
            return None
        ctx = self.ctx
        p = project_lifecycle.summary(ctx.db, pid)
        why = project_lifecycle.can_delete(ctx.db, pid)
        if why is not None:
            box = QMessageBox(QMessageBox.Icon.Information, tr("不能删除"), error_text(why), parent=self)
            self.dialog = box
            box.open()
            return box
        typed = line(placeholder=p.code)
        note = tr("将从本机删除项目 {0} {1} 的全部记录、照片和报告文件（其他项目使用的照片保留），不能撤销；"
                  "审计日志保留删除记录。请输入项目编号 {0} 确认。").format(p.code, p.name)
        dialog = ActionDialog(tr("删除项目 · {0}").format(p.name), [("confirm", tr("项目编号"), typed)],
                              lambda v: lambda: project_lifecycle.delete_project(ctx.db, ctx.store, pid, v["confirm"]),
                              self, run=self.writer_run(tr("删除项目")), note=note)
        dialog.ok.setText(tr("删除"))
        dialog.saved.connect(self._project_deleted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _project_deleted(self: MainWindow, gone: Any) -> None:
        if self.project_id is not None and gone.code == (self.detail.code if self.detail else None):
            self.project_id, self.detail = None, None
        self.undo_stack.clear()
        self._undo_state()
        self.refresh_projects()
        self._say(tr("已删除项目 {0} {1}（{2} 条记录）").format(gone.code, gone.name, gone.rows))

    def _current_list_id(self: MainWindow) -> int | None:
        item = self.projects.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else self.project_id


def mark_archived(item: QListWidgetItem, archived: bool) -> None:
    """An archived project's line: greyed, and known as such to the context menu."""
    item.setData(Qt.ItemDataRole.UserRole + 1, archived)
    if archived:
        item.setForeground(QBrush(QColor("#888888")))


class _Activation(QObject):
    """Reads the project list again when the window is activated and the database changed."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.WindowActivate and obj is self.window:
            try:
                self.window.refresh_if_changed()
            except InspectorError as exc:
                self.window._say(refusal(exc), "error")
        return False
