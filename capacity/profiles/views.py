"""The profile data page: staff, leadership, board, volunteers, service users and budget shares."""
from __future__ import annotations

import math

from babel.numbers import get_decimal_symbol, get_group_symbol
from flask import Blueprint, abort, flash, redirect, render_template, request
from flask_babel import format_decimal, get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import IntegerField

from capacity import access
from capacity.rounds.queries import round_or_404
from capacity.rounds.definitions import definitions_for
from capacity.extensions import db
from capacity.parsing import ascii_int, locale_number
from capacity.profiles import services
from capacity.questionnaires.model import BREAKDOWNS
from capacity.questionnaires.forms import BREAKDOWN_LABELS, CATEGORY_LABELS, breakdown_problems, field_name, profile_form_class
from capacity.templating import current_language

bp = Blueprint("profiles", __name__)


REVISION_FIELD = "sheet_revision"


def _posted_revision() -> int | None:
    values = request.form.getlist(REVISION_FIELD)
    return ascii_int(values[0]) if len(values) == 1 else None


def _number(value) -> str:
    if value is None:
        return "—"
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return format_decimal(int(value) if value == int(value) else value)


# How a questionnaire's label may already name the unit (e.g. "Annual budget (GEL)", „წლიური ბიუჯეტი (ლარი)“).
UNITS = {"money": ("₾", "gel", "lari", "ლარ"), "percent": ("%",)}
UNIT_SIGNS = {"money": "₾", "percent": "%"}


def unit_label(question, language: str) -> str:
    """The question's label with its unit sign once: "Annual budget (GEL)" names it already, so nothing is added."""
    label = question.label.get(language)
    if question.kind not in UNIT_SIGNS or any(name in label.lower() for name in UNITS[question.kind]):
        return label
    return f"{label} ({UNIT_SIGNS[question.kind]})"


def _locale_formdata(questionnaire):
    """The posted form with every profile figure typed the locale's way ("363 300,5" in ka) rewritten as ASCII.

    A figure the locale's format does not describe is left as typed: the field's own checks say what is wrong.
    """
    locale = get_locale()
    decimal, group = get_decimal_symbol(locale), get_group_symbol(locale)
    units = {field_name("profile", q.code, "total"): (UNIT_SIGNS[q.kind],) for q in questionnaire.profile
             if q.kind in UNIT_SIGNS}
    data = request.form.copy()
    for name in data:
        values = data.getlist(name)
        if name.startswith("profile__") and len(values) == 1:
            plain = locale_number(values[0], decimal, group, units.get(name, ()))
            if plain is not None:
                data.setlist(name, [plain])
    return data


def _shown(form) -> dict[str, str]:
    """What each figure's box shows: the number in the locale's format, or, after a refused save, what was typed."""
    shown = {}
    for field in form:
        if not field.name.startswith("profile__"):
            continue
        if field.errors and field.raw_data:
            shown[field.name] = field.raw_data[0]
        elif field.data is None:
            shown[field.name] = ""
        else:
            shown[field.name] = _number(field.data)
    return shown


def _theirs_beside_mine(form, theirs: dict[tuple[str, str], float]) -> dict[str, str]:
    """For each field where the stored value differs from what the user typed: the stored value, to show beside it."""
    stored = {field_name("profile", code, category): value for (code, category), value in theirs.items()}
    shown = {}
    for field in form:
        if not field.name.startswith("profile__"):
            continue
        mine = None if field.data is None else float(field.data)
        if stored.get(field.name) != mine:
            shown[field.name] = _number(stored.get(field.name))
    return shown


@bp.route("/organisations/<code>/profile/<round_code>", methods=["GET", "POST"])
@login_required
def edit(code: str, round_code: str):
    """The profile data form. It carries the sheet revision it was loaded at: a save made after someone else's
    is refused (409) with their values beside the user's, which stay in the form."""
    org = access.organisation_or_404(code)
    round_ = round_or_404(round_code, org)
    questionnaire = definitions_for(round_).questionnaire
    editable = access.may_edit_profile_data(current_user, org, round_)
    form_class = profile_form_class(questionnaire, current_language())
    form = form_class(formdata=_locale_formdata(questionnaire)) if request.method == "POST" else form_class()
    stored = services.current_values(org.id, round_.id)
    state = services.sheet_state(org.id, round_.id)
    revision, status, problem = state.revision, 200, ""
    sum_errors: dict[str, list[str]] = {}
    stale = None
    if request.method == "POST":
        if not editable:
            abort(403)
        seen = _posted_revision()
        if seen is None:
            status, problem = 400, _("The page did not say which version of the profile data it showed. Please "
                                     "reload the page (your numbers are below): nothing was saved.")
        elif form.validate_on_submit():
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
                try:
                    changed = services.save_values(current_user, org.id, round_.id, values, seen)
                    db.session.commit()
                    flash(_("The profile data has been saved.") if changed else _("Nothing was changed."), "success")
                    return redirect(request.path)
                except services.StaleProfile as conflict:
                    db.session.rollback()
                    # Saving again now means "keep my numbers": the form carries the revision just seen.
                    stale = {"who": conflict.who, "theirs": _theirs_beside_mine(form, conflict.theirs)}
                    revision, status = conflict.revision, 409
        if seen is not None and stale is None:
            revision = seen  # a refused form keeps the revision it was loaded at
    else:
        for (question_code, category), value in stored.items():
            name = field_name("profile", question_code, category)
            if name in form:
                # isfinite: a value stored before figures were bounded must not break the page that corrects it.
                whole = math.isfinite(value) and value == int(value)
                form[name].data = int(value) if whole and isinstance(form[name], IntegerField) else value

    def described(field) -> dict[str, str]:
        """aria attributes of a field: its error and, after a stale save, the other person's value beside it."""
        ids = ([f"{field.id}-error"] if field.errors else []) + ([f"{field.id}-theirs"] if stale and field.name in stale["theirs"] else [])
        return ({"aria-invalid": "true"} if field.errors else {}) | ({"aria-describedby": " ".join(ids)} if ids else {})

    language = current_language()
    return render_template("profiles/edit.html", described=described, org=org, round=round_, questionnaire=questionnaire, form=form,
                           editable=editable, sum_errors=sum_errors, field_name=field_name, category_labels=CATEGORY_LABELS,
                           breakdown_labels=BREAKDOWN_LABELS, breakdowns=BREAKDOWNS, revision=revision,
                           revision_field=REVISION_FIELD, stale=stale, problem=problem, shown=_shown(form),
                           labels_with_units={q.code: unit_label(q, language) for q in questionnaire.profile},
                           sources=services.value_sources(org.id, round_.id)), status
