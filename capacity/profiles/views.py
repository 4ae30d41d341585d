"""The profile data page: staff, leadership, board, volunteers, service users and budget shares."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.rounds.queries import round_or_404
from capacity.assessments.results import definitions_for
from capacity.auth.models import Role
from capacity.extensions import db
from capacity.profiles import services
from capacity.questionnaires.model import BREAKDOWNS
from capacity.questionnaires.forms import BREAKDOWN_LABELS, CATEGORY_LABELS, breakdown_problems, field_name, profile_form_class
from capacity.templating import current_language

bp = Blueprint("profiles", __name__)


def _may_edit(org, round_) -> bool:
    if not round_.is_open:
        return False
    if current_user.role == Role.CSO:
        return current_user.organisation_id == org.id
    return current_user.role == Role.MENTOR and access.is_assigned(current_user, org)


@bp.route("/organisations/<code>/profile/<round_code>", methods=["GET", "POST"])
@login_required
def edit(code: str, round_code: str):
    org = access.organisation_or_404(code)
    round_ = round_or_404(round_code)
    questionnaire = definitions_for(round_).questionnaire
    editable = _may_edit(org, round_)
    form = profile_form_class(questionnaire, current_language())()
    stored = services.current_values(org.id, round_.id)
    sum_errors: dict[str, list[str]] = {}
    if request.method == "POST":
        if not editable:
            abort(403)
        if form.validate_on_submit():
            values = {}
            for question in questionnaire.profile:
                cells = {category: form[field_name("profile", question.code, category)].data
                         for category in ["total"] + [c for _, c in question.categories()]}
                cells = {k: (float(v) if v is not None else None) for k, v in cells.items()}
                for breakdown, categories in breakdown_problems(question, cells):
                    sum_errors.setdefault(question.code, []).append(_(
                        "%(breakdown)s: the numbers do not add up to the total.", breakdown=BREAKDOWN_LABELS[breakdown]))
                values.update({(question.code, category): value for category, value in cells.items()})
            if not sum_errors:
                changed = services.save_values(current_user, org.id, round_.id, values)
                db.session.commit()
                flash(_("The profile data has been saved.") if changed else _("Nothing was changed."), "success")
                return redirect(request.path)
    else:
        for (question_code, category), value in stored.items():
            name = field_name("profile", question_code, category)
            if name in form:
                form[name].data = int(value) if value == int(value) and form[name].type == "IntegerField" else value
    return render_template("profiles/edit.html", org=org, round=round_, questionnaire=questionnaire, form=form,
                           editable=editable, sum_errors=sum_errors, field_name=field_name, category_labels=CATEGORY_LABELS,
                           breakdown_labels=BREAKDOWN_LABELS, breakdowns=BREAKDOWNS)
