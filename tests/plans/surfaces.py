"""Visibility surfaces of this feature: see tests/visibility/test_visibility.py for the format and the worlds.

In S1-S3 the plan page says only that the plan opens once the assessment is validated (the same words for
staff whatever the mentor's progress). In S4 the plan is open: the fetch starts it through the service
(idempotent: the second fetch finds it), so its suggested priorities are on the page. Every indicator differs
by 3 between the self (1) and mentor (4) levels there, so gap priorities are suggested: staff get their own level
and the agreed one, never the mentor's ("4 — Mature" above the new-action form, whose target-level list names every
level of the scale) nor the gap rule.
"""
from __future__ import annotations

import re

import sqlalchemy as sa

NOT_A_SURFACE: dict[str, str] = {
    "plans.download_evidence": "a plan action's evidence file: none exists in the visibility worlds; "
                               "tests/plans/test_plans.py (test_evidence_file_upload_refusal_download_and_removal) checks its download for every role and organisation",
}

URL = "/organisations/OWN-01/plans/baseline"
CLOSED = "The plan opens once the assessment is validated."


def _started(v):
    def fetch(client, world):
        if world.state == "S4":
            from capacity.auth.models import User
            from capacity.extensions import db
            from capacity.organisations.models import Organisation
            from capacity.plans import services
            from capacity.rounds.models import AssessmentRound

            with world.app.app_context():
                org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "OWN-01"))
                round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == "baseline"))
                staff = db.session.scalar(sa.select(User).where(User.email == world.users["staff"]))
                services.start_plan(staff, org, round_)
                db.session.commit()
        return v.html(URL)(client, world)
    return fetch


def _plan_content(who, page) -> list[str]:
    problems = []
    flat = " ".join(page.text.split())
    if who.n < 4:
        if CLOSED not in flat:
            problems.append(f"before validation the plan page does not say {CLOSED!r}")
        return problems
    if "GOV.01" not in flat:
        problems.append("the open plan shows no priority GOV.01")
    above_form = " ".join(page.text.split('id="new-action"')[0].split())
    mentor_level = re.search(r"4 — Mature", above_form) is not None
    if who.role == "staff" and mentor_level:
        problems.append("shows the mentor's level (4 — Mature) to staff")
    if who.role == "staff" and ("far apart" in above_form or "gap of" in above_form):
        problems.append("tells staff of a self/mentor gap")
    if who.role != "staff" and not mentor_level:
        problems.append("does not show the mentor's level beside a gap priority")
    return problems


def surfaces(v) -> dict:
    """This feature's rows of SURFACES, built with the visibility module's helpers (``v``)."""
    return {
        "development plan": v.Surface(("plans.plan",), _started(v), v.ORG_SEEN, extra=_plan_content, refused=(404,)),
        "development plan history": v.Surface(("plans.history",), v.html(URL + "/history"), v.ORG_SEEN,
                                              refused=(404,)),
    }
