"""The defect register (质量缺陷登记表) as a spreadsheet: XLSX (styled header, frozen, filtered)
or CSV in UTF-8 with a BOM (so Excel on a Chinese Windows opens it without mojibake).

Each finding's row names its photos by id; the XLSX has a sheet listing every photo with its
finding, role, time taken and SHA-256. Any text goes in: characters a worksheet cannot hold
(control characters) are left out, and a text past Excel's 32,767 characters per cell is cut
with a note saying so."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ..errors import Cancelled, ValidationError
from ..values.report import FindingEntry, ReportData
from .output import ReportFile, describe

COLUMNS: list[tuple[str, float]] = [
    ("编号", 8), ("巡查", 6), ("发现日期", 11), ("单体", 8), ("楼层", 7), ("部位", 18), ("分部工程", 14),
    ("子分部工程", 12), ("承保类别", 10), ("问题描述", 48), ("风险分析", 30), ("依据条款", 24), ("整改要求", 36),
    ("整改期限", 11), ("责任单位", 22), ("发现等级", 8), ("现等级", 8), ("严重缺陷", 8), ("状态", 12), ("逾期", 6),
    ("关闭日期", 11), ("最近整改回复", 36), ("最近复查", 30), ("照片（整改前/整改后）", 12), ("照片编号", 24),
]
CELL_LIMIT = 32767  # characters Excel keeps in a cell
CUT_NOTE = "…（超出单元格长度，余下从略）"


def cell_text(value: object) -> object:
    """A value a worksheet cell holds as given: no control characters, at most CELL_LIMIT characters."""
    if not isinstance(value, str):
        return value
    text = ILLEGAL_CHARACTERS_RE.sub("", value)
    return text if len(text) <= CELL_LIMIT else text[:CELL_LIMIT - len(CUT_NOTE)] + CUT_NOTE


def row(e: FindingEntry, data: ReportData) -> list[object]:
    f, lab = e.finding, data.labels
    reply = e.replies[-1] if e.replies else None
    check = e.verifications[-1] if e.verifications else None
    before = sum(p.role == "before" for p in e.photos)
    after = sum(p.role == "after" for p in e.photos)
    return [
        f.label, f.visit_number, f.found_on, f.building, f.floor or "", f.location or "",
        f"{f.division_code} {lab.divisions.get(f.division_code, '')}",
        lab.subdivisions.get(f.subdivision_code or "", f.subdivision_code or ""),
        f.coverage_code, f.description, f.risk or "", f.clause or "", f.requirement or "", f.deadline,
        f.responsible_party or "", f.grade_found, f.grade_now, "是" if f.is_serious else "", lab.status(f.status),
        "是" if f.overdue else "", f.closed_on, f"{reply.replied_on} {reply.text}" if reply else "",
        (f"{check.verified_on} {check.inspector or ''} {'通过' if check.result == 'accepted' else '未通过'}"
         if check else ""), f"{before}/{after}", " ".join(str(p.id) for p in e.photos),
    ]


def build_register(data: ReportData, out_path: str | os.PathLike[str], *,
                   progress: Callable[[int, int], None] | None = None,
                   cancel: Callable[[], bool] | None = None) -> ReportFile:
    """Every finding of the snapshot, one row each; ``.xlsx`` or ``.csv`` by the file name."""
    path = Path(out_path)
    entries = data.all_entries()
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ValidationError("report.output", "register.bad_suffix", name=path.name)
    rows = []
    for i, e in enumerate(entries, 1):
        if cancel is not None and cancel():
            raise Cancelled()
        rows.append(row(e, data))
        if progress is not None and i % 200 == 0:
            progress(i, len(entries))
    if suffix == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow([c for c, _ in COLUMNS])
            writer.writerows([["" if v is None else str(v) for v in r] for r in rows])
    else:
        _xlsx(data, rows, path)
    if progress is not None:
        progress(len(entries), len(entries))
    return describe(path, None)


def _xlsx(data: ReportData, rows: list[list[object]], path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "质量缺陷登记表"
    ws.append([c for c, _ in COLUMNS])
    head_fill = PatternFill("solid", fgColor="1F4E79")
    thin = Side(style="thin", color="9E9E9E")
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = head_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    serious_font = Font(color="C62828", bold=True)
    for r in rows:
        ws.append([cell_text(v) for v in r])
    wrap = Alignment(vertical="top", wrap_text=True)
    for r_idx in range(2, len(rows) + 2):
        for c_idx in (6, 10, 11, 13, 22, 23, 25):
            ws.cell(r_idx, c_idx).alignment = wrap
        if rows[r_idx - 2][17] == "是":
            ws.cell(r_idx, 18).font = serious_font
        for c_idx in (3, 14, 21):
            ws.cell(r_idx, c_idx).number_format = "yyyy-mm-dd"
    for i, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[1].height = 30
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(rows) + 1}"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    wb.properties.title = f"{data.project.name} 质量缺陷登记表"
    wb.properties.subject = data.report_no
    wb.properties.creator = "IDI Inspector"
    _checklist_sheet(wb, data)
    _photo_sheet(wb, data)
    wb.save(path)


def _sheet(wb: Workbook, title: str, columns: list[tuple[str, float]]) -> Any:
    """A further sheet with the register's header row (white on dark blue, centred, wrapped)."""
    ws = wb.create_sheet(title)
    ws.append([c for c, _ in columns])
    for cell in ws[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return ws


def _finish(ws: Any, columns: list[tuple[str, float]], freeze: str) -> None:
    """Column widths, frozen header (and columns before ``freeze``) and a filter over every row."""
    for i, (_, width) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{ws.max_row}"


PHOTO_COLUMNS: list[tuple[str, float]] = [("照片编号", 10), ("问题编号", 9), ("类别", 10), ("拍摄时间", 17),
                                          ("SHA-256", 70)]


def _photo_sheet(wb: Workbook, data: ReportData) -> None:
    """照片清单: every photo of the register's findings, with its id, role, time taken and SHA-256."""
    ws = _sheet(wb, "照片清单", PHOTO_COLUMNS)
    for e in data.all_entries():
        for p in e.photos:
            taken = p.taken_at.replace(tzinfo=None) if p.taken_at is not None else None  # Excel has no zones
            ws.append([p.id, e.finding.label, cell_text(data.labels.photo_role(p.role)), taken, p.sha256])
            ws.cell(ws.max_row, 4).number_format = "yyyy-mm-dd hh:mm"
    _finish(ws, PHOTO_COLUMNS, "A2")


CHECKLIST_COLUMNS: list[tuple[str, float]] = [
    ("巡查", 6), ("巡查日期", 11), ("节点", 6), ("节点名称", 22), ("编号", 9), ("检查要点", 50), ("分部工程", 14),
    ("承保类别", 10), ("依据条款", 22), ("结论", 8), ("实测值", 12), ("要求", 12), ("备注", 30), ("问题", 8),
    ("记录人", 10), ("记录时间（UTC）", 17),
]


def _checklist_sheet(wb: Workbook, data: ReportData) -> None:
    """检查要点核查记录: every check item marked in a visit (符合, 不符合 or 不适用), one row each."""
    ws = _sheet(wb, "检查要点核查记录", CHECKLIST_COLUMNS)
    days = {v.id: v.started_at.date() for v in data.all_visits}
    lab = data.labels
    fail = Font(color="C62828", bold=True)
    wrap = Alignment(vertical="top", wrap_text=True)
    for r in (r for r in data.checklists if r.result):
        division = f"{r.division} {lab.divisions.get(r.division, '')}".strip()
        ws.append([cell_text(v) for v in (
            r.visit_number, days.get(r.visit_id), r.node_code, r.node_name, r.item_id, r.text, division,
            r.coverage, r.clause or "", r.result_name, r.value_text(), r.bounds(), r.note or "",
            r.finding_label or "", r.recorded_by or "", r.recorded_at)])
        at = ws.max_row
        for c_idx in (6, 13):
            ws.cell(at, c_idx).alignment = wrap
        if r.result == "fail":
            ws.cell(at, 10).font = fail
        ws.cell(at, 2).number_format = "yyyy-mm-dd"
        ws.cell(at, 16).number_format = "yyyy-mm-dd hh:mm"
    _finish(ws, CHECKLIST_COLUMNS, "F2")
    ws.row_dimensions[1].height = 30
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
