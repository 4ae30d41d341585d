"""The home page of each role."""
from capacity.home.views import bp

__all__ = ["bp"]
