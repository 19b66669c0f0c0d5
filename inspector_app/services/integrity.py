"""``verify``: the database file (SQLite's integrity_check, every record readable), its foreign
keys, the audit chain, every row against its last audit entry, every stored original against its
hash, and every kept report PDF (issued, and drafts under review) against its recorded SHA-256.
Each original whose hash is right is then decoded in full, by the import's own check, on several
cores: one that cannot be (imported before the import decoded every byte) is named with the photos
using it and the command that removes each."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from ..errors import DatabaseDamaged, PhotoRejected
from ..messages import phrase
from ..messages import text as say
from ..models import (
    Finding,
    FloorPlan,
    IssuedReport,
    Photo,
    Project,
    RectificationReply,
    ReportDraft,
    Verification,
    Visit,
    auditing,
)
from ..models.db import Database
from ..photos import PhotoStore
from ..photos.batch import undecodable
from ..photos.store import sha256_file


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


def verify(db: Database, store: PhotoStore, reports: Path | None = None, *, workers: int | None = None) -> IntegrityReport:
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
    wrong = _hash_originals(store, shas | stored)
    problems += _originals_problems(wrong)
    sound = [(sha, path) for sha in sorted(shas | stored)
             if sha not in wrong and (path := store.original_path(sha)) is not None]
    problems += _check_decodes(db, undecodable(sound, workers=workers))
    problems += _check_pdfs(reports or store.originals_root.parent / "reports", pdfs)
    return IntegrityReport(problems, rows, len(shas | stored), entries, len(pdfs))


def _damaged(db: Database, store: PhotoStore, damage: list[str]) -> IntegrityReport:
    problems = [say("verify.damaged", {"detail": d}) for d in damage]
    stored = {sha for sha, _path in store.iter_stored()}
    problems += _check_originals(store, stored)  # the originals on disk do not depend on the database
    return IntegrityReport(problems, checked_photos=len(stored), damage=db.damaged("; ".join(damage[:3])))


def _hash_originals(store: PhotoStore, shas: set[str]) -> dict[str, str]:
    """The originals missing, unreadable or not matching their hash, with the reason."""
    wrong = {}
    for sha in sorted(shas):  # unreferenced originals (a killed import) must be sound too
        reason = store.verify_original(sha)
        if reason:
            wrong[sha] = reason
    return wrong


def _originals_problems(wrong: dict[str, str]) -> list[str]:
    return [f"照片原件 {sha[:12]}…：{reason}" for sha, reason in wrong.items()]


def _check_originals(store: PhotoStore, shas: set[str]) -> list[str]:
    return _originals_problems(_hash_originals(store, shas))


def _check_decodes(db: Database, bad: list[tuple[str, PhotoRejected]]) -> list[str]:
    """Each original that does not decode, with the photos (and floor plans) using it and the commands
    that remove those photos."""
    if not bad:
        return []
    problems = []
    with db.read() as s:
        for sha, why in bad:
            users: list[dict[str, object]] = []
            photo_ids = []
            for p, code in s.execute(select(Photo, Project.code).join(Project, Project.id == Photo.project_id)
                                     .where(Photo.sha256 == sha).order_by(Photo.id)).all():
                photo_ids.append(p.id)
                users.append(_photo_user(s, p, code))
            for plan, code in s.execute(select(FloorPlan, Project.code).join(Project, Project.id == FloorPlan.project_id)
                                        .where(FloorPlan.sha256 == sha).order_by(FloorPlan.id)).all():
                users.append(phrase("verify.floor_plan", id=plan.id, project=code, floor=plan.floor))
            reason = say(why.key, why.params)
            if users:
                problems.append(say("verify.undecodable", {"sha": sha[:12], "reason": reason, "photos": users,
                                                           "commands": [f"photos remove {i}" for i in photo_ids]}))
            else:
                problems.append(say("verify.undecodable_unused", {"sha": sha[:12], "reason": reason,
                                                                  "path": str(why.path)}))
    return problems


def _photo_user(s: Session, p: Photo, project: str) -> dict[str, object]:
    """A photo as a person finds it: its id, the finding (or visit) it belongs to, its file name."""
    finding_id = p.finding_id
    if finding_id is None and p.reply_id is not None:
        finding_id = s.scalar(select(RectificationReply.finding_id).where(RectificationReply.id == p.reply_id))
    if finding_id is None and p.verification_id is not None:
        finding_id = s.scalar(select(Verification.finding_id).where(Verification.id == p.verification_id))
    if finding_id is not None:
        number = s.scalar(select(Finding.number).where(Finding.id == finding_id))
        return phrase("verify.photo_of_finding", id=p.id, project=project, number=number, name=p.original_name)
    if p.visit_id is not None:
        number = s.scalar(select(Visit.number).where(Visit.id == p.visit_id))
        return phrase("verify.photo_of_visit", id=p.id, project=project, number=number, name=p.original_name)
    return phrase("verify.photo_of_project", id=p.id, project=project, name=p.original_name)


def _check_pdfs(folder: Path, pdfs: list[tuple[str, str, str]]) -> list[str]:
    """Each kept PDF read back and hashed (one read per file, however many rows name it)."""
    problems: list[str] = []
    digests: dict[str, str | None] = {}
    for what, number, sha in pdfs:
        path = folder / sha[:2] / f"{sha}.pdf"
        if sha not in digests:
            try:
                digests[sha] = sha256_file(path)
            except FileNotFoundError:
                digests[sha] = None
        digest = digests[sha]
        params = {"what": what, "number": number, "path": str(path)}
        if digest is None:
            problems.append(say("verify.pdf_missing", params))
        elif digest != sha:
            problems.append(say("verify.pdf_altered", {**params, "digest": digest, "recorded": sha}))
    return problems
