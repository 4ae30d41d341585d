"""Visibility surfaces of this feature: see tests/visibility/test_visibility.py for the format and the worlds."""
from __future__ import annotations

NOT_A_SURFACE: dict[str, str] = {
    "learning.index": "the learning-resource library: the questionnaire's resources and the indicators they serve, "
                      "the same for every user; no organisation's data",
    "learning.file": "a file shipped with the learning resources (questionnaires/resources/); no organisation's data",
}


def surfaces(v) -> dict:
    """This feature's rows of SURFACES, built with the visibility module's helpers (``v``)."""
    return {
        # Programme only: everyone else is refused with 404 and learns nothing, not even OWN-01's row.
        "plan-status grid": v.Surface(("plans.grid",), v.html(f"/rounds/{v.ROUND}/plans"), lambda w: w.programme,
                                      extra=v._not_other_org, refused=(404,)),
    }
