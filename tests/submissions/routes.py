"""Access-matrix rows of the KoboToolbox/ODK pages (tests/test_access_matrix.py's format and world).

Programme pages under /rounds: staff and mentors get "page not found". The import's address by GET leads managers back
to the upload page (302). The upload posted without a file is
refused with the form again (400); the confirm step with a token that was never issued sends the manager back
to the upload page (302).
"""
from __future__ import annotations

from tests.access_rows import ROUNDS_PAGE, ROUNDS_POST, expect

SUBMISSIONS_ROUTES: dict = {
    ("submissions.upload", "GET"): ("/rounds/{round}/submissions", {}, ROUNDS_PAGE),
    ("submissions.check", "POST"): ("/rounds/{round}/submissions", {"track": "self"},
                                    expect(302, 404, 404, 404, 404, 400, 400)),
    ("submissions.after_import", "GET"): ("/rounds/{round}/submissions/import", {}, ROUNDS_POST),  # back to the upload page
    ("submissions.confirm", "POST"): ("/rounds/{round}/submissions/import", {"token": "never-issued"}, ROUNDS_POST),
    ("submissions.collection_form", "GET"): ("/rounds/{round}/collection-form.xlsx", {}, ROUNDS_PAGE),
}
