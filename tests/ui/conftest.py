import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture
def window_actor() -> str | None:
    """The current person of the ``window`` fixture (a module overrides it, e.g. with 李敏)."""
    return None


@pytest.fixture
def window(qtbot, demo_dir, window_actor):
    """The main window over a fresh copy of the demo, tasks run at once (SyncTaskRunner)."""
    pytest.importorskip("PySide6")
    from inspector_app.app import open_app
    from inspector_app.ui.main_window import MainWindow
    from inspector_app.ui.tasks import SyncTaskRunner

    ctx = open_app(demo_dir, actor=window_actor)
    w = MainWindow(ctx, runner=SyncTaskRunner())
    qtbot.addWidget(w)
    w.show()
    yield w
    ctx.close()


@pytest.fixture(autouse=True)
def _no_dialog_left_open():
    """A dialog or message box a test leaves open would stay on screen for the next tests (which
    look for message boxes): closed after each test."""
    yield
    try:
        from PySide6.QtWidgets import QApplication, QDialog
    except ImportError:
        return
    app = QApplication.instance()
    if app is None:
        return
    for w in QApplication.topLevelWidgets():  # type: ignore[attr-defined]
        if isinstance(w, QDialog) and w.isVisible():
            w.done(0)
