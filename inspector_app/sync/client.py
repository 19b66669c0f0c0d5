"""Deliver the outbox to the platform (docs/sync-protocol.yaml), exactly once.

For each pending manifest, oldest first: ask which of its blobs the platform lacks, send each
missing one with the resumable upload (after a cut, the platform says where to go on), post
the manifest under its idempotency key, and check the receipt against the local hashes before
marking the item delivered. A lost answer is harmless: the same key and bytes are sent again
and the platform answers with the receipt it stored. One run at a time per data folder (a
lock file); TLS verification is always on.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx

from .. import messages
from ..context import AppContext
from ..errors import InspectorError
from ..messages import phrase
from ..photos.staging import try_lock
from ..services.issuing import pdf_path
from ..services.outbox import (
    Due,
    OutboxInfo,
    check_syncable,
    due_items,
    mark_delivered,
    mark_failed,
    mark_refused,
    outbox_items,
    project_uids,
    requeue_refused,
)
from ..services.projects import create_project
from . import team

__all__ = ["Due", "OutboxInfo", "SyncBusy", "SyncRefused", "SyncSummary", "outbox", "sync"]

CHUNK = 8 << 20
CHECK_BATCH = 1000
UPLOADS_AT_ONCE = 4
TRANSIENT = (httpx.TransportError, httpx.TimeoutException)
BUSY = (408, 425, 429)  # a timeout, too early, too many requests: temporary, as a 5xx is
BACKOFF = [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(hours=1)]


class SyncRefused(InspectorError):
    """The platform refused for a reason retrying will not fix (token, conflict)."""

    code = "sync_refused"


class SyncBusy(InspectorError):
    code = "sync_busy"


class DeviceRestored(InspectorError):
    """The platform holds other content under this device's audit entries: a restored folder."""

    code = "device_restored"


@dataclass
class SyncSummary:
    delivered: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    blobs_sent: int = 0
    blobs_present: int = 0
    bytes_sent: int = 0
    downloaded: list[str] = field(default_factory=list)  # projects the insurer assigned, set up here
    team_synced: list[str] = field(default_factory=list)  # projects whose changes went both ways
    local_only: list[str] = field(default_factory=list)  # projects the platform does not list (not sent)
    changes_sent: int = 0
    change_bytes_sent: int = 0
    changes_received: int = 0
    conflicts: list[str] = field(default_factory=list)  # new conflicts found (their ids)
    pending: int = 0  # the others' changes waiting for a row not here yet
    blobs_received: int = 0
    bytes_received: int = 0
    new_device: str | None = None  # a new device name taken (restored data folder)
    team_held: list[str] = field(default_factory=list)  # projects whose changes the platform refused: not sent


def refused_for_good(exc: SyncRefused) -> bool:
    """A 4xx other than the token's (401, 403): sending the same again will not change it. A busy
    platform's 408, 425 and 429 never get here (``Platform._check`` takes them as temporary, as a 5xx)."""
    status = exc.params.get("status")
    return isinstance(status, int) and 400 <= status < 500 and status not in (401, 403)


@contextmanager
def run_lock(folder: Path) -> Iterator[None]:
    """One sync per data folder; the lock dies with the process (a kill leaves nothing stale)."""
    path = folder / "sync.lock"
    fh = open(path, "a+")  # noqa: SIM115
    try:
        if not try_lock(fh):
            raise SyncBusy("sync.busy")
        yield
    finally:
        fh.close()


