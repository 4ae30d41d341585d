"""Access-matrix rows of question types: see tests/test_access_matrix.py for the format and the world.

Choosing the language the questions are shown in is a preference of the signed-in user's session: everyone
signed in is sent back (302) to the page they came from; the anonymous visitor to the login page (302).
"""
from __future__ import annotations

from tests.access_rows import expect

QUESTION_TYPE_ROUTES: dict = {
    ("assessments.choose_content_language", "POST"): ("/assessments/content-language", {"language": "hy", "next": "/"},
                                                      expect(302, 302, 302, 302, 302, 302, 302)),
}
