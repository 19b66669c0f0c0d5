"""The window's work beyond the findings table: inspection plan, floor plans, photo markup
and comparison, photo-time matching, the report centre. Kept apart from main_window.py so
each stays readable; the tabs are built the first time they are shown."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QFileDialog, QWidget

from ..errors import InspectorError, NotFound
from ..values.changes import Changes
from ..values.dto import FloorPlanInfo, NodeInfo, PhotoImportResult, PhotoInfo, PinInfo, VisitInfo
from .i18n import tr
from .lazy import lazy_import

if TYPE_CHECKING:
    from .floor_plan_view import FloorPlanView
    from .main_window import MainWindow
    from .plan_view import PlanView
    from .report_centre import ReportCentre
    from .sync_view import SyncView

PLAN_TAB, FLOOR_TAB, REPORT_TAB, SYNC_TAB = 2, 3, 4, 5
operations = lazy_import("inspector_app.services.operations")
photo_matching = lazy_import("inspector_app.services.photo_matching")
photos = lazy_import("inspector_app.services.photos")
plans = lazy_import("inspector_app.services.plans")


class WorkspaceMixin:
    plan_view: PlanView | None = None
    floor_plans: FloorPlanView | None = None
    _plan_editor: QWidget | None = None  # the editor whose saves refresh the floor plan
    report_centre: ReportCentre | None = None
    sync_view: SyncView | None = None
    dialog: QWidget | None = None

    # -- lazily built tabs ------------------------------------------------------------------------
    def _build_plan_view(self: MainWindow) -> QWidget:
        from .plan_view import PlanView

        self.plan_view = PlanView(self.update_node, self._error)
        self.plan_view.node_name = lambda code, name: self.names.node(code, name)
        return self.plan_view

    def update_node(self: MainWindow, node: NodeInfo, change: dict[str, Any],
                    failed: Callable[[Exception], None]) -> None:
        ctx, pid = self.ctx, self.project_id
        assert pid is not None
        self.write(tr("保存节点 {0}").format(node.code), lambda: operations.update_node(ctx, pid, node.id, **change),
                   lambda _c: self._say(tr("已保存节点 {0}").format(node.code)), failed)

    def _build_floor_plans(self: MainWindow) -> QWidget:
        from .floor_plan_view import FloorPlanView

        self.floor_plans = FloorPlanView(self.grade_colors)
        self.floor_plans.finding_clicked.connect(self.show_finding_tab)
        self.floor_plans.import_requested.connect(self.import_floor_plan)
        self.floor_plans.place_requested.connect(self.place_pin)
        self.floor_plans.record_requested.connect(self.record_on_plan)
        if self.panel.finding is not None:
            self.floor_plans.set_finding(self.panel.finding.label)
        return self.floor_plans

    def _build_report_centre(self: MainWindow) -> QWidget:
        from .report_centre import ReportCentre

        centre = ReportCentre(self.ctx, self.lanes.writer, self._say, self._error, reads=self.lanes.quick)
        self.report_centre = centre
        return centre

    def _build_sync_view(self: MainWindow) -> QWidget:
        if self.sync_view is None:
            from ..settings import save_settings
            from .sync_view import SyncView

            def save_server(text: str) -> None:
                self.settings = self.settings.with_changes(sync_server=text)
                save_settings(self.paths.data_dir, self.settings)

            self.sync_view = SyncView(lambda: self.ctx, self.lanes.network, self.settings.sync_server, save_server,
                                      self._say, self._error)
            self.sync_view.timer.stop()  # the window's own timer drives background sync
            self.sync_view.on_received = self._reload
        return self.sync_view

    def _auto_sync(self: MainWindow) -> None:
        if self.settings.sync_server:
            self._build_sync_view()
            assert self.sync_view is not None
            self.sync_view.sync_now(quiet=True)

    def _refresh_tab(self: MainWindow, index: int) -> None:
        if self.project_id is None or self.detail is None:
            return
        if index == PLAN_TAB and self.plan_view is not None:
            self.plan_view.show_nodes(self.detail.nodes)
        elif index == FLOOR_TAB and self.floor_plans is not None:
            self._show_plans()
        elif index == REPORT_TAB and self.report_centre is not None:
            self.report_centre.show_project(self.detail)
        elif index == SYNC_TAB and self.sync_view is not None:
            self.sync_view.refresh()

    # -- floor plans -------------------------------------------------------------------------------
    def _show_plans(self: MainWindow, select: int | None = None) -> None:
        assert self.floor_plans is not None and self.project_id is not None and self.detail is not None
        store = self.ctx.store

        def load(plan: FloorPlanInfo) -> tuple[str, list[PinInfo]]:
            return str(store.rendition_path(plan.sha256, 3000)), plans.pins(self.ctx.db, plan.id)

        self.floor_plans.set_plans(plans.list_plans(self.ctx.db, self.project_id),
                                   [b.name for b in self.detail.buildings], load, select)

    def import_floor_plan(self: MainWindow, request: dict[str, Any]) -> None:
        ctx, pid = self.ctx, self.project_id
        assert pid is not None

        def work(progress: Callable[[int, int, str], None], _cancel: Callable[[], bool]) -> FloorPlanInfo:
            progress(0, 1, Path(request["path"]).name)
            info: FloorPlanInfo = operations.import_plan(ctx, pid, request["building"], request["floor"],
                                                         request["path"], page=request["page"])
            return info

        def done(info: FloorPlanInfo) -> None:
            self._say(tr("已导入平面图 {0} {1}").format(info.building, info.floor))
            self._show_plans(info.id)

        self.lanes.writer.submit(tr("导入平面图"), work, on_progress=self._task_progress, on_done=done,
                           on_error=self._error)

    def place_pin(self: MainWindow, plan_id: int, x: float, y: float) -> None:
        finding = self.panel.finding
        if finding is None:
            return
        ctx = self.ctx

        def placed(_changes: Any) -> None:
            self._say(tr("{0} 已定位在平面图上").format(finding.label))
            self._show_plans(plan_id)

        self.write(tr("平面图定位"), lambda: operations.place_pin(ctx, finding.id, plan_id, x, y), placed)

    def record_on_plan(self: MainWindow, plan_id: int, x: float, y: float) -> QWidget | None:
        """Plan-first entry: the finding editor with the pin at the clicked point of the drawing and
        the drawing's building and floor; saving records the finding and places the pin together.
        An editor already open takes the new point instead of a second editor opening."""
        assert self.floor_plans is not None
        view = self.floor_plans
        plan = next((p for p in view.plans if p.id == plan_id), None)
        if plan is None:
            return None
        editor = self.editor if self.editor is not None and self.editor.isVisible() else None
        if editor is None:
            editor = self.open_editor()
        if editor is None:  # no visit yet: the window said so
            view.canvas.clear_mark()
            return None
        if self._plan_editor is not editor:
            self._plan_editor = editor
            editor.saved.connect(self._recorded_on_plan)
            editor.finished.connect(lambda _result: view.canvas.clear_mark())
        editor.set_pin(plan, x, y)
        editor.raise_()
        editor.activateWindow()
        return editor

    def _recorded_on_plan(self: MainWindow, changes: Changes) -> None:
        pin = plans.pin_of(self.ctx.db, changes.findings[0].id)
        if pin is not None and self.floor_plans is not None:
            self._say(tr("{0} 已记录并定位在平面图上").format(changes.findings[0].label))
            self._show_plans(pin[0])

    def locate_on_plan(self: MainWindow) -> None:
        finding = self.panel.finding
        if finding is None or self.project_id is None:
            return
        pin = plans.pin_of(self.ctx.db, finding.id)
        target = pin[0] if pin else getattr(plans.plan_for(self.ctx.db, self.project_id, finding.building,
                                                           finding.floor), "id", None)
        self.ensure_tab(FLOOR_TAB)
        assert self.floor_plans is not None
        self._show_plans(target)
        self.floor_plans.set_finding(finding.label)
        if pin is None and target is not None:
            self.floor_plans.start_placing()
        elif target is None:
            self._say(tr("{0} {1} 尚无平面图：请先导入").format(finding.building, finding.floor or ""), "warning")

    # -- photos ------------------------------------------------------------------------------------
    def _make_thumbnail(self: MainWindow, sha: str, rebuild: bool = False) -> None:
        store = self.ctx.store
        self.lanes.quick.submit(tr("生成缩略图"), lambda _p, _c: store.thumbnail_path(sha, rebuild=rebuild),
                           on_done=lambda _path: self.strip_model.thumbnail_ready(sha),
                           on_error=lambda _exc: None)  # a missing original is named by `verify`

    def open_markup(self: MainWindow, photo_id: int) -> QWidget | None:
        from ..services.markup import get_photo
        from .photo_viewer import MarkupDialog, Shapes

        try:
            photo = get_photo(self.ctx.db, photo_id)
        except NotFound as exc:  # removed meanwhile (another window, the command line)
            self._error(exc)
            self.strip_model.remove_photo(photo_id)
            return None
        try:
            path = self.ctx.store.rendition_path(photo.sha256)
        except FileNotFoundError as exc:
            self._error(InspectorError(str(exc)))
            return None
        ctx, stack = self.ctx, self.undo_stack

        def save(shapes: list[dict[str, Any]], then: Shapes) -> None:
            def saved(result: tuple[PhotoInfo, Changes]) -> None:
                self._undo_state()
                self.strip_model.update_photo(result[0])  # the thumbnail is redrawn with the new markup
                then(list(result[0].markup))

            def refused(exc: Exception) -> None:
                self._error(exc)
                then(None)
                if isinstance(exc, NotFound):  # the photo was removed while open
                    dialog.photo_gone()

            self.write(tr("保存标注"), lambda: operations.set_markup(ctx, stack, photo_id, shapes), saved, refused)

        def step(then: Shapes, redo: bool = False) -> None:
            def done(result: tuple[str | None, PhotoInfo, Changes]) -> None:
                self._undo_state()
                if result[0] is not None:
                    self._say(result[0])
                self.strip_model.update_photo(result[1])
                then(list(result[1].markup))

            def failed(exc: Exception) -> None:
                self._undo_state()
                self._error(exc)
                then(None)

            self.write(tr("撤销") if not redo else tr("重做"),
                       lambda: operations.markup_step(ctx, stack, photo_id, redo), done, failed)

        def closed(_result: int) -> None:
            if photo.finding_id:
                self.open_finding(photo.finding_id)

        dialog = MarkupDialog(tr("标注 · {0}").format(photo.original_name), str(path), photo.markup, save,
                              step, lambda then: step(then, redo=True), self)
        dialog.finished.connect(closed)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_compare(self: MainWindow) -> QWidget | None:
        from .photo_viewer import CompareDialog

        finding = self.panel.finding
        if finding is None:
            return None
        shots = photos.list_photos(self.ctx.db, finding_id=finding.id)

        def side(role: str) -> list[tuple[str, str, list[dict[str, Any]]]]:
            out = []
            for p in shots:
                if p.role == role:
                    try:
                        out.append((f"{p.taken_at or ''} {p.original_name}", str(self.ctx.store.rendition_path(p.sha256)),
                                    p.markup))
                    except FileNotFoundError:
                        continue
            return out

        dialog = CompareDialog(tr("{0} 整改前后对比").format(finding.label), side("before"), side("after"), self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def import_visit_photos(self: MainWindow, paths: list[str] | None = None) -> None:
        """Photos of the latest visit (a camera card), matched to its findings by time taken."""
        if self.project_id is None:
            return
        all_visits = self.visits
        if not all_visits:
            self._say(tr("请先开始一次巡查"), "warning")
            return
        visit = max(all_visits, key=lambda v: v.started_at)
        if paths is None:
            folder = QFileDialog.getExistingDirectory(self, tr("选择相机文件夹"))
            paths = [folder] if folder else []
        if not paths:
            return
        files = photos.expand_paths(paths)
        ctx = self.ctx

        def work(progress: Callable[[int, int, str], None], cancel: Callable[[], bool]) -> Any:
            return operations.import_photos(ctx, files, visit_id=visit.id, role="general", progress=progress,
                                            cancel=cancel)

        def done(result: tuple[list[PhotoImportResult], Changes]) -> None:
            self._imported(result[0])
            self.open_photo_matching(visit.id, {r.photo_id for r in result[0] if r.photo_id})

        self.lanes.writer.submit(tr("导入 {0} 张照片").format(len(files)), work, on_progress=self._task_progress,
                           on_done=done, on_error=self._error)

    def _visit_choice(self: MainWindow, visit_id: int | None) -> tuple[list[VisitInfo], int] | None:
        """The project's visits in order and the one a visit dialog opens on (the latest by default)."""
        if self.project_id is None or self.detail is None:
            return None
        if not self.visits:
            self._say(tr("请先开始一次巡查"), "warning")
            return None
        ordered = sorted(self.visits, key=lambda v: v.number)
        return ordered, visit_id if visit_id is not None else max(ordered, key=lambda v: v.started_at).id

    def open_checklist(self: MainWindow, visit_id: int | None = None) -> QWidget | None:
        """The check items (检查要点) of a visit, the latest unless ``visit_id`` names one."""
        picked = self._visit_choice(visit_id)
        if picked is None or self.detail is None:
            return None
        from .checklist_dialog import ChecklistDialog

        ordered, chosen = picked
        dialog = ChecklistDialog(self.ctx, ordered, [b.name for b in self.detail.buildings],
                                 self.writer_run(tr("保存检查要点")), self, visit_id=chosen)
        dialog.finding_requested.connect(self.show_finding_tab)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_document_reviews(self: MainWindow, visit_id: int | None = None) -> QWidget | None:
        """The documents and test reports reviewed (资料核查) on a visit, the latest unless ``visit_id`` names one."""
        picked = self._visit_choice(visit_id)
        if picked is None or self.detail is None:
            return None
        from .document_review_dialog import DocumentReviewDialog

        ordered, chosen = picked
        bought = {c.code for c in self.detail.coverage}  # a finding carries only a rider the policy bought
        coverages = [*self.ruleset.coverages, *(r for r in self.ruleset.riders if r in bought)]
        dialog = DocumentReviewDialog(self.ctx, ordered, [b.name for b in self.detail.buildings], self.ruleset,
                                      coverages, list(self.rows), self.writer_run(tr("保存资料核查")), self,
                                      visit_id=chosen)
        dialog.finding_requested.connect(self.show_finding_tab)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_photo_matching(self: MainWindow, visit_id: int, photo_ids: set[int] | None = None) -> QWidget | None:
        from .photo_match_dialog import PhotoMatchDialog

        proposal = photo_matching.propose(self.ctx.db, visit_id, photo_ids=photo_ids)
        if not proposal.bursts:
            self._say(tr("本次巡查没有待分配的照片"))
            return None
        visit_findings = [f for f in self.rows if f.visit_id == visit_id]
        ctx = self.ctx

        def assign(batches: list[tuple[list[int], int]], done: Callable[[int], None],
                   failed: Callable[[Exception], None]) -> None:
            def assigned(result: tuple[int, Changes]) -> None:
                self._say(tr("已分配 {0} 张照片").format(result[0]))
                done(result[0])

            self.write(tr("分配照片"), lambda: operations.assign_photos(ctx, batches), assigned, failed)

        dialog = PhotoMatchDialog(proposal, visit_findings, self.ctx.store.cached_thumbnail, assign, self,
                                  remove=lambda photo, asking, removed: self.ask_remove_photo(photo, removed, asking))
        self.dialog = dialog
        dialog.open()
        return dialog
