"""``verify``: the database file (SQLite's integrity_check, every record readable), its foreign
keys, the audit chain, every row against its last audit entry, every stored original against its
hash, and every kept report PDF (issued, and drafts under review) against its recorded SHA-256."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from ..errors import DatabaseDamaged
from ..messages import text as say
from ..models import IssuedReport, Photo, ReportDraft, auditing
from ..models.db import Database
from ..photos import PhotoStore


@dataclass(frozen=True)
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    checked_rows: int = 0
    checked_photos: int = 0
    audit_entries: int = 0
    checked_pdfs: int = 0
    damage: DatabaseDamaged | None = None  # the database file itself is damaged: restore it

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def damaged(self) -> bool:
        return self.damage is not None


def verify(db: Database, store: PhotoStore, reports: Path | None = None) -> IntegrityReport:
    """Everything that can be checked. A damaged database file stops the checks that read it (their
    answers would be SQLite's errors, not findings); the originals on disk are still checked.
    ``reports`` is the folder of kept PDFs (default: ``reports/`` of the data folder)."""
    damage = db.check_file()
    if damage:
        return _damaged(db, store, damage)
    try:
        with db.read() as s:
            problems = [f"外键错误：{r[0]} 第 {r[1]} 行引用了不存在的 {r[2]}"
                        for r in s.execute(text("PRAGMA foreign_key_check"))]
            problems += auditing.verify_chain(s)
            problems += auditing.verify_rows(s)
            entries = s.scalar(text("SELECT count(*) FROM audit_log")) or 0
            shas = set(s.execute(select(Photo.sha256)).scalars())
            rows = sum(s.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in ("finding", "photo", "visit", "project"))
            pdfs = [("issued_report", f"{r.number} 第{r.revision}版", r.pdf_sha256)
                    for r in s.execute(select(IssuedReport).order_by(IssuedReport.id)).scalars()]
            pdfs += [("report_draft", f"{r.number} 第{r.revision}版（第{r.attempt}次送审）", r.pdf_sha256)
                     for r in s.execute(select(ReportDraft).order_by(ReportDraft.id)).scalars()]
    except DatabaseDamaged as exc:
        return _damaged(db, store, [exc.detail])
    except (DBAPIError, ValueError, TypeError) as exc:  # a record SQLite accepts but the app cannot read
        return _damaged(db, store, [say("verify.unreadable", {"detail": f"{type(exc).__name__}: {exc}"})])
    stored = {sha for sha, _path in store.iter_stored()}
    problems += _check_originals(store, shas | stored)
    problems += _check_pdfs(reports or store.originals_root.parent / "reports", pdfs)
    return IntegrityReport(problems, rows, len(shas | stored), entries, len(pdfs))


def _damaged(db: Database, store: PhotoStore, damage: list[str]) -> IntegrityReport:
    problems = [say("verify.damaged", {"detail": d}) for d in damage]
    stored = {sha for sha, _path in store.iter_stored()}
    problems += _check_originals(store, stored)  # the originals on disk do not depend on the database
    return IntegrityReport(problems, checked_photos=len(stored), damage=db.damaged("; ".join(damage[:3])))


def _check_originals(store: PhotoStore, shas: set[str]) -> list[str]:
    problems = []
    for sha in sorted(shas):  # unreferenced originals (a killed import) must be sound too
        reason = store.verify_original(sha)
        if reason:
            problems.append(f"照片原件 {sha[:12]}…：{reason}")
    return problems


def _check_pdfs(folder: Path, pdfs: list[tuple[str, str, str]]) -> list[str]:
    """Each kept PDF read back and hashed (one read per file, however many rows name it)."""
    problems: list[str] = []
    digests: dict[str, str | None] = {}
    for what, number, sha in pdfs:
        path = folder / sha[:2] / f"{sha}.pdf"
        if sha not in digests:
            try:
                digests[sha] = _sha256(path)
            except FileNotFoundError:
                digests[sha] = None
        digest = digests[sha]
        params = {"what": what, "number": number, "path": str(path)}
        if digest is None:
            problems.append(say("verify.pdf_missing", params))
        elif digest != sha:
            problems.append(say("verify.pdf_altered", {**params, "digest": digest, "recorded": sha}))
    return problems


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()
