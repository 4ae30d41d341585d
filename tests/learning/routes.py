"""Access-matrix rows of this feature: see tests/test_access_matrix.py for the format and the world."""
from __future__ import annotations

from tests.access_rows import ORG_SCOPED, expect  # noqa: F401

LEARNING_ROUTES: dict = {}
