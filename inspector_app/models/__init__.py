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
    ProjectParty,
)
from .report import IssuedReport
from .visit import ChecklistResult, Visit, VisitAttendee, VisitInspector, VisitNode, VisitProgress

__all__ = [
    "auditing",
    "Agency", "AuditEntry", "ChecklistResult", "AuditHead", "Audited", "Base", "Building", "Finding", "FindingEvent",
    "FloorPlan", "Inspector", "IssuedReport", "OutboxItem", "Party", "Photo", "PlanNode", "Policy", "PolicyCoverage", "PolicyInsurer",
    "Project", "ProjectParty", "RectificationReply", "Verification", "Visit", "VisitAttendee",
    "VisitInspector", "VisitNode", "VisitProgress",
]
