"""Collect every ``tr("...")`` of the UI into resources/i18n/inspector_<lang>.ts (Qt Linguist
format), keeping the translations already there; new strings are marked unfinished.

    python scripts/update_translations.py          # update the .ts file
    python scripts/update_translations.py --check  # exit 1 if a string lacks a translation
Then `make` compiles it to .qm with pyside6-lrelease.
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "inspector_app" / "ui"
TS = ROOT / "resources" / "i18n" / "inspector_en.ts"
CONTEXT = "Inspector"


def sources() -> list[str]:
    found: dict[str, None] = {}
    for path in sorted(UI.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr"
                    and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found[node.args[0].value] = None
    for extra in data_strings():
        found.setdefault(extra, None)
    return list(found)


def data_strings() -> list[str]:
    """Names that reach tr() through a variable (status names, roles, tool names)."""
    sys.path.insert(0, str(ROOT))
    from inspector_app.services.issuing import KIND_NAMES
    from inspector_app.ui.dashboard import NODE_STATUS
    from inspector_app.ui.finding_panel import KIND_NAMES as EVENT_KINDS
    from inspector_app.ui.finding_panel import FindingPanel
    from inspector_app.ui.photo_viewer import TOOLS
    from inspector_app.ui.report_centre import SHORT, STATUS
    from inspector_app.ui.sync_view import STATUS as SYNC_STATUS

    # status, grade and role names come from the project's rule set with their English (name_en), not tr()
    names = [*NODE_STATUS.values(), *EVENT_KINDS.values(), *(n for _t, n in TOOLS), *KIND_NAMES.values(), *STATUS.values(), *SHORT.values(), *SYNC_STATUS.values(),
             *(label for _k, label, _s in FindingPanel.ACTIONS), "时间最近", "按顺序"]
    from inspector_app.ui.finding_panel import TEXT_FIELDS
    from inspector_app.ui.finding_table_model import COLUMNS

    names += [label for _k, label, _m in TEXT_FIELDS]
    names += [c for c, _k in COLUMNS]
    from inspector_app.models.org import STAFF_ROLES
    from inspector_app.services.review import STATUS_NAMES as REVIEW_STATUS

    names += [*STAFF_ROLES.values(), *REVIEW_STATUS.values()]
    from inspector_app.ui.conflict_dialog import FIELD_NAMES

    names += list(FIELD_NAMES.values())
    return names


def existing() -> dict[str, str]:
    if not TS.exists():
        return {}
    out = {}
    for msg in ET.parse(TS).getroot().iter("message"):
        src, tr_ = msg.findtext("source") or "", msg.find("translation")
        if tr_ is not None and tr_.text and tr_.get("type") != "unfinished":
            out[src] = tr_.text
    return out


def write(strings: list[str], done: dict[str, str]) -> None:
    root = ET.Element("TS", version="2.1", language="en", sourcelanguage="zh_CN")
    ctx = ET.SubElement(root, "context")
    ET.SubElement(ctx, "name").text = CONTEXT
    for s in strings:
        msg = ET.SubElement(ctx, "message")
        ET.SubElement(msg, "source").text = s
        t = ET.SubElement(msg, "translation")
        if s in done:
            t.text = done[s]
        else:
            t.set("type", "unfinished")
    ET.indent(root)
    TS.parent.mkdir(parents=True, exist_ok=True)
    TS.write_bytes(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, "utf-8") + b"\n")


def main() -> int:
    strings, done = sources(), existing()
    missing = [s for s in strings if s not in done]
    if "--check" in sys.argv:
        for s in missing:
            print(f"untranslated: {s}")
        return 1 if missing else 0
    write(strings, done)
    print(f"{len(strings)} strings, {len(missing)} without a translation -> {TS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
