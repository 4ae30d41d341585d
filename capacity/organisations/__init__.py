"""Partner organisations: list, detail, administration and CSV import."""
from capacity.organisations.views import bp

__all__ = ["bp"]
