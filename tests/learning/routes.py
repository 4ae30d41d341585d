"""Access-matrix rows of this feature: see tests/test_access_matrix.py for the format and the world."""
from __future__ import annotations

from tests.access_rows import expect

EVERY_USER = expect(302, 200, 200, 200, 200, 200, 200)

# The library holds no organisation's data: every logged-in user reads it and downloads its files.
LEARNING_ROUTES: dict = {
    ("learning.index", "GET"): ("/resources/", {}, EVERY_USER),
    ("learning.file", "GET"): ("/resources/gesi-oca-resources/R17/file", {}, EVERY_USER),
}
