"""Forms of the development plan pages, and the names of its reasons and statuses.

The forms only carry the posted text (and the CSRF token): what the text means,
and whether it is allowed, is decided by ``capacity.plans.services``, which names
the field and the reason in the user's language. So junk in any field gets a
message, never an error page.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, StringField, TextAreaField

from capacity.forms import FlaskForm, MultiCheckboxField
from capacity.plans.models import PriorityReason

REASONS = {
    PriorityReason.LOWEST: _l("Among the lowest levels"),
    PriorityReason.GESI: _l("GESI indicator below the threshold"),
    PriorityReason.GAP: _l("Self-assessment and mentor assessment far apart"),
    PriorityReason.ADDED: _l("Added by hand"),
}
# Staff never learn the mentor's independent levels, so never the gap rule (capacity.plans.page): a priority
# suggested for a gap alone reaches them once accepted, as the mentor's choice; and where the final result comes
# from a track they may not see, the rules that read its levels are named without them.
ACCEPTED_BY_MENTOR = _l("Accepted by the mentor")
SUGGESTED_FROM_RESULT = _l("Suggested from the assessment's result")


class StartForm(FlaskForm):
    pass


class PriorityForm(FlaskForm):
    revision = HiddenField()
    decision = HiddenField()  # accept or drop


class AddPriorityForm(FlaskForm):
    revision = HiddenField()
    indicator = StringField(_l("Indicator"))


class ActionForm(FlaskForm):
    revision = HiddenField()  # none for a new action; an edit without one is refused (services.revision_of)
    follow_up = HiddenField()
    # Ticked boxes, one per indicator (the template draws them by domain); not checked against choices here, so a
    # code that is not the questionnaire's gets the service's message naming it.
    indicators = MultiCheckboxField(_l("Indicators"), choices=[], validate_choice=False)
    description = TextAreaField(_l("What will be done"))
    target_level = StringField(_l("Target level"))
    responsible = StringField(_l("Responsible"))
    due_on = StringField(_l("Due date"), description=_l("YYYY-MM-DD"))
    support_type = StringField(_l("Kind of support"))
    evidence_url = StringField(_l("Link to evidence"))


class StatusForm(FlaskForm):
    revision = HiddenField()
    status = HiddenField()
    reason = TextAreaField(_l("Why it is dropped"))
    completed_on = StringField(_l("Completed on"), description=_l("YYYY-MM-DD"))


class NoteForm(FlaskForm):
    noted_on = StringField(_l("Date"), description=_l("YYYY-MM-DD"))
    text = TextAreaField(_l("Progress note"))


class UploadForm(FlaskForm):
    pass


class DeleteFileForm(FlaskForm):
    pass
