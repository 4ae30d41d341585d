"""Access-matrix rows of this feature: see tests/test_access_matrix.py for the format and the world.

In that world nothing is validated, so no plan can be started and none exists:
- the plan page and its history: whoever may see OWN-01 gets the page (saying the plan opens once the
  assessment is validated; the history is empty); another organisation's staff and an unassigned mentor 404;
- starting: staff and the assigned mentor are sent back to the page (302) with "opens once validated";
  managers and admins read only (403); users who may not see OWN-01 get 404;
- every other write names a plan, a priority or an action that does not exist: 404 for those who may
  write, 403 for managers and admins (refused before anything is looked up), 404 for outsiders;
- evidence files: no file 999999 exists, so 404 for everyone signed in (tests/plans/test_plans.py (test_evidence_file_upload_refusal_download_and_removal) checks
  a real file across roles and organisations).
"""
from __future__ import annotations

from tests.access_rows import KEPT_POST, ORG_SCOPED, expect

P = "/organisations/{org}/plans/{round}"
WRITE_MISSING = expect(302, 404, 404, 404, 404, 403, 403)

PLAN_ROUTES: dict = {
    ("plans.plan", "GET"): (P, {}, ORG_SCOPED),
    ("plans.history", "GET"): (P + "/history", {}, ORG_SCOPED),
    ("plans.start", "POST"): (P + "/start", {}, expect(302, 302, 404, 302, 404, 403, 403)),
    ("plans.priority", "POST"): (P + "/priorities/1", {"revision": "1", "decision": "accept"}, WRITE_MISSING),
    ("plans.add_priority", "POST"): (P + "/priorities", {"revision": "1", "indicator": "GOV.01"}, WRITE_MISSING),
    ("plans.action_new", "POST"): (P + "/actions", {"indicators": "GOV.01", "description": "x"}, {**WRITE_MISSING, "anonymous": KEPT_POST}),
    ("plans.action_edit", "POST"): (P + "/actions/1", {"indicators": "GOV.01", "description": "x"}, {**WRITE_MISSING, "anonymous": KEPT_POST}),
    ("plans.action_status", "POST"): (P + "/actions/1/status", {"status": "done", "revision": "1"}, WRITE_MISSING),
    ("plans.note", "POST"): (P + "/actions/1/notes", {"noted_on": "2026-02-01", "text": "x"}, {**WRITE_MISSING, "anonymous": KEPT_POST}),
    ("plans.upload_evidence", "POST"): (P + "/actions/1/files", {}, WRITE_MISSING),
    ("plans.download_evidence", "GET"): ("/plan-evidence/999999", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    ("plans.delete_evidence", "POST"): ("/plan-evidence/999999/delete", {}, expect(302, 404, 404, 404, 404, 404, 404)),
}
