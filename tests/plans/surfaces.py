"""Visibility surfaces of this feature: see tests/visibility/test_visibility.py for the format and the worlds."""
from __future__ import annotations

NOT_A_SURFACE: dict[str, str] = {}


def surfaces(v) -> dict:
    """This feature's rows of SURFACES, built with the visibility module's helpers (``v``)."""
    return {}
