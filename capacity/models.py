"""Every model in one place, so Alembic and create_all() see the whole schema."""
from capacity.assessments.models import Answer, Assessment, EvidenceFile, Status, Track
from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.audit.models import AuditEvent
from capacity.auth.models import Role, User
from capacity.jobs.models import ReportJob
from capacity.mentoring.models import FollowUp, MentoringSession, SessionMode
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.plans.models import (ActionEvidenceFile, ActionNote, ActionStatus, DevelopmentPlan, PlanAction,
                                    PlanPriority, PriorityReason, PriorityStatus)
from capacity.profiles.models import ProfileValue
from capacity.submissions.models import PendingImport  # noqa: F401 (its table in the metadata)

__all__ = [
    "ActionEvidenceFile", "ActionNote", "ActionStatus", "Answer", "Assessment", "AssessmentRound", "AuditEvent",
    "DevelopmentPlan", "EvidenceFile", "FollowUp", "MentorAssignment", "MentoringSession", "Organisation",
    "PlanAction", "PlanPriority", "PriorityReason", "PriorityStatus", "ProfileValue", "ReportJob", "Role",
    "RoundKind", "SessionMode", "Status", "Track", "User",
]
