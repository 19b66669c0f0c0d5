"""``verify``: the database file, its foreign keys, the audit chain, every row against its
last audit entry, and every stored original against its hash."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select, text

from ..models import Photo, auditing
from ..models.db import Database
from ..photos import PhotoStore


@dataclass(frozen=True)
class IntegrityReport:
    problems: list[str] = field(default_factory=list)
    checked_rows: int = 0
    checked_photos: int = 0
    audit_entries: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(db: Database, store: PhotoStore) -> IntegrityReport:
    problems: list[str] = []
    with db.read() as s:
        for (msg,) in s.execute(text("PRAGMA integrity_check")):
            if msg != "ok":
                problems.append(f"数据库文件损坏：{msg}")
        for row in s.execute(text("PRAGMA foreign_key_check")):
            problems.append(f"外键错误：{row[0]} 第 {row[1]} 行引用了不存在的 {row[2]}")
        problems += auditing.verify_chain(s)
        problems += auditing.verify_rows(s)
        entries = s.scalar(text("SELECT count(*) FROM audit_log")) or 0
        shas = sorted(set(s.execute(select(Photo.sha256)).scalars()))
        rows = sum(s.scalar(text(f"SELECT count(*) FROM {t}")) or 0 for t in ("finding", "photo", "visit", "project"))
    stored = {sha for sha, _path in store.iter_stored()}
    for sha in sorted(set(shas) | stored):  # unreferenced originals (a killed import) must be sound too
        reason = store.verify_original(sha)
        if reason:
            problems.append(f"照片原件 {sha[:12]}…：{reason}")
    return IntegrityReport(problems, rows, len(stored | set(shas)), entries)
