"""Shared fixtures: a fresh data folder per test, the example project, and (once per session)
the demo project, copied for tests that change it."""

from __future__ import annotations

import copy
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector_app.app import AppContext, open_app
from inspector_app.services import demo, projects

# what a synced folder notes outside itself (services/team.sidecars) stays out of the tester's home
os.environ.setdefault("IDI_INSPECTOR_STATE_DIR", tempfile.mkdtemp(prefix="idi-state-"))

ROOT = Path(__file__).resolve().parents[1]
TESTDATA = ROOT.parent / "shared" / "testdata"
EXAMPLE = ROOT / "resources" / "examples" / "project.toml"


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    context = open_app(tmp_path / "data", actor="赵工")  # an inspector of the example agency
    yield context
    context.close()


@pytest.fixture(scope="session")
def example_spec() -> dict:
    return projects.load_spec(EXAMPLE)


@pytest.fixture
def spec(example_spec: dict) -> dict:
    return copy.deepcopy(example_spec)


@pytest.fixture
def project(ctx: AppContext, spec: dict):
    return projects.create_project(ctx.db, spec)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo") / "data"
    context = open_app(folder, actor="演示")
    demo.create_demo(context.db, context.store)
    context.close()
    return folder


@pytest.fixture(scope="module", name="demo")
def demo_for_module(demo_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppContext]:
    """The demo project opened once per test module (reports read it; a few tests add to it)."""
    folder = tmp_path_factory.mktemp("demo-module") / "data"
    shutil.copytree(demo_template, folder)
    context = open_app(folder, actor="测试员")
    yield context
    context.close()


@pytest.fixture
def demo_dir(demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo-data"
    shutil.copytree(demo_template, target)
    return target


def cli_json(*args: str, data_dir: Path, code: int = 0):
    """Run the command line with --json; assert its exit code; the JSON it printed (or None)."""
    import json

    proc = cli("--json", *args, data_dir=data_dir)
    assert proc.returncode == code, proc.stderr
    return json.loads(proc.stdout) if proc.stdout.strip() else None


def cli_workspace(tmp_path: Path, nodes: tuple[str, ...] = ("N03",)) -> tuple[Path, dict, dict]:
    """A data folder with the example project and a first visit (by 赵工) to ``nodes``, made by the CLI."""
    d = tmp_path / "cli"
    project = cli_json("project", "create", "--from", str(EXAMPLE), data_dir=d)
    node_args = [a for n in nodes for a in ("--node", n)]
    visit = cli_json("visit", "add", "--project", project["code"], *node_args, "--date", "2025-05-20",
                     "--inspector", "赵工", data_dir=d)
    return d, project, visit


def cli(*args: str, data_dir: Path, check: bool = False, env: dict | None = None):
    """Run the real command line in a child process."""
    import subprocess

    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    full_env.pop("DISPLAY", None)
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=full_env, timeout=300)
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}: {proc.stderr}")
    return proc


@pytest.fixture
def visit(ctx: AppContext, project):
    """A first visit to the example project's raft waterproofing (N03), by 赵工 and 钱工."""
    from datetime import datetime

    from inspector_app.services import visits

    return visits.start_visit(ctx.db, project.id, datetime(2025, 5, 20, 9, 30), node_codes=["N03"],
                              inspectors=["赵工", "钱工"], weather="晴", temperature_c=22,
                              attendees=[{"role": "supervision", "name": "孙总监", "title": "总监理工程师"}],
                              progress={"1#楼": "筏板防水施工", "2#楼": "垫层完成"}, summary="底板防水节点检查")
