"""PNG pages of the demo project's reports for docs/reports/ (run: .venv/bin/python scripts/report_pages.py).

Builds the demo's final report, latest process report and rectification notice in a temporary
data folder, and a process report taken through the review chain (submitted as a draft by 李敏,
reviewed by 张磊, approved by 陈静, issued); finds the pages to show by their text (pdftotext) and
renders them with pdftoppm."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from inspector_app.app import open_app
from inspector_app.services import demo, issuing, review, visits

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
        ctx = open_app(tmp, actor="李敏")  # an inspector of the demo agency prepares
        detail = demo.create_demo(ctx.db, ctx.store)
        latest = max(visits.list_visits(ctx.db, detail.id), key=lambda v: v.started_at)
        made = {}
        ponding = next(v for v in visits.list_visits(ctx.db, detail.id) if "N15" in v.nodes)
        for kind, visit_id in (("final", None), ("process", latest.id), ("notice", latest.id),
                               ("ponding", ponding.id)):
            real = "process" if kind == "ponding" else kind
            data = issuing.gather(ctx, real, detail.id, visit_id=visit_id)
            made[kind] = Path(issuing.build(real, data, Path(tmp) / f"{kind}.pdf").path)
        documents = next(v for v in visits.list_visits(ctx.db, detail.id) if v.number == 3)  # 资料核查 on it
        draft = review.submit_report(ctx, "process", detail.id, visit_id=documents.id)
        made["draft"] = review.draft_pdf(ctx, draft.id)
        review.approve_report(ctx, draft.number, by="张磊", comment="照片与记录齐全，同意")
        review.approve_report(ctx, draft.number, by="陈静")
        made["issued"] = issuing.issued_pdf(ctx, review.issue_draft(ctx, draft.number).id)
        final = made["final"]
        render(final, 1, "final-cover.png")
        render(final, page_with(final, "风险统计", 3), "final-statistics.png")
        render(final, page_with(final, "整改前", 4), "final-finding.png")
        render(final, page_with(final, "风险管理机构的结论", 4), "final-gate.png")
        render(made["draft"], 1, "process-draft-cover.png")
        render(made["issued"], page_with(made["issued"], "声明与签发", 3), "process-signoff.png")
        render(made["issued"], page_with(made["issued"], "资料核查", 3), "process-documents.png")
        render(made["notice"], 1, "notice.png")
        render(made["process"], page_with(made["process"], "整改前", 3), "process-findings.png")
        render(made["ponding"], page_with(made["ponding"], "检查要点核查记录", 2), "process-checklist.png")
        ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
