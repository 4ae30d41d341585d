"""The plan-status grid (being written)."""
from capacity.plans.blueprint import bp  # noqa: F401
