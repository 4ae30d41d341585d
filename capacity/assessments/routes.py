"""The assessments blueprint with all its views attached (imported by the app factory only)."""
from capacity.assessments import consensus_views, evidence_views, views  # noqa: F401  (they register routes on bp)
from capacity.assessments.blueprint import bp

__all__ = ["bp"]
