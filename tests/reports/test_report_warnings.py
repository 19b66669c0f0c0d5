"""The reports state the rule-set basis (依据《…》（有效期至…）) with the validity warning when the
policy lies outside it (Art. 28), list the project's warnings, and the plan's contents."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

from inspector_app.reports import final, process
from inspector_app.services import inspection_plan, projects, visits
from inspector_app.services import report_data as rdata
from inspector_app.values.report import ReportData

BASIS = "依据《北京市住宅工程质量潜在缺陷保险暂行管理办法》（有效期至2024-04-30）"


def flat_text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def _project(ctx, spec, **policy):
    spec["policy"].update(policy)
    detail = projects.create_project(ctx.db, spec)
    visits.start_visit(ctx.db, detail.id, datetime(2025, 4, 2, 9), node_codes=["N01"], inspectors=["赵工"])
    return detail


def test_a_policy_outside_the_validity_is_stated_with_a_warning(ctx, spec, tmp_path):
    detail = _project(ctx, spec, permit_date="2025-03-01")
    inspection_plan.waive_node(ctx.db, next(n.id for n in detail.nodes if n.code == "N17"), "未投保设备附加险", "钱工")
    data = rdata.gather(ctx, "process", detail.code, visit_id=1, as_of=date.today())  # the waiver is dated today
    assert data.basis == BASIS
    assert data.basis_warning == BASIS + "：保单签发日 2025-03-15 在有效期外"
    assert data.warnings[0] == data.basis_warning and "晚于施工许可证核发日 2025-03-01" in data.warnings[1]
    assert ReportData.from_json(data.to_json()).warnings == data.warnings  # the snapshot keeps them
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext")
    process.build_process(data, tmp_path / "p.pdf")
    text = flat_text(tmp_path / "p.pdf")
    assert text.count(BASIS + "：保单签发日2025-03-15在有效期外") == 2  # the warnings list and the basis
    for part in ("需要说明的事项", "施工许可证核发日期", "风险评估实施方案经建设单位确认：2025-03-20（孙经理）",
                 "重点工序：CFG桩复合地基施工", "由检查人员钱工", "免检，原因：未投保设备附加险"):
        assert part in text, part


def test_a_policy_within_the_validity_states_the_basis_only(ctx, spec, tmp_path):
    detail = _project(ctx, spec, issued_on="2024-03-15", permit_date="2024-03-28")
    data = rdata.gather(ctx, "final", detail.code)
    assert data.basis == BASIS and data.basis_warning == "" and data.warnings == []
    if shutil.which("pdftotext") is None:
        pytest.skip("needs pdftotext")
    final.build_final(data, tmp_path / "f.pdf")
    text = flat_text(tmp_path / "f.pdf")
    assert BASIS + "。" in text and "在有效期外" not in text and "需要说明的事项" not in text
