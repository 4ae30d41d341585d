"""Fixtures of the rounds tests (the helpers live in tests/rounds/helpers.py)."""
from tests.rounds.helpers import two_versions  # noqa: F401  (a fixture)
