"""Development plan pages (being written)."""
from capacity.plans.blueprint import bp  # noqa: F401
