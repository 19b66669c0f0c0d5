"""Before the GUI starts (Qt-free): first start, and on a machine without a screen, say so plainly and show the data headlessly
instead of letting Qt abort."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .app import AppContext, open_app
from .paths import resolve_paths

if TYPE_CHECKING:
    from .values import dto


def has_display() -> bool:
    if sys.platform in ("win32", "darwin"):
        return True
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def first_start_pending(data_dir: str | Path | None) -> bool:
    """No database yet, or a demo build cut short: the demo is to be made (decided without the ORM).
    A database whose demo was deleted is not: the demo does not come back by itself."""
    from .services.first_screen import demo_pending

    paths = resolve_paths(data_dir)
    return demo_pending(paths.data_dir, paths.database)


def ensure_first_start(data_dir: str | Path | None) -> None:
    """First start without a window (no screen): the demo project is made before anything is shown.
    With a window it is made in the background while the welcome view shows (ui/first_start.py)."""
    if not first_start_pending(data_dir):  # the common case, decided without loading the ORM
        return
    ctx = open_app(data_dir)
    try:
        print("首次启动：正在创建演示项目……", flush=True)
        _detail, me = make_demo(ctx)
        if me is not None:
            print(f"当前人员：{me.name}（{me.role_name}，可在“设置”中更改）", flush=True)
    finally:
        ctx.close()


def make_demo(ctx: AppContext, progress: Callable[[int, int, str], None] | None = None,
              cancel: Callable[[], bool] | None = None) -> tuple[dto.ProjectDetail, dto.StaffInfo | None]:
    """The demo made in the data folder, whole or not at all (services/demo_install.py), and the
    person chosen for this laptop when none was (else None)."""
    from .services.demo_install import install_demo

    detail = install_demo(ctx.db, ctx.store, ctx.paths.data_dir, progress, cancel)
    return detail, _demo_profile(ctx)


def _demo_profile(ctx: AppContext) -> dto.StaffInfo | None:
    """With no profile yet, the demo is explored as its agency's first inspector (changeable in 设置)."""
    from .services.projects import staff
    from .settings import load_settings, save_settings

    current = load_settings(ctx.paths.data_dir)
    people = staff(ctx.db)
    if current.inspector_name or not people:
        return None
    me = people[0]
    save_settings(ctx.paths.data_dir, current.with_changes(inspector_name=me.name, agency=me.agency,
                                                           certificate_no=me.certificate_no or ""))
    return me


def write_reports(data_dir: str | Path | None, out: Path) -> list[Path]:
    """The main job without a screen: the first project's latest process report, its final
    report, the latest visit's rectification notice and the defect register, into ``out``."""
    from .services import issuing, projects, visits

    ctx = open_app(data_dir)
    try:
        summaries = projects.list_projects(ctx.db)
        if not summaries:
            return []
        p = summaries[0]
        out.mkdir(parents=True, exist_ok=True)
        latest = max(visits.list_visits(ctx.db, p.id), key=lambda v: v.started_at, default=None)
        made = []
        jobs: list[tuple[str, int | None, str]] = [("final", None, f"{p.code}-最终评估报告.pdf"),
                                                   ("register", None, f"{p.code}-质量缺陷登记表.xlsx")]
        if latest is not None:
            jobs[:0] = [("process", latest.id, f"{p.code}-过程评估报告-第{latest.number}次巡查.pdf"),
                        ("notice", latest.id, f"{p.code}-整改通知单-第{latest.number}次巡查.pdf")]
        for kind, visit_id, name in jobs:
            data = issuing.gather(ctx, kind, p.id, visit_id=visit_id)
            made.append(Path(issuing.build(kind, data, out / name).path))
        return made
    finally:
        ctx.close()


def headless_summary(data_dir: str | Path | None, out: Path | None = None) -> int:
    from .services import findings, projects

    print("没有可用的图形显示（未设置 DISPLAY 或 WAYLAND_DISPLAY），无法打开窗口。\n"
          "No graphical display is available (DISPLAY / WAYLAND_DISPLAY unset): the window cannot open.\n"
          "数据已就绪，以下为本机项目；完整功能可用命令行：.venv/bin/inspector-app --help\n")
    ctx = open_app(data_dir)
    try:
        print(f"数据目录：{ctx.paths.data_dir}")
        for p in projects.list_projects(ctx.db):
            gate = findings.final_gate(ctx.db, p.id)
            verdict = "通过" if gate.passed else "不通过（" + "、".join(f.label for f in gate.blocking) + " 未验证整改）"
            print(f"  {p.code}  {p.name}：巡查 {p.visits} 次，问题 {p.findings} 项（未关闭 {p.open_findings}），"
                  f"最终评估闸门：{verdict}")
    finally:
        ctx.close()
    target = out or Path("out")
    print(f"\n正在生成报告到 {target.resolve()} ……", flush=True)
    for path in write_reports(data_dir, target):
        print(f"  {path}")
    return 0


def prepare_gui(data_dir: str | Path | None) -> int | None:
    """Everything before the window: None when the GUI can start, else the exit code. With a
    screen, a first start's demo is made by the window, after it is shown."""
    if not has_display():
        ensure_first_start(data_dir)
        return headless_summary(data_dir)
    if importlib.util.find_spec("PySide6") is None:
        print("未安装 PySide6，无法启动图形界面：请运行 make run（会自动安装）。", file=sys.stderr)
        return 1
    return None
