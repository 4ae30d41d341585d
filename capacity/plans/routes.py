"""The plans blueprint with all its views attached (imported by the app factory only)."""
from capacity.plans import grid_views, views  # noqa: F401  (they register routes on bp)
from capacity.plans.blueprint import bp

__all__ = ["bp"]
