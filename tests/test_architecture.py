"""The one rule: the core never imports Qt. Proven by importing it with PySide6 made unimportable."""

import subprocess
import sys

CORE = ["inspector_app.models", "inspector_app.services.projects", "inspector_app.services.findings",
        "inspector_app.services.photos", "inspector_app.services.bundle", "inspector_app.services.demo",
        "inspector_app.photos", "inspector_app.cli", "inspector_app.commands", "inspector_app.app",
        "inspector_app.launch", "inspector_app.rulesets", "inspector_app.services.report_data",
        "inspector_app.services.issuing", "inspector_app.services.outbox", "inspector_app.sync.client",
        "inspector_app.reports.final", "inspector_app.values.report"]


def test_core_imports_and_runs_without_qt(tmp_path):
    code = (
        "import sys\n"
        "sys.modules['PySide6'] = None\n"
        f"for m in {CORE!r}: __import__(m)\n"
        "from inspector_app.app import open_app\n"
        f"ctx = open_app({str(tmp_path)!r}); ctx.close()\n"
        "assert not any(k.startswith('PySide6') and sys.modules[k] for k in sys.modules)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_make_run_without_display_says_so(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "inspector_app", "--data-dir", str(tmp_path / "d")],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "没有可用的图形显示" in proc.stdout and "No graphical display" in proc.stdout
    assert "最终评估闸门" in proc.stdout


def test_version_is_the_one_in_pyproject():
    import tomllib
    from pathlib import Path

    import inspector_app

    root = Path(__file__).resolve().parent.parent
    assert inspector_app.__version__ == tomllib.loads((root / "pyproject.toml").read_text())["project"]["version"]


def test_the_window_module_paints_before_the_orm_loads():
    """Start-up speed depends on it: the ORM, Pillow and report libraries load after the first paint."""
    import subprocess
    import sys

    code = ("import sys, inspector_app.ui.main_window, inspector_app.launch, inspector_app.cli;"
            "print(sorted(m for m in ('sqlalchemy', 'alembic', 'PIL', 'reportlab') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"QT_QPA_PLATFORM": "offscreen", "PATH": ""})
    if "No module named 'PySide6'" in run.stderr:
        return
    assert run.stdout.strip() == "[]", run.stderr


def test_the_layers_are_a_contract_with_no_exception():
    """make test runs lint-imports; the contract itself must list the layers and ignore nothing."""
    import tomllib
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    contracts = tomllib.loads((root / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    layers = [c for c in contracts if c["type"] == "layers"]
    assert len(layers) == 1
    order = [layer.replace(" ", "") for layer in layers[0]["layers"]]
    top_down = ["inspector_app.ui", "inspector_app.sync", "inspector_app.services", "inspector_app.models"]
    positions = [next(i for i, layer in enumerate(order) if name in layer.split("|") + layer.split(":"))
                 for name in top_down]
    assert positions == sorted(positions)
    assert all(not c.get("ignore_imports") and not c.get("unmatched_ignore_imports_alerting") for c in contracts)
    forbidden = {(src, bad) for c in contracts if c["type"] == "forbidden"
                 for src in c["source_modules"] for bad in c["forbidden_modules"]}
    for src in ("inspector_app.ui", "inspector_app.reports", "inspector_app.sync"):
        assert (src, "inspector_app.models") in forbidden
    assert ("inspector_app.reports", "inspector_app.services") in forbidden