class Platform:
    def __init__(self, server: str, token: str, timeout: float = 60) -> None:
        self.http = httpx.Client(base_url=server.rstrip("/"), headers={"Authorization": f"Bearer {token}"},
                                 timeout=timeout, verify=True)

    def close(self) -> None:
        self.http.close()

    def _check(self, r: httpx.Response, *ok: int) -> dict[str, Any]:
        if r.status_code in ok:
            return dict(r.json()) if r.content else {}
        detail = r.json() if r.headers.get("content-type", "").startswith("application/json") else {"detail": r.text}
        if r.status_code == 401:
            raise SyncRefused("sync.token_refused", detail=str(detail.get("detail", "")), status=401)
        if r.status_code >= 500 or r.status_code in BUSY:
            raise httpx.TransportError(f"平台错误 {r.status_code}")
        raise SyncRefused("sync.refused", status=r.status_code, error=str(detail.get("error", "")),
                          detail=str(detail.get("detail", detail)), body=detail)

    def missing(self, hashes: list[str]) -> list[str]:
        """The hashes the platform lacks, asked in batches (the platform takes at most 10,000 at once)."""
        out: list[str] = []
        for i in range(0, len(hashes), CHECK_BATCH):
            batch = hashes[i:i + CHECK_BATCH]
            out += self._check(self.http.post("/v1/blobs/check", json={"sha256": batch}), 200)["missing"]
        return out

    def upload(self, path: Path, sha: str, size: int) -> int:
        """Send one blob from where the platform has it; returns the bytes sent."""
        state = self._check(self.http.post("/v1/uploads", json={"sha256": sha, "size": size}), 200, 201)
        upload_id, sent = state.get("id"), 0
        while state["status"] == "open":
            offset = int(state["offset"])
            with open(path, "rb") as fh:
                fh.seek(offset)
                body = fh.read(CHUNK)
            r = self.http.patch(f"/v1/uploads/{upload_id}", content=body,
                                headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})
            if r.status_code == 409:  # another writer moved it on: continue from the platform's offset
                state = {**r.json(), "id": upload_id}
                continue
            state = self._check(r, 200)
            sent += len(body)
        if state["status"] == "failed":
            raise SyncRefused("sync.upload_hash_mismatch", sha=sha[:12])
        return sent

    def projects(self) -> list[dict[str, Any]]:
        return list(self._check(self.http.get("/v1/projects"), 200)["projects"])

    def project(self, uid: str) -> dict[str, Any]:
        return self._check(self.http.get(f"/v1/projects/{uid}"), 200)

    def push_changes(self, uid: str, device: str, changes: list[dict[str, Any]]) -> tuple[dict[str, Any], int]:
        """Send a page of changes (v2); returns the answer and the bytes sent."""
        body = json.dumps({"device": device, "changes": changes}, ensure_ascii=False,
                          separators=(",", ":")).encode("utf-8")
        r = self.http.post(f"/v2/projects/{uid}/changes", content=body, headers={"Content-Type": "application/json"})
        if r.status_code == 409 and r.json().get("error") == "device_restored":
            raise DeviceRestored("sync.device_restored", device=device)
        return self._check(r, 200), len(body)

    def feed(self, uid: str, after: int, device: str) -> dict[str, Any]:
        return self._check(self.http.get(f"/v2/projects/{uid}/changes",
                                         params={"after": after, "exclude_device": device}), 200)

    def numbers(self, uid: str, device: str, kind: str, count: int, above: int) -> dict[str, Any]:
        return self._check(self.http.post(f"/v2/projects/{uid}/numbers", json={
            "device": device, "kind": kind, "count": count, "above": above}), 200)

    def download(self, sha: str, target: Path) -> int:
        """Stream one blob to ``target``; the caller checks its hash."""
        with self.http.stream("GET", f"/v1/blobs/{sha}") as r:
            if r.status_code != 200:
                r.read()
                self._check(r, 200)
            size = 0
            with open(target, "wb") as fh:
                for chunk in r.iter_bytes(1 << 20):
                    fh.write(chunk)
                    size += len(chunk)
                fh.flush()
                os.fsync(fh.fileno())
        return size

    def deliver(self, key: str, manifest: str) -> tuple[dict[str, Any], bool]:
        r = self.http.post("/v1/manifests", content=manifest.encode("utf-8"),
                           headers={"Idempotency-Key": key, "Content-Type": "application/json"})
        receipt = self._check(r, 200, 201)
        return receipt, r.status_code == 200


def check_receipt(item: Due, receipt: dict[str, Any]) -> dict[str, Any] | None:
    """What does not match between the receipt and the local hashes, as a ``phrase`` (None: all of it matches)."""
    manifest = json.loads(item.manifest)
    if receipt.get("idempotency_key") != item.idempotency_key:
        return phrase("sync.receipt.idempotency_key")
    if receipt.get("manifest_sha256") != item.manifest_sha256:
        return phrase("sync.receipt.manifest_hash", theirs=receipt.get("manifest_sha256"), ours=item.manifest_sha256)
    stored_photos = {p.get("sha256") for p in receipt.get("photos") or []}
    lacking = {p["sha256"] for p in manifest["photos"]} - stored_photos
    if lacking:
        return phrase("sync.receipt.photos_missing", count=len(lacking))
    blobs = {b.get("sha256"): b.get("size") for b in receipt.get("blobs") or []}
    for b in json.loads(item.blobs):
        if blobs.get(b["sha256"]) != b["size"]:
            return phrase("sync.receipt.blob", sha=b["sha256"][:12])
    if manifest.get("report"):
        if (receipt.get("report") or {}).get("pdf_sha256") != manifest["report"]["pdf_sha256"]:
            return phrase("sync.receipt.report_hash")
    if (receipt.get("audit_head") or {}).get("hash") != manifest["audit_head"]["hash"]:
        return phrase("sync.receipt.audit_head")
    return None


def _blob_path(ctx: AppContext, blob: dict[str, Any]) -> Path:
    if blob["kind"] == "report":
        return pdf_path(ctx, blob["sha256"])
    path = ctx.store.original_path(blob["sha256"])
    if path is None:
        raise SyncRefused("sync.photo_missing", sha256=blob["sha256"])
    return path


