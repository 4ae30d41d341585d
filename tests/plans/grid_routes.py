"""Access-matrix rows of this feature: see tests/test_access_matrix.py for the format and the world."""
from __future__ import annotations

from tests.access_rows import ROUNDS_PAGE

# The plan-status grid is a programme page under /rounds: staff and mentors get "page not found".
PLAN_GRID_ROUTES: dict = {
    ("plans.grid", "GET"): ("/rounds/{round}/plans", {}, ROUNDS_PAGE),
}
