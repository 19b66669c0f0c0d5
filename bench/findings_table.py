"""Findings table benchmark: 10,000 findings in the table model, offscreen.

Prints the time of every keystroke while a search is typed (filter + model reset), of a
picker change, and of sorting by each column, against the targets (50 ms per keystroke,
100 ms per sort), as figures and ratios.

    .venv/bin/python bench/findings_table.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtWidgets import QApplication, QTableView  # noqa: E402

from inspector_app.services.demo import load_demo  # noqa: E402
from inspector_app.services.finding_filters import FindingFilter  # noqa: E402
from inspector_app.ui.finding_table_model import COLUMNS, FindingTableModel  # noqa: E402
from inspector_app.values.dto import FindingInfo  # noqa: E402


def make_rows(n: int) -> list[FindingInfo]:
    rng = random.Random(7)
    templates = load_demo()["findings"]
    statuses = ["open", "replied", "verified", "verified", "closed"]
    rows = []
    for i in range(1, n + 1):
        t = templates[i % len(templates)]
        found = date(2024, 9, 1) + timedelta(days=rng.randrange(800))
        deadline = found + timedelta(days=rng.choice([3, 7, 14]))
        status = rng.choice(statuses)
        rows.append(FindingInfo(
            id=i, project_id=1, visit_id=1 + i // 200, visit_number=1 + i // 200, number=i,
            building=f"{1 + i % 12}#楼", floor=f"{1 + i % 30}F", location=t["location"], division_code=t["division"],
            subdivision_code=t["subdivision"], coverage_code=t["coverage"], description=t["description"],
            risk=t["risk"], clause=t["clause"], requirement=t["requirement"], deadline=deadline,
            responsible_party="北京宏基建设集团有限公司", grade_found=t["grade"], grade_now=t["grade"],
            is_serious=t["grade"] in "DE", serious_reason=None, status=status, found_on=found, closed_on=None,
            overdue=status == "open" and deadline < date(2026, 11, 24), photos=rng.randrange(4), recorded_by="王建国"))
    return rows


def ms(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=10_000)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    rows = make_rows(args.rows)
    model = FindingTableModel({})
    view = QTableView()
    view.setModel(model)
    view.resize(1400, 800)
    view.show()
    load = ms(lambda: (model.set_rows(rows), app.processEvents()))
    typed = "卫生间 渗漏 wpi"
    keystrokes = []
    for k in range(1, len(typed) + 1):
        keystrokes.append(ms(lambda k=k: (model.set_filter(FindingFilter(text=typed[:k])), app.processEvents())))
    shown = model.rowCount()
    clear = ms(lambda: (model.set_filter(FindingFilter()), app.processEvents()))
    picker = ms(lambda: (model.set_filter(FindingFilter(statuses=frozenset({"open"}), overdue_only=True)),
                         app.processEvents()))
    model.set_filter(FindingFilter())
    sorts = {}
    for col, (title, _key) in enumerate(COLUMNS):
        sorts[title] = ms(lambda col=col: (view.sortByColumn(col, Qt.SortOrder.DescendingOrder), app.processEvents()))
    print(f"\n{args.rows} findings in the table model (offscreen)\n")
    print(f"load into the model                      {load:8.1f} ms")
    print(f"keystroke filter, {len(keystrokes)} keystrokes: median {statistics.median(keystrokes):.1f} ms, "
          f"max {max(keystrokes):.1f} ms   target < 50 ms   ratio max/target {max(keystrokes) / 50:.2f}")
    print(f"  (search '{typed}' leaves {shown} rows)")
    print(f"clear the search                         {clear:8.1f} ms")
    print(f"picker change (open + overdue)           {picker:8.1f} ms")
    worst = max(sorts.values())
    print(f"sort by column: max {worst:.1f} ms over {len(sorts)} columns   target < 100 ms   ratio {worst / 100:.2f}")
    for title, t in sorts.items():
        print(f"  {title:8} {t:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
