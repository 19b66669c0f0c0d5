"""UI language through Qt's translation files.

Source strings are Simplified Chinese (the default language); ``resources/i18n/inspector_en.ts``
holds the English, compiled to ``.qm`` by ``pyside6-lrelease`` (``make`` does it).
``scripts/update_translations.py`` collects every ``tr("...")`` of the UI into the .ts file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QTranslator

from ..messages import Keyed, describe, history_reason, sentence
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


def keyed_text(key: str | None, params: Mapping[str, Any] | None, fallback: str | None) -> str:
    """A sentence the core handed over as its key and params (a photo's rejection), in the UI's
    language; ``fallback`` (its stored Chinese) when there is no key or it cannot be rendered."""
    if key:
        try:
            return sentence(key, params or {}, None, _language[0])
        except (KeyError, IndexError, ValueError):
            pass
    return fallback or ""


def reason_text(stored: str | None) -> str:
    """A text the core kept as a sentence (a finding-history reason, an undo step, an outbox line or
    its error) in the UI's language, said again from its key; people's own words stay as typed."""
    return history_reason(stored, _language[0])


def revision_label(number: str, revision: int) -> str:
    """A report's number and revision: ``BJ-…-GC-001 第1版``."""
    return tr("{0} 第{1}版").format(number, revision)


def capitalized(text: str) -> str:
    """A sentence-inside name made a table cell's start (English names in sentences are lower case)."""
    return text[:1].upper() + text[1:]


def listed(items: Iterable[str]) -> str:
    """Names in a row: 01、02 in Chinese, 01, 02 in English."""
    return (", " if english() else "、").join(items)


def clauses(items: Iterable[str]) -> str:
    """Clauses in a row: a；b in Chinese, a; b in English."""
    return ("; " if english() else "；").join(items)


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
