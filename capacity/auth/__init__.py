"""Logging in and out."""
from capacity.auth.views import bp

__all__ = ["bp"]
