"""Chinese renders on a machine without system CJK fonts: a child process whose fontconfig sees
no font at all registers the shipped font and draws the words of a report, glyph by glyph."""

import os
import subprocess
import sys
import textwrap

import pytest

pytest.importorskip("PySide6")

SCRIPT = textwrap.dedent('''
    import sys
    from PySide6.QtGui import QColor, QFont, QFontDatabase, QImage, QPainter
    from PySide6.QtWidgets import QApplication
    from inspector_app.ui.fonts import SHIPPED, install_cjk_font

    app = QApplication([])
    assert not [f for f in QFontDatabase.families() if "CJK" in f or "Hei" in f], QFontDatabase.families()
    family = install_cjk_font(app, [SHIPPED])
    assert family and "Micro Hei" in family, family

    def draw(text):
        img = QImage(64, 64, QImage.Format.Format_Grayscale8)
        img.fill(QColor("white"))
        p = QPainter(img)
        p.setFont(QFont(family, 30))
        p.drawText(8, 48, text)
        p.end()
        return bytes(img.constBits())

    tofu = draw(chr(0xE000))  # a private-use code point no font maps: what a missing glyph looks like
    blank = draw(" ")
    bad = [ch for ch in sys.argv[1] if draw(ch) in (tofu, blank)]
    assert not bad, bad
    print("ok", family)
''')


def test_chinese_renders_with_only_the_shipped_font(tmp_path):
    (tmp_path / "fonts.conf").write_text(
        f'<?xml version="1.0"?><fontconfig><dir>{tmp_path / "none"}</dir>'
        f"<cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>")
    (tmp_path / "none").mkdir()
    env = {**os.environ, "FONTCONFIG_FILE": str(tmp_path / "fonts.conf"), "QT_QPA_PLATFORM": "offscreen"}
    words = "住宅工程质量潜在缺陷保险过程评估报告整改通知单程知缺陷等级严重，。：（）"
    proc = subprocess.run([sys.executable, "-c", SCRIPT, words], env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.startswith("ok")
