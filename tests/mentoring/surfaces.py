"""Visibility surfaces of this feature: see tests/visibility/test_visibility.py for the format and the worlds."""
from __future__ import annotations

NOT_A_SURFACE: dict[str, str] = {
    "mentoring.edit": "the form of one recorded mentoring session, for the organisation's assigned mentors only "
                      "(staff and the programme 403, others 404: tests/mentoring/test_access.py); it shows the "
                      "session's own date, duration, participants, notes and follow-ups and the round's indicator "
                      "titles and plan actions, never an answer, comment, evidence or score of any track",
}


def surfaces(v) -> dict:
    """This feature's rows of SURFACES, built with the visibility module's helpers (``v``)."""
    org = "OWN-01"
    return {
        # Whoever may see the organisation reads its log; the others learn nothing (404).
        "mentoring log": v.Surface(("mentoring.log",), v.html(f"/organisations/{org}/mentoring"), v.ORG_SEEN,
                                   refused=(404,)),
        # The form lists the round's indicators (titles only) and its plan's actions: for the assigned mentor.
        "record a mentoring session": v.Surface(("mentoring.new",), v.html(f"/organisations/{org}/mentoring/new"),
                                                lambda w: w.role == "mentor", refused=(403, 404)),
    }
