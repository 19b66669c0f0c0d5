"""PySide6 6.12.0 took a reference away from ``None`` on every call of a method returning
nothing (and from ``True`` on every signal emission): a long session ended in
``Fatal Python error: none_dealloc``. The pinned version must not."""

import sys

import pytest


def test_void_calls_and_emits_keep_none_and_true_alive(qtbot) -> None:
    pytest.importorskip("PySide6")
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QLabel, QPushButton

    class Source(QObject):
        fired = Signal(int)

    button, label, source = QPushButton(), QLabel(), Source()
    qtbot.addWidget(button)
    qtbot.addWidget(label)
    source.fired.connect(lambda _n: None)
    calls = 2000
    none0, true0 = sys.getrefcount(None), sys.getrefcount(True)
    for i in range(calls):
        button.setEnabled(i % 2 == 0)
        label.setText("x")
        source.fired.emit(i)
    # a leak shows as about -2 * calls (None) and -calls (True); small drift is caches
    assert sys.getrefcount(None) - none0 > -calls // 10
    assert sys.getrefcount(True) - true0 > -calls // 10
