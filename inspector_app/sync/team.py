"""Team sync with the platform (protocol v2): send this laptop's changes, receive the others'.

Per project the platform lists for the agency, in this order, each step safe to cut and repeat:
1. **send**: this laptop's changes since the last acknowledged audit entry, a page at a time;
   the files they cite first (presence asked in batches, missing ones uploaded resumably);
   the cursor moves only after the platform answered for the page;
2. **receive**: the others' changes after the feed cursor, a page at a time; the files they cite
   are downloaded and checked against their hashes before the page is merged; the cursor moves
   in the same transaction as the merge;
3. conflicts found while merging are sent on (every laptop lists them);
4. **numbers**: a new block of finding and visit numbers when fewer than 50 are left.
A restored data folder is told so by the platform and takes a new device name (no 409 jam).

When the platform refuses a page of a project's changes for good (a 4xx other than the token's;
a busy platform's 408, 425, 429 and any 5xx are temporary and tried again), the refusal is kept as
a ``team`` row of the outbox (what was refused, the platform's answer, when) and shown with the
v1 items; the project's changes are then not sent on later runs until a person asks again
(``retry_refused``: the sync tab's button, ``sync --retry-refused``). The others' changes are
still received meanwhile: the merge is made for a laptop whose changes have not gone up (one
that was offline), it keeps both values of a field changed on both sides as a conflict, and what
it writes is marked inbound, so the held changes go up unchanged once the platform takes them.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import messages
from ..errors import InspectorError
from ..photos.store import write_atomic
from ..services import outbox, team
from ..services.issuing import pdf_path

UPLOADS_AT_ONCE = 4

if TYPE_CHECKING:
    from ..context import AppContext
    from .client import Platform, SyncSummary


def _file_of(ctx: AppContext, sha: str, kind: str) -> Path | None:
    if kind == "report":
        path = pdf_path(ctx, sha)
        return path if path.exists() else None
    return ctx.store.original_path(sha)


def send_files(ctx: AppContext, platform: Platform, files: dict[str, str], summary: SyncSummary) -> None:
    from .client import SyncRefused

    if not files:
        return
    missing = set(platform.missing(sorted(files)))
    summary.blobs_present += len(files) - len(missing)
    paths = {}
    for sha in sorted(missing):
        path = _file_of(ctx, sha, files[sha])
        if path is None:
            raise SyncRefused("sync.photo_missing", sha256=sha)
        paths[sha] = path
    # a few uploads at once: the platform hashes and fsyncs one while the next arrives
    with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
        for sent in pool.map(lambda item: platform.upload(item[1], item[0], item[1].stat().st_size), paths.items()):
            summary.bytes_sent += sent
            summary.blobs_sent += 1


def fetch_files(ctx: AppContext, platform: Platform, files: dict[str, str], summary: SyncSummary) -> None:
    """Download the files the others' changes cite and that are not here, each checked by its hash
    before it is kept (a few at once)."""
    from .client import SyncRefused

    wanted = sorted((sha, kind) for sha, kind in files.items() if _file_of(ctx, sha, kind) is None)
    if not wanted:
        return
    ctx.store.cache_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=ctx.store.cache_root) as tmp:

        def one(item: tuple[str, str]) -> tuple[str, str, Path, int]:
            sha, kind = item
            target = Path(tmp) / f"{sha}.{'pdf' if kind == 'report' else 'bin'}"
            size = platform.download(sha, target)
            h = hashlib.sha256()
            with open(target, "rb") as fh:
                for chunk in iter(lambda: fh.read(1 << 20), b""):
                    h.update(chunk)
            if h.hexdigest() != sha:
                raise SyncRefused("sync.download_hash_mismatch", sha=sha[:12])
            return sha, kind, target, size

        with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
            for sha, kind, target, size in pool.map(one, wanted):
                if kind == "report":
                    write_atomic(pdf_path(ctx, sha), target.read_bytes())
                else:
                    ctx.store.ingest(target)
                target.unlink(missing_ok=True)
                summary.bytes_received += size
                summary.blobs_received += 1


def sync_projects(ctx: AppContext, platform: Platform, server: str, summary: SyncSummary, listed: set[str],
                  only: str | int | None = None, cancel: Callable[[], bool] | None = None) -> None:
    """Team-sync every project here that the platform lists for the agency (or the one asked for)."""
    from .client import TRANSIENT, SyncRefused

    with ctx.db.write() as s:
        team.device(s)
    for project_id, uid, code in team.projects(ctx.db):
        if only is not None and str(only) not in (str(project_id), code):
            continue
        if uid not in listed:
            summary.local_only.append(code)
            continue
        if cancel is not None and cancel():
            return
        try:
            if sync_project(ctx, platform, server, summary, project_id, uid, code):
                summary.team_synced.append(code)
        except TRANSIENT as exc:
            summary.failed.append({"item": f"团队同步 {code}", "reason": f"网络或平台暂时不可用：{exc}"})
        except SyncRefused as exc:
            summary.failed.append({"item": f"团队同步 {code}", "reason": exc.message})
            if exc.params.get("status") in (401, 403):
                raise
        except InspectorError as exc:
            summary.failed.append({"item": f"团队同步 {code}", "reason": exc.message})
    team.remember(ctx.db, ctx.paths.data_dir)


def _name(ctx: AppContext) -> str:
    with ctx.db.write() as s:
        return team.device_name(team.device(s))


def sync_project(ctx: AppContext, platform: Platform, server: str, summary: SyncSummary, project_id: int,
                 uid: str, code: str = "") -> bool:
    """Send, receive, take numbers; returns whether this laptop's changes all went up (False: the
    platform refused them for good, now or on an earlier run, and they wait for a person)."""
    name = _name(ctx)
    held = outbox.team_refusal(ctx.db, project_id) is not None
    if held:
        summary.team_held.append(code)
    for _round in range(3):  # send, receive; send again what the merge found (conflicts)
        if not held:
            name, sent = _send(ctx, platform, server, summary, project_id, uid, code, name)
            held = not sent
        found = _receive(ctx, platform, server, summary, project_id, uid, name)
        if not found:
            break
    _numbers(ctx, platform, project_id, uid, name)
    return not held


def _send(ctx: AppContext, platform: Platform, server: str, summary: SyncSummary, project_id: int, uid: str,
          code: str, name: str) -> tuple[str, bool]:
    """This laptop's changes, a page at a time; returns the device name and whether they all went up.
    A page the platform refuses for good is kept as refused (``outbox.mark_team_refused``)."""
    from .client import DeviceRestored, SyncRefused, refused_for_good

    while True:
        out = team.collect_changes(ctx.db, project_id)
        if not out.changes:
            team.mark_pushed(ctx.db, project_id, out.last_seq, name, server)
            outbox.mark_team_delivered(ctx.db, project_id, server)
            return name, True
        try:
            send_files(ctx, platform, team.blobs_of(out.changes), summary)
            answer, sent = platform.push_changes(uid, name, out.changes)
        except DeviceRestored:
            name = team.new_epoch(ctx.db, "平台发现本机审计记录与已上传的不同：从备份恢复或复制")
            summary.new_device = name
            continue
        except SyncRefused as exc:
            if not refused_for_good(exc):
                raise
            error = messages.text("sync.team_refused_for_good", exc.params)
            outbox.mark_team_refused(ctx.db, project_id, {
                "device": name, "first_seq": int(out.changes[0]["seq"]), "last_seq": out.last_seq,
                "changes": [c["id"] for c in out.changes], "status": exc.params.get("status"),
                "error": str(exc.params.get("error", "")), "detail": str(exc.params.get("detail", ""))[:2000]}, error)
            summary.failed.append({"item": f"团队同步 {code}", "reason": error})
            return name, False
        summary.changes_sent += int(answer.get("stored", 0))
        summary.change_bytes_sent += sent
        team.mark_pushed(ctx.db, project_id, out.last_seq, name, server)


def _receive(ctx: AppContext, platform: Platform, server: str, summary: SyncSummary, project_id: int, uid: str,
             name: str) -> int:
    """Merge the others' changes page by page; returns the number of new conflicts."""
    _, cursor = team.cursor_of(ctx.db, project_id)
    found = 0
    while True:
        page: dict[str, Any] = platform.feed(uid, cursor, name)
        changes = [item["change"] for item in page.get("changes", [])]
        fetch_files(ctx, platform, team.blobs_of(changes), summary)
        result = team.apply_changes(ctx.db, project_id, changes, cursor=int(page["next"]), server=server)
        summary.changes_received += len(changes)
        summary.conflicts += result.conflicts
        summary.pending += result.pending
        found += len(result.conflicts)
        cursor = int(page["next"])
        if not page.get("more"):
            return found


def _numbers(ctx: AppContext, platform: Platform, project_id: int, uid: str, name: str) -> None:
    used = team.used_numbers(ctx.db, project_id)
    for kind in ("finding", "visit", *team.REPORT_KINDS):
        size = team.REPORT_BLOCK if kind in team.REPORT_KINDS else team.BLOCK
        low = 2 if kind in team.REPORT_KINDS else team.LOW_WATER
        left = team.numbers_left(ctx.db, project_id, kind)
        if left[False] < low:
            block = platform.numbers(uid, name, kind, size, used[kind])
            team.add_block(ctx.db, project_id, kind, int(block["start"]), int(block["end"]), name)
        if left[True] == 0:
            block = platform.numbers(uid, name, kind, size, used[kind])
            team.add_block(ctx.db, project_id, kind, int(block["start"]), int(block["end"]), name, spare=True)
