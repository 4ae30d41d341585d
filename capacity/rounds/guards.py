"""Who may open the pages under /rounds, answered with "page not found" for everyone else.

The rounds, their set-up and print-all are the programme's own business: a 403
would tell organisation staff and mentors that a page exists at that address
(and so that a round with that code exists). They get the same 404 as for any
address that does not exist. Whether a user may open a page is still decided by
``capacity.access``; this only chooses the answer given to those who may not.
"""
from __future__ import annotations

from typing import Callable


from capacity import access
from capacity.auth.models import Role


def roles_or_404(*roles: Role) -> Callable:
    """Allow the view only to logged-in users with one of ``roles``; others get 404 (anonymous: the login page)."""
    return access.roles_required(*roles, refuse=404)


# Programme managers and administrators: rounds, print-all, the portfolio.
programme_only = roles_or_404(*access.PROGRAMME_MANAGEMENT)
# The progress grid: the programme, and mentors for the organisations they support.
progress_readers = roles_or_404(*access.PROGRAMME_MANAGEMENT, Role.MENTOR)
