"""User administration: accounts, roles, passwords and mentor assignments."""
from capacity.users.views import bp

__all__ = ["bp"]
