"""Exports of one round's data as CSV (in a ZIP) and XLSX: answers (long), official scores (wide), profile data,
development plans' actions (plan), mentoring sessions (mentoring) and, where the questionnaire has them, sub-area
scores (sub_areas). Answers of every question type carry their value as stored and as read.

Blueprint in exports.views; the ``capacity export`` commands in exports.cli.
"""
