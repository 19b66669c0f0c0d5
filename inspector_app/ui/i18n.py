"""UI language through Qt's translation files.

Source strings are Simplified Chinese (the default language); ``resources/i18n/inspector_en.ts``
holds the English, compiled to ``.qm`` by ``pyside6-lrelease`` (``make`` does it).
``scripts/update_translations.py`` collects every ``tr("...")`` of the UI into the .ts file.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QTranslator

from ..messages import Keyed, describe
from ..paths import resource_path

CONTEXT = "Inspector"
_installed: list[QTranslator] = []
_language = ["zh_CN"]


def english() -> bool:
    """Whether the English translation is installed (data names then show their ``name_en``)."""
    return _language[0].startswith("en")


def error_text(exc: Keyed) -> str:
    """A core error (its message key and params) in the UI's language."""
    return describe(exc, _language[0])


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def install_language(app: QCoreApplication, language: str) -> bool:
    """Install the translator for ``language`` ("zh_CN" needs none). False when no file is there."""
    for old in _installed:
        app.removeTranslator(old)
    _installed.clear()
    _language[0] = "zh_CN"
    if language.startswith("zh"):
        return True
    translator = QTranslator(app)
    if not translator.load(str(resource_path("i18n", f"inspector_{language}.qm"))):
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    _language[0] = language
    return True
