"""PNG pages of the demo project's reports for docs/reports/ (run: .venv/bin/python scripts/report_pages.py).

Builds the demo's final report, latest process report and rectification notice in a temporary
data folder, finds the pages to show by their text (pdftotext), renders them with pdftoppm."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from inspector_app.app import open_app
from inspector_app.services import demo, issuing, visits

OUT = Path(__file__).resolve().parents[1] / "docs" / "reports"


def page_with(pdf: Path, needle: str, start: int = 1) -> int:
    pages = int(next(line.split()[-1] for line in subprocess.run(["pdfinfo", str(pdf)], capture_output=True,
                     text=True).stdout.splitlines() if line.startswith("Pages:")))
    for n in range(start, pages + 1):
        text = subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                              text=True).stdout
        if needle in text.replace(" ", ""):
            return n
    raise SystemExit(f"{pdf.name}: no page with {needle!r}")


def render(pdf: Path, page: int, name: str) -> None:
    target = OUT / name
    subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", "70", "-png", "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True)
    print(target)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_app(tmp)
        detail = demo.create_demo(ctx.db, ctx.store)
        latest = max(visits.list_visits(ctx.db, detail.id), key=lambda v: v.started_at)
        made = {}
        ponding = next(v for v in visits.list_visits(ctx.db, detail.id) if "N15" in v.nodes)
        for kind, visit_id in (("final", None), ("process", latest.id), ("notice", latest.id),
                               ("ponding", ponding.id)):
            real = "process" if kind == "ponding" else kind
            data = issuing.gather(ctx, real, detail.id, visit_id=visit_id)
            made[kind] = Path(issuing.build(real, data, Path(tmp) / f"{kind}.pdf").path)
        final = made["final"]
        render(final, 1, "final-cover.png")
        render(final, page_with(final, "风险统计", 3), "final-statistics.png")
        render(final, page_with(final, "整改前", 4), "final-finding.png")
        render(final, page_with(final, "不能通过竣工验收", 4), "final-gate.png")
        render(made["notice"], 1, "notice.png")
        render(made["process"], page_with(made["process"], "整改前", 3), "process-findings.png")
        render(made["ponding"], page_with(made["ponding"], "检查要点核查记录", 2), "process-checklist.png")
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