def sync(ctx: AppContext, server: str, token: str, *, project: str | int | None = None,
         progress: Callable[[int, int, str], None] | None = None, cancel: Callable[[], bool] | None = None,
         retries: int = 3, retry_refused: bool = False) -> SyncSummary:
    """Deliver what is due; returns what was sent, what was already there and what failed, with reasons.
    An item the platform refused for good (a 4xx other than the token's or a busy platform's) waits
    for a person: ``retry_refused`` (the sync tab's button, ``sync --retry-refused``) sends it again."""
    if not server.startswith(("https://", "http://127.0.0.1", "http://localhost", "http://[::1]")):
        raise InspectorError("sync.not_https")
    if project is not None:
        check_syncable(ctx.db, project)
    summary = SyncSummary()
    with run_lock(ctx.paths.data_dir):
        if retry_refused:
            requeue_refused(ctx.db, project)
        platform = Platform(server, token)
        try:
            listed: set[str] | None = None
            try:
                listed = pull_projects(ctx, platform, summary, download=project is None)
            except TRANSIENT as exc:
                summary.failed.append({"item": "下载分配的项目", "reason": f"网络或平台暂时不可用：{exc}"})
            if listed is not None:
                team.sync_projects(ctx, platform, server, summary, listed, project, cancel)
            items = due_items(ctx.db, project)
            for n, item in enumerate(items, 1):
                if cancel is not None and cancel():
                    break
                if progress is not None:
                    progress(n - 1, len(items), item.label)
                _one(ctx, platform, item, server, summary, retries)
        finally:
            platform.close()
    return summary


def pull_projects(ctx: AppContext, platform: Platform, summary: SyncSummary, download: bool = True) -> set[str]:
    """The projects the insurer assigned to the agency (their uids); with ``download``, set up on
    this laptop those not here yet (project, policy, agency, parties, buildings, plan: the
    project.toml fields). Their team's record then comes with the team sync."""
    have = project_uids(ctx.db)
    listed = platform.projects()
    for p in listed:
        if p["uid"] in have or not download:
            continue
        detail = platform.project(p["uid"])
        spec = {key: detail.get(key) for key in ("policy", "agency", "parties", "buildings") if detail.get(key)}
        spec["project"] = {**detail["project"], "uid": p["uid"]}
        if detail.get("plan"):
            spec["nodes"] = detail["plan"]
        try:
            made = create_project(ctx.db, spec)
        except InspectorError as exc:
            summary.failed.append({"item": f"下载项目 {p.get('code')}", "reason": exc.message})
            continue
        summary.downloaded.append(f"{made.code} {made.name}")
    return {p["uid"] for p in listed}


def _one(ctx: AppContext, platform: Platform, item: Due, server: str, summary: SyncSummary,
         retries: int) -> None:
    error = "未知错误"
    for attempt in range(retries):
        try:
            blobs = json.loads(item.blobs)
            missing = set(platform.missing([b["sha256"] for b in blobs]))
            summary.blobs_present += len(blobs) - len(missing)
            todo = [b for b in blobs if b["sha256"] in missing]
            # a few uploads at once: the platform hashes and fsyncs one while the next arrives
            with ThreadPoolExecutor(max_workers=UPLOADS_AT_ONCE) as pool:
                sent = list(pool.map(lambda b: platform.upload(_blob_path(ctx, b), b["sha256"], b["size"]), todo))
            summary.bytes_sent += sum(sent)
            summary.blobs_sent += len(sent)
            receipt, replayed = platform.deliver(item.idempotency_key, item.manifest)
            mismatch = check_receipt(item, receipt)
            if mismatch is not None:
                raise SyncRefused("sync.receipt_mismatch", detail=mismatch)
            mark_delivered(ctx.db, item, server, receipt)
            (summary.already_there if replayed else summary.delivered).append(item.label)
            return
        except TRANSIENT as exc:
            error = messages.text("sync.unavailable", {"detail": str(exc)})
            time.sleep(min(0.5 * 2**attempt, 4))
        except SyncRefused as exc:
            error = exc.message
            status = exc.params.get("status")
            if status in (401, 403):  # the token: no item can go until it is replaced
                mark_failed(ctx.db, item, error, BACKOFF)
                summary.failed.append({"item": item.label, "reason": error})
                raise
            if refused_for_good(exc):  # this item, refused for good: not retried
                error = messages.text("sync.refused_for_good", exc.params)
                mark_refused(ctx.db, item, error)
                summary.failed.append({"item": item.label, "reason": error})
                return
            break
    mark_failed(ctx.db, item, error, BACKOFF)
    summary.failed.append({"item": item.label, "reason": error})


def outbox(ctx: AppContext) -> list[OutboxInfo]:
    """Every outbox item, newest first; a refusal of a project's team changes is one of them (kind "team")."""
    return outbox_items(ctx.db)
