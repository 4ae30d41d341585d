"""Exports of one round's data as CSV (in a ZIP) and XLSX: answers (long), official scores (wide), profile data,
development plans' actions (plan) and mentoring sessions (mentoring).

Blueprint in exports.views; the ``capacity export`` commands in exports.cli.
"""
