"""A minimal client of the protocol for the tests (the app's own client lives in
inspector_app.sync): presence check, resumable upload, manifest, and a raw-socket PATCH
that is cut after part of its body."""

from __future__ import annotations

import hashlib
import socket
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ProtocolClient:
    def __init__(self, base_url: str, token: str) -> None:
        self.token = token
        self.http = httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
        self.bytes_sent = 0

    def close(self) -> None:
        self.http.close()

    def missing(self, hashes: list[str]) -> list[str]:
        answer = self.http.post("/v1/blobs/check", json={"sha256": hashes})
        answer.raise_for_status()
        missing: list[str] = answer.json()["missing"]
        return missing

    def start(self, data: bytes) -> dict[str, Any]:
        answer = self.http.post("/v1/uploads", json={"sha256": sha256(data), "size": len(data)})
        assert answer.status_code in (200, 201), answer.text
        state: dict[str, Any] = answer.json()
        return state

    def send_from(self, upload_id: str, data: bytes, offset: int, chunk: int) -> httpx.Response:
        body = data[offset:offset + chunk]
        self.bytes_sent += len(body)
        return self.http.patch(f"/v1/uploads/{upload_id}", content=body,
                               headers={"Upload-Offset": str(offset), "Content-Type": "application/offset+octet-stream"})

    def offset(self, upload_id: str) -> int:
        answer = self.http.get(f"/v1/uploads/{upload_id}")
        answer.raise_for_status()
        return int(answer.json()["offset"])

    def upload(self, data: bytes, chunk: int = 1 << 30) -> dict[str, Any]:
        """Send the blob (resuming where the server is) and complete it."""
        state = self.start(data)
        if state["status"] == "present":
            return state
        upload_id, offset = state["id"], state["offset"]
        while offset < len(data):
            answer = self.send_from(upload_id, data, offset, chunk)
            if answer.status_code == 409:
                offset = answer.json()["offset"]
                if answer.json()["status"] != "open":
                    break
                continue
            assert answer.status_code == 200, answer.text
            offset = answer.json()["offset"]
        done = self.http.post(f"/v1/uploads/{upload_id}/complete")
        assert done.status_code == 200, done.text
        result: dict[str, Any] = done.json()
        return result

    def deliver(self, manifest: dict[str, Any], key: str) -> httpx.Response:
        return self.http.post("/v1/manifests", json=manifest, headers={"Idempotency-Key": key})


def cut_patch(port: int, token: str, upload_id: str, data: bytes, offset: int, cut_at: int) -> None:
    """Announce the whole rest of the blob, send bytes up to ``cut_at``, then drop the connection."""
    head = (f"PATCH /v1/uploads/{upload_id} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
            f"Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Content-Length: {len(data) - offset}\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(head + data[offset:cut_at])
        time.sleep(0.3)  # let the server read what was sent before the line goes dead


def wait_for_offset(client: ProtocolClient, upload_id: str, expected: int, timeout: float = 10) -> int:
    """The server commits a cut segment when it notices the disconnect: wait for that."""
    deadline = time.monotonic() + timeout
    offset = client.offset(upload_id)
    while offset != expected and time.monotonic() < deadline:
        time.sleep(0.05)
        offset = client.offset(upload_id)
    return offset


def make_manifest(project: dict[str, str], *, pdf: bytes | None = None, photos: tuple[bytes, ...] = (),
                  seq: int = 42, report_number: str = "BJ-1-ZZ-001", revision: int = 1,
                  findings: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "format": "idi-sync-manifest", "version": 1,
        "project": {"uid": project["uid"], "code": project["code"]},
        "created_at": datetime(2025, 6, 1, 10, 0, tzinfo=UTC).isoformat(),
        "sender": "赵工",
        "findings": findings if findings is not None else [serious_finding(1, [p for p in photos[:1]])],
        "photos": [{"sha256": sha256(p), "byte_size": len(p), "role": "before", "finding_number": 1,
                    "taken_at": "2025-05-20T09:12:00"} for p in photos],
        "audit_head": {"device_id": "laptop-1", "seq": seq, "hash": sha256(f"audit {seq}".encode())},
    }
    if pdf is not None:
        manifest["report"] = {"kind": "final", "number": report_number, "revision": revision,
                              "title": "工程质量风险最终评估报告", "pdf_sha256": sha256(pdf), "pdf_bytes": len(pdf),
                              "pages": 3, "issued_at": "2025-06-01T09:00:00+08:00", "issued_by": "赵工",
                              "gate_passed": False}
    return manifest


def serious_finding(number: int, photos: list[bytes], status: str = "open") -> dict[str, Any]:
    return {"number": number, "building": "1#楼", "floor": "B3", "description": "底板防水卷材搭接宽度不足",
            "coverage_code": "WPI-2", "division_code": "01", "subdivision_code": "0107", "grade_found": "D",
            "grade_now": "D", "is_serious": True, "status": status, "found_on": "2025-05-20",
            "deadline": "2025-05-27", "clause": "GB 50208-2011 4.3.6",
            "photo_sha256": [sha256(p) for p in photos],
            "history": [{"at": "2025-05-20T09:15:00+08:00", "kind": "status", "from_value": None, "to_value": "open",
                         "actor": "赵工"}]}


def new_key() -> str:
    return f"test-{uuid.uuid4().hex}"
