"""Every model in one place, so Alembic and create_all() see the whole schema."""
from capacity.assessments.models import Answer, Assessment, EvidenceFile, Status, Track
from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.audit.models import AuditEvent
from capacity.auth.models import Role, User
from capacity.jobs.models import ReportJob
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.profiles.models import ProfileValue

__all__ = [
    "Answer", "Assessment", "AssessmentRound", "AuditEvent", "EvidenceFile", "MentorAssignment",
    "Organisation", "ProfileValue", "ReportJob", "Role", "RoundKind", "Status", "Track", "User",
]
