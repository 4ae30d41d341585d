"""Assessments: answering (self and mentor), consensus, evidence files, history."""
