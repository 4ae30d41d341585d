"""The names of what the audit trail records: each action and each field, as people read them.

Keys are exactly what the code passes to ``audit.record`` (action) and puts in ``before``/``after``
(fields); tests/audit/test_display.py finds every ``audit.record`` call in capacity/ and fails on a
key missing here.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from capacity.questionnaires.forms import CATEGORY_LABELS

ACTIONS = {
    "answer.save": _l("Answer changed"),
    "assessment.submit": _l("Assessment submitted"),
    "assessment.validate": _l("Assessment validated"),
    "assessment.reopen": _l("Assessment reopened"),
    "evidence.upload": _l("Evidence added"),
    "evidence.delete": _l("Evidence removed"),
    "profile.save": _l("Profile data changed"),
    "user.create": _l("Account created"),
    "user.update": _l("Account changed"),
    "user.password": _l("New password set"),
    "user.activate": _l("Account reactivated"),
    "user.deactivate": _l("Account deactivated"),
    "user.municipalities": _l("Municipalities assigned"),
    "auth.lockout": _l("Logging in blocked after failed attempts"),
    "round.create": _l("Round created"),
    "round.update": _l("Round changed"),
    "round.open": _l("Round opened"),
    "round.close": _l("Round closed"),
    "round.repin": _l("Assessments re-pinned to the current files"),
    "organisation.create": _l("Organisation added"),
    "organisation.update": _l("Organisation changed"),
    "assignment.create": _l("Mentor assigned"),
    "assignment.delete": _l("Mentor unassigned"),
    "report.profiles_zip": _l("Printing of all profiles started"),
    # development plans
    "plan.start": _l("Plan started"),  # any kind's plan: development, quality improvement, action plan
    "plan.priority": _l("Priority decided"),
    "plan.priority_add": _l("Priority added"),
    "action.create": _l("Action added"),
    "action.update": _l("Action changed"),
    "action.status": _l("Action's status changed"),
    "action.note": _l("Progress note added"),
    "action.file_upload": _l("Evidence added"),
    "action.file_delete": _l("Evidence removed"),
    # the mentoring log (written by capacity/mentoring)
    "mentoring.record": _l("Mentoring session recorded"),
    "mentoring.update": _l("Mentoring session changed"),
    "mentoring.remove": _l("Mentoring session removed"),
    # answers brought in from KoboToolbox/ODK (capacity/submissions)
    "submissions.import": _l("Submissions imported from KoboToolbox/ODK"),
}

# Actions the app takes by itself (no one signed in did them): "the system", not "command line".
SYSTEM_ACTIONS = {"auth.lockout"}

# Actions that change something that was there: shown "old → new", "—" for a side without the field.
# Other actions create or remove, and show only their values.
TWO_SIDED = {"answer.save", "assessment.submit", "assessment.validate", "assessment.reopen", "profile.save",
             "user.update", "user.activate", "user.deactivate", "user.municipalities", "round.update", "round.open", "round.close",
             "round.repin", "organisation.update", "plan.priority", "action.update", "action.status",
             "mentoring.update"}

# In the order they are shown within one event.
FIELDS = {
    # answers and assessments
    "status": _l("Status"),
    "level": _l("Level"),
    "value": _l("Answer"),  # an answer that is not a level: yes/no, a choice, a number, a text
    "na": _l("Not applicable"),
    "comment": _l("Comment"),
    "evidence_url": _l("Link to evidence"),
    "file": _l("File"),
    "size": _l("Size"),
    # accounts
    "display_name": _l("Name"),
    "email": _l("E-mail"),
    "role": _l("Role"),
    "organisation": _l("Organisation"),
    "organisation_id": _l("Organisation"),
    "language": _l("Language"),
    "active": _l("Account"),
    "mentor": _l("Mentor"),
    # logins
    "by": _l("What was blocked"),
    "address": _l("Network address"),
    "limit": _l("Limit"),
    # rounds and organisations
    "code": _l("Code"),
    "name_ka": _l("Name in Georgian"),
    "name_en": _l("Name in English"),
    "kind": _l("Kind of round"),
    "starts_on": _l("Start date"),
    "ends_on": _l("End date"),
    "is_open": _l("Round"),
    "questionnaire_id": _l("Questionnaire"),
    "questionnaire_version": _l("Questionnaire version"),
    "rubric_id": _l("Rubric"),
    "rubric_version": _l("Rubric version"),
    "questionnaire": _l("Questionnaire file"),
    "rubric": _l("Rubric file"),
    "questionnaire_hash": _l("Fingerprint of the questionnaire file"),
    "rubric_hash": _l("Fingerprint of the rubric file"),
    "assessments": _l("Assessments changed"),
    "municipality": _l("Municipality"),
    "service_areas": _l("Service areas"),
    "contact_name": _l("Contact person"),
    "contact_email": _l("Contact e-mail"),
    "contact_phone": _l("Contact phone"),
    # print jobs
    "round": _l("Round"),
    # development plans
    "priorities": _l("Suggested priorities"),
    "indicator": _l("Indicator"),
    "priority": _l("Decision"),
    "indicators": _l("Indicators"),
    "description": _l("What will be done"),
    "target_level": _l("Target level"),
    "responsible": _l("Responsible"),
    "due_on": _l("Due date"),
    "support_type": _l("Kind of support"),
    "dropped_reason": _l("Why it is dropped"),
    "completed_on": _l("Completed on"),
    "noted_on": _l("Date"),
    "note": _l("Progress note"),
    # mentoring sessions
    "held_on": _l("Date of the session"),
    "duration_minutes": _l("Duration"),
    "mode": _l("How it was held"),
    "actions": _l("Plan actions worked on"),
    "participants_total": _l("Participants"),
    "participants_female": _l("Women"),
    "participants_male": _l("Men"),
    "participants_with_disability": _l("Participants with disability"),
    "notes": _l("Notes"),
    "follow_ups": _l("Follow-ups"),
    # submissions imported from KoboToolbox/ODK
    "sha256": _l("Fingerprint of the file (SHA-256)"),
    "track": _l("Whose assessment"),
    "rows": _l("Rows"),
    "organisations": _l("Organisations"),
    "parent": _l("Belongs to"),
    "municipalities": _l("Municipalities"),
    "answers": _l("Answers"),
}

# The same key meaning something else on another kind of object.
FIELDS_OF = {
    ("plan_action", "status"): _l("Status of the action"),
    ("organisation", "active"): _l("Active in the programme"),
    ("organisation", "kind"): _l("Kind"),
    ("report_job", "language"): _l("Language of the report"),
}

# A profile value's category ("staff.female": women), as the profile form names it.
CATEGORIES = CATEGORY_LABELS

_ORDER = {key: n for n, key in enumerate(FIELDS)}


def ordered(keys) -> list[str]:
    """``keys`` in the order above; unknown ones (a profile's "staff.female", a later version's) after, sorted."""
    return sorted(keys, key=lambda key: (_ORDER.get(key, len(_ORDER)), str(key)))
