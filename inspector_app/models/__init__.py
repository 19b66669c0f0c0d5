"""SQLAlchemy 2 typed ORM of the inspector's data. Importing this package registers every table."""

from . import auditing
from .audit import AuditEntry, AuditHead
from .base import Audited, Base
from .finding import Finding, FindingEvent, RectificationReply, Verification
from .org import Agency, Inspector, Party
from .outbox import OutboxItem
from .photo import Photo
from .plan import FloorPlan
from .project import (
    Building,
    PlanNode,
    Policy,
    PolicyCoverage,
    PolicyInsurer,
    Project,
    ProjectDeletion,
    ProjectParty,
)
from .report import IssuedReport, ReportApproval, ReportDraft
from .sync import (
    NumberBlock,
    SyncConflict,
    SyncCursor,
    SyncDevice,
    SyncIdentity,
    SyncInbound,
    SyncPending,
)
from .visit import (
    ChecklistResult,
    DocumentReview,
    Visit,
    VisitAttendee,
    VisitInspector,
    VisitNode,
    VisitProgress,
)

__all__ = [
    "Agency", "AuditEntry", "AuditHead", "Audited", "Base", "Building", "ChecklistResult", "DocumentReview",
    "Finding", "FindingEvent", "FloorPlan", "Inspector", "IssuedReport", "NumberBlock", "OutboxItem", "Party", "Photo",
    "PlanNode", "Policy", "PolicyCoverage", "PolicyInsurer", "Project", "ProjectDeletion", "ProjectParty", "RectificationReply", "ReportApproval",
    "ReportDraft", "SyncConflict", "SyncCursor", "SyncDevice", "SyncIdentity", "SyncInbound", "SyncPending",
    "Verification", "Visit", "VisitAttendee", "VisitInspector", "VisitNode", "VisitProgress",
    "auditing",
]
