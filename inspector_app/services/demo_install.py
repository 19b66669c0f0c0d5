"""The demo taken in whole: built in a folder of its own, then taken into the data folder at once.

Building the demo takes tens of seconds on a site laptop, and the window may be closed (or the
process killed) half-way. So it is built in ``demo-build/`` beside the database (a data folder of
its own: database, photo originals, report PDFs), and only a finished build is taken in. Into a
database nothing was ever written to, its originals are moved over and its database copied in
with SQLite's backup API, so the demo keeps the audit trail it was made with; into one that holds
work already (a project made while the demo was building), as a bundle, imported in one
transaction. Either way the demo appears whole or not at all. A build cut short leaves
``demo-build/`` behind (``first_screen.demo_pending``): the next start builds it again."""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select, text

from ..errors import Cancelled
from ..models import Project
from ..models.db import Database
from ..photos import PhotoStore
from ..values import dto
from . import bundle, demo, projects
from .first_screen import DEMO_STAGING

DATABASE = "inspector.sqlite3"


def staging_folder(data_dir: Path) -> Path:
    return data_dir / DEMO_STAGING


def install_demo(db: Database, store: PhotoStore, data_dir: Path,
                 progress: demo.Progress | None = None, cancel: Callable[[], bool] | None = None) -> dto.ProjectDetail:
    """The demo in ``db`` (made when it is not there yet); returns it.

    ``progress(done, total, stage)`` counts the demo's steps (``demo.create_demo``) and a last one,
    stage "install", for taking it in. ``cancel()`` true stops it with ``Cancelled`` and leaves
    ``db`` as it was, with an empty ``demo-build/`` behind (so the next start builds it again)."""
    staging = staging_folder(data_dir)
    existing = _demo_id(db)
    if existing is not None:  # taken in already (a start cut short just after): only the folder is left
        shutil.rmtree(staging, ignore_errors=True)
        return projects.get_project(db, existing)
    total = demo.demo_steps(demo.load_demo()) + 1
    _empty(staging)  # what a build cut short left is never reused: it starts again
    try:
        if cancel is not None and cancel():  # closed before it began
            raise Cancelled()
        built = Database(staging / DATABASE, staging / "backups")
        try:
            demo.create_demo(built, _store(staging), None if progress is None else
                             lambda done, _total, stage: progress(done, total, stage), cancel)
        finally:
            built.close()
        if cancel is not None and cancel():
            raise Cancelled()
        project_id = take_in(db, store, staging)
    except BaseException:
        _empty(staging)
        raise
    shutil.rmtree(staging, ignore_errors=True)
    if progress is not None:
        progress(total, total, "install")
    return projects.get_project(db, project_id)


def take_in(db: Database, store: PhotoStore, staging: Path) -> int:
    """Take the finished demo build in ``staging`` into ``db`` and ``store``; its project id there."""
    if _untouched(db):
        _move_tree(staging / "photos", store.originals_root)  # first: a cut here leaves only unused originals
        _move_tree(staging / "reports", store.originals_root.parent / "reports")
        _copy_database(staging / DATABASE, db.path)
    else:
        zipped = staging / "demo-bundle.zip"
        built = Database(staging / DATABASE, staging / "backups")
        try:
            bundle.export_project(built, _store(staging), demo.load_demo()["spec"]["project"]["code"], zipped)
        finally:
            built.close()
        previous, db.actor = db.actor, demo.load_demo()["spec"]["agency"]["inspectors"][0]["name"]
        try:
            bundle.import_bundle(db, store, zipped)
        finally:
            db.actor = previous
    project_id = _demo_id(db)
    assert project_id is not None, "the demo build was taken in"
    return project_id


def _store(staging: Path) -> PhotoStore:
    return PhotoStore(staging / "photos", staging / "cache")


def _empty(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


def _demo_id(db: Database) -> int | None:
    code = demo.load_demo()["spec"]["project"]["code"]
    with db.read() as s:
        found = s.execute(select(Project.id).where(Project.code == code)).scalar()
    return None if found is None else int(found)


def _untouched(db: Database) -> bool:
    """Nothing was ever recorded in ``db`` (no audit entry) and it never met the platform."""
    with db.read() as s:
        return not s.scalar(text("SELECT EXISTS (SELECT 1 FROM audit_log) OR EXISTS (SELECT 1 FROM sync_device)"))


def _move_tree(source: Path, target: Path) -> None:
    """Move every file under ``source`` to the same place under ``target`` (content-addressed: a
    file already there is the same file), then make the renames durable."""
    if not source.is_dir():
        return
    folders: set[Path] = set()
    for path in sorted(source.rglob("*")):
        if not path.is_file() or path.name.startswith("."):
            continue
        to = target / path.relative_to(source)
        if to.exists():
            continue
        to.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, to)
        folders.add(to.parent)
    if os.name != "nt":  # directories cannot be opened for fsync on Windows; NTFS journals the rename
        for folder in folders:
            fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _copy_database(source: Path, target: Path) -> None:
    """The whole of ``source`` into ``target`` in one step (SQLite's backup API, never a file copy)."""
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(target, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
