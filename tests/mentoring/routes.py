"""Access-matrix rows of this feature: see tests/test_access_matrix.py for the format and the world."""
from __future__ import annotations

from tests.access_rows import KEPT_POST, ORG_SCOPED, expect  # noqa: F401

# A session the assigned mentor may record in the matrix's world (round "baseline" starts 2026-01-01; no plan).
SESSION_FORM = {"round_code": "baseline", "held_on": "2026-02-10", "hours": "1", "minutes": "30", "mode": "on_site",
                "participants_total": "5", "participants_female": "3", "participants_male": "2",
                "participants_with_disability": "1", "notes": "", "follow_ups": ""}
# Only a mentor assigned to the organisation records sessions; staff of the organisation and the programme read
# the log but are refused the form (403: they know the organisation); anyone who may not see it gets 404.
LOGGING = expect(302, 403, 404, 200, 404, 403, 403)
LOGGING_POST = expect(302, 403, 404, 302, 404, 403, 403)
# No session exists in the matrix's world: an id that is not one of the organisation's sessions is 404 for
# everyone (tests/mentoring/test_access.py checks real sessions, across organisations, for every role).
NO_SESSION = expect(302, 404, 404, 404, 404, 404, 404)

MENTORING_ROUTES: dict = {
    ("mentoring.log", "GET"): ("/organisations/{org}/mentoring", {}, ORG_SCOPED),
    ("mentoring.new", "GET"): ("/organisations/{org}/mentoring/new", {}, LOGGING),
    ("mentoring.new", "POST"): ("/organisations/{org}/mentoring/new", SESSION_FORM,
                                   {**LOGGING_POST, "anonymous": KEPT_POST}),
    ("mentoring.edit", "GET"): ("/organisations/{org}/mentoring/999999", {}, NO_SESSION),
    ("mentoring.edit", "POST"): ("/organisations/{org}/mentoring/999999", {**SESSION_FORM, "revision": "1"},
                                    {**NO_SESSION, "anonymous": KEPT_POST}),
    ("mentoring.delete", "POST"): ("/organisations/{org}/mentoring/999999/delete", {}, NO_SESSION),
}
