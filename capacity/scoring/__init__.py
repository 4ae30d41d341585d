"""Scoring: pure functions over pandas DataFrames. No Flask, no database.

Answers come in long form, one row per (org, round, track, indicator) with the
columns of ``ANSWER_COLUMNS``; level is NaN when unanswered or N/A.
"""
ANSWER_COLUMNS = ["org", "round", "track", "indicator", "level", "na"]
KEYS = ["org", "round", "track"]
