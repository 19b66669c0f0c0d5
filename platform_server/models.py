"""The platform's tables: who may call (agencies, tokens), what they were assigned
(projects), what they delivered (blobs, uploads, manifests and the reports, findings,
photos and audit-chain heads those manifests carried).

System timestamps are naive UTC. Sizes are BIGINT: a blob may pass 2 GiB.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ROLES = ("admin", "insurer", "agency", "inspector")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Agency(Base):
    """A risk-management agency (风险管理机构); ``code`` is the short name admins type."""

    __tablename__ = "agency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str | None] = mapped_column(String(18))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ApiToken(Base):
    """A bearer token. Only the SHA-256 of the secret is kept; the secret is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    secret_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(12))  # one of ROLES
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    subject: Mapped[str | None] = mapped_column(String(120))  # the inspector, or what it is for
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class PlatformProject(Base):
    """A project the insurer registered; ``detail`` is the JSON an inspector downloads."""

    __tablename__ = "project"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(64), unique=True)
    code: Mapped[str] = mapped_column(String(40), index=True)
    name: Mapped[str] = mapped_column(String(200))
    detail: Mapped[str] = mapped_column(Text)
    detail_sha256: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProjectAssignment(Base):
    __tablename__ = "project_assignment"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class Blob(Base):
    """A stored file, named by its SHA-256 (recomputed by the server before this row exists)."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class BlobGrant(Base):
    """An agency proved it has these bytes (it uploaded them): only then may it see or cite them."""

    __tablename__ = "blob_grant"

    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Upload(Base):
    """A resumable upload. ``offset`` counts the bytes committed (on disk, fsynced)."""

    __tablename__ = "upload"
    __table_args__ = (Index("ix_upload_agency_sha_status", "agency_id", "sha256", "status"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    offset: Mapped[int] = mapped_column(BigInteger, default=0)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open | complete | failed
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class UploadSegment(Base):
    """One committed PATCH body: bytes [start, start + length) in its own file."""

    __tablename__ = "upload_segment"

    upload_id: Mapped[str] = mapped_column(ForeignKey("upload.id"), primary_key=True)
    start: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    length: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))  # of this segment's bytes
    file_name: Mapped[str] = mapped_column(String(120))


class Manifest(Base):
    """A delivered manifest and the receipt sent for it, under the sender's idempotency key."""

    __tablename__ = "manifest"
    __table_args__ = (UniqueConstraint("agency_id", "idempotency_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    content_sha256: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    sender: Mapped[str | None] = mapped_column(String(120))
    receipt: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class Report(Base):
    """An issued report revision. Never changed: a different PDF under the same number and
    revision is refused."""

    __tablename__ = "report"
    __table_args__ = (UniqueConstraint("project_id", "number", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    manifest_id: Mapped[int] = mapped_column(ForeignKey("manifest.id"))
    kind: Mapped[str] = mapped_column(String(10))
    number: Mapped[str] = mapped_column(String(60))
    revision: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    pdf_sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    pdf_bytes: Mapped[int] = mapped_column(BigInteger)
    issued_at: Mapped[datetime]
    issued_by: Mapped[str | None] = mapped_column(String(60))
    replaces: Mapped[str | None] = mapped_column(String(80))
    gate_passed: Mapped[bool | None]
    signoff: Mapped[str | None] = mapped_column(Text)  # JSON: 编制 / 审核 / 批准, as sent


class Finding(Base):
    """A finding's latest known state (``state`` is the JSON as sent; history is separate)."""

    __tablename__ = "finding"
    __table_args__ = (UniqueConstraint("project_id", "number"),
                      Index("ix_finding_serious_status", "is_serious", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    number: Mapped[int]
    building: Mapped[str] = mapped_column(String(60))
    description: Mapped[str] = mapped_column(Text)
    grade_now: Mapped[str] = mapped_column(String(2))
    is_serious: Mapped[bool]
    status: Mapped[str] = mapped_column(String(12))
    deadline: Mapped[str | None] = mapped_column(String(10))
    state: Mapped[str] = mapped_column(Text)
    state_sha256: Mapped[str] = mapped_column(String(64))
    as_of_seq: Mapped[int] = mapped_column(BigInteger)  # the sender's audit-chain seq of this state
    as_of_device: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class FindingEvent(Base):
    """One step of a finding's history, kept once whatever number of manifests carry it."""

    __tablename__ = "finding_event"
    __table_args__ = (UniqueConstraint("finding_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(ForeignKey("finding.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(20))
    data: Mapped[str] = mapped_column(Text)


class PhotoRef(Base):
    """A photo (a blob) as evidence of a finding (``finding_number`` 0: of the visit)."""

    __tablename__ = "photo_ref"
    __table_args__ = (UniqueConstraint("project_id", "sha256", "finding_number", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("blob.sha256"))
    finding_number: Mapped[int]
    role: Mapped[str] = mapped_column(String(10))
    data: Mapped[str] = mapped_column(Text)


class AuditCheckpoint(Base):
    """A head of a sender's hash-chained audit log; one hash per (device, seq), ever."""

    __tablename__ = "audit_checkpoint"
    __table_args__ = (UniqueConstraint("agency_id", "device_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    device_id: Mapped[str] = mapped_column(String(64))
    seq: Mapped[int] = mapped_column(BigInteger)
    hash: Mapped[str] = mapped_column(String(64))
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


# --- protocol v2: the team's record of a project -------------------------------------------------

class SyncDevice(Base):
    """A laptop (a data folder's device name) that sent changes for a project; ``last_seq`` and
    ``last_hash`` name the newest audit entry it sent, so a folder restored from a backup (the same
    name, an older chain) is recognised and told to take a new name instead of being merged."""

    __tablename__ = "sync_device"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    device: Mapped[str] = mapped_column(String(80), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str | None] = mapped_column(String(64))
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)


class SyncChange(Base):
    """One change of one row, as a laptop sent it, in the order the platform received it: the
    project's change feed (``seq`` is the cursor). Kept once, by its content hash."""

    __tablename__ = "sync_change"
    __table_args__ = (UniqueConstraint("project_id", "change_id"),
                      Index("ix_sync_change_project_seq", "project_id", "seq"),
                      Index("ix_sync_change_device_seq", "project_id", "device", "device_seq"))

    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True,
                                     autoincrement=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    change_id: Mapped[str] = mapped_column(String(64))
    device: Mapped[str] = mapped_column(String(80))
    device_seq: Mapped[int] = mapped_column(BigInteger)
    audit_hash: Mapped[str] = mapped_column(String(64))
    table_name: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36))
    op: Mapped[str] = mapped_column(String(8))
    at: Mapped[datetime]  # when the laptop recorded it, UTC
    body: Mapped[str] = mapped_column(Text)  # the change as sent (canonical JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncRow(Base):
    """The platform's merged view of one row of a project (the same merge as the laptops')."""

    __tablename__ = "sync_row"
    __table_args__ = (UniqueConstraint("project_id", "table_name", "row_uid"),
                      Index("ix_sync_row_project_table", "project_id", "table_name"))

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"))
    table_name: Mapped[str] = mapped_column(String(40))
    row_uid: Mapped[str] = mapped_column(String(36))
    data: Mapped[str] = mapped_column(Text)
    deleted: Mapped[bool] = mapped_column(default=False)
    changed_at: Mapped[datetime]  # the laptop's time of the newest change applied
    updated_seq: Mapped[int] = mapped_column(BigInteger)


class NumberCounter(Base):
    """The next finding or visit number free on a project: blocks are handed out from here."""

    __tablename__ = "number_counter"

    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)
    next_free: Mapped[int] = mapped_column(BigInteger, default=1)


class NumberBlockGrant(Base):
    """Numbers [start, end] reserved for one device on a project."""

    __tablename__ = "number_block"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("project.id"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    device: Mapped[str] = mapped_column(String(80))
    start: Mapped[int] = mapped_column(BigInteger)
    end: Mapped[int] = mapped_column(BigInteger)
    granted_at: Mapped[datetime] = mapped_column(default=utcnow)
