"""Reliability of the instrument: Cronbach's alpha per domain and self/mentor agreement (weighted kappa, large gaps).

``statistics`` holds the pure functions over pandas frames; ``services`` gathers a round's answers into those frames
and builds what the portfolio's method annex and ``capacity stats`` print.
"""
