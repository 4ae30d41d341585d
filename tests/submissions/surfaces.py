"""Visibility surfaces of this feature: see tests/visibility/test_visibility.py for the format and the worlds.
"""
from __future__ import annotations

NOT_A_SURFACE: dict[str, str] = {
    "submissions.upload": "the collection form's link and an upload form (programme managers); no assessment data",
    "submissions.collection_form": "the round's questionnaire as an XLSForm naming the active organisations "
                                   "(programme managers); no answers",
    "submissions.after_import": "only redirects programme managers to submissions.upload (the import's address "
                                "asked for by GET, e.g. by the language switch); 404 for everyone else",
}


def surfaces(v) -> dict:
    """This feature's rows of SURFACES (none: its pages show no assessment data)."""
    return {}
