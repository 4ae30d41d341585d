"""Programme managers set up assessment rounds, open and close them, and follow their progress."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from capacity import access
from capacity.assessments.models import Track
from capacity.assessments.results import definition_changes
from capacity.organisations.models import Organisation
from capacity.rounds.queries import round_or_404, rounds_newest_first
from capacity.extensions import db
from capacity.questionnaires.checker import DefinitionError
from capacity.questionnaires.library import load_directory
from capacity.rounds import grid, services
from capacity.rounds.definitions import version_titles
from capacity.rounds.guards import programme_only, progress_readers
from capacity.rounds.forms import NewRoundForm, ProgressFilterForm, RoundActionForm, RoundForm
from capacity.reporting.wording import wording
from capacity.templating import current_language

bp = Blueprint("rounds", __name__, url_prefix="/rounds")


def _show_problem(form: RoundForm, problem: services.RoundProblem) -> None:
    field = getattr(form, problem.field, None) or form.questionnaire
    field.errors = list(field.errors) + [str(problem.message)]


@bp.get("/")
@programme_only
def index():
    rounds = rounds_newest_first()
    try:
        library = load_directory()
        changes = definition_changes(rounds)
    except DefinitionError:  # invalid files: the pages that need them say so; the list still shows
        library, changes = None, {}
    language = current_language()
    titles = {r.id: version_titles(r, library, language) for r in rounds} if library else {}
    return render_template("rounds/index.html", rounds=rounds, action=RoundActionForm(), changes=changes,
                           titles=titles, words={r.id: wording(r.subject_kind, language) for r in rounds})


@bp.post("/<code>/repin")
@programme_only
def repin(code: str):
    """Accept the current questionnaire and rubric files for a round whose files changed (recorded)."""
    round_ = round_or_404(code)
    if not RoundActionForm().validate_on_submit():
        abort(400)
    name = round_.name(current_language())
    changed = services.repin_round(current_user, round_, load_directory())
    db.session.commit()
    if changed:
        flash(ngettext("The round “%(name)s” is re-pinned: %(num)d assessment is now scored against the current "
                       "questionnaire and rubric files.",
                       "The round “%(name)s” is re-pinned: %(num)d assessments are now scored against the current "
                       "questionnaire and rubric files.", changed, name=name), "success")
    else:
        flash(_("The round “%(name)s” already uses the current questionnaire and rubric files; nothing was changed.",
                name=name), "info")
    return redirect(url_for("rounds.index"))


@bp.route("/new", methods=["GET", "POST"])
@programme_only
def create():
    library = load_directory()
    form = NewRoundForm()
    form.set_choices(library, current_language())
    if form.validate_on_submit():
        try:
            services.create_round(current_user, form.code.data, form.values(), library)
        except services.RoundProblem as problem:
            _show_problem(form, problem)
        except IntegrityError:  # another manager saved the same code a moment earlier
            db.session.rollback()
            _show_problem(form, services.RoundProblem("code", services.TAKEN_CODE))
        else:
            db.session.commit()
            flash(_("The round has been created. It stays closed until you open it."), "success")
            return redirect(url_for("rounds.index"))
    return render_template("rounds/form.html", form=form, round=None, locked=False)


@bp.route("/<code>/edit", methods=["GET", "POST"])
@programme_only
def edit(code: str):
    round_ = round_or_404(code)
    library = load_directory()
    form = RoundForm(obj=round_)
    form.set_choices(library, current_language(), current=round_)
    if request.method == "GET":
        form.fill_from(round_)
    locked = services.has_assessments(round_)
    if form.validate_on_submit():
        try:
            services.update_round(current_user, round_, form.values(), library)
        except services.RoundProblem as problem:
            _show_problem(form, problem)
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("rounds.index"))
    return render_template("rounds/form.html", form=form, round=round_, locked=locked)


def _set_open(code: str, is_open: bool):
    round_ = round_or_404(code)
    if not RoundActionForm().validate_on_submit():
        abort(400)
    name = round_.name(current_language())
    if services.set_open(current_user, round_, is_open):
        db.session.commit()
        if is_open:
            flash(_("The round “%(name)s” is now open.", name=name), "success")
        else:
            flash(_("The round “%(name)s” is now closed.", name=name), "success")
    elif is_open:
        flash(_("The round “%(name)s” was already open.", name=name), "info")
    else:
        flash(_("The round “%(name)s” was already closed.", name=name), "info")
    return redirect(url_for("rounds.index"))


@bp.post("/<code>/open", endpoint="open")
@programme_only
def open_round(code: str):
    return _set_open(code, True)


@bp.route("/<code>/close", endpoint="close", methods=["GET", "POST"])
@programme_only
def close_round(code: str):
    """GET: what closing does, and a button to confirm it; POST (that button): close the round."""
    if request.method == "POST":
        return _set_open(code, False)
    round_ = round_or_404(code)
    if not round_.is_open:
        flash(_("The round “%(name)s” was already closed.", name=round_.name(current_language())), "info")
        return redirect(url_for("rounds.index"))
    return render_template("rounds/close.html", round=round_, action=RoundActionForm(),
                           unfinished=services.unfinished(round_), words=wording(round_.subject_kind, current_language()))


@bp.get("/<code>/progress")
@progress_readers
def progress(code: str):
    round_ = round_or_404(code)
    language = current_language()
    # Only the subjects of the kind the round assesses: an organisation round lists no services. Their parents come
    # with them: a service's mentors are its organisation's.
    visible = list(db.session.scalars(access.visible_organisations(current_user)
                                      .where(Organisation.kind == round_.subject_kind)
                                      .options(selectinload(Organisation.parent))))
    words = wording(round_.subject_kind, language)
    form = ProgressFilterForm(formdata=request.args)
    form.set_choices(language, services.mentors_of_organisations(visible), None if words.default else words.name)
    municipality, mentor_id = form.chosen()
    chosen = grid.sorting(form.sort.data, form.order.data)
    organisations = services.filter_organisations(visible, municipality, mentor_id)
    library = load_directory()
    found = services.progress(round_, organisations, library)
    regions, overall = grid.totals(found.rows)
    # The header links keep the filters and ask for the other order on the column already sorted by.
    filters = {"municipality": municipality, "mentor": mentor_id}
    sort_urls = {key: url_for("rounds.progress", code=round_.code, **filters, sort=toggled.key, order=toggled.order)
                 for key in grid.SORT_KEYS for toggled in [chosen.toggled(key)]}
    return render_template(
        "rounds/progress.html", round=round_, grid=found, rows=grid.sort_rows(found.rows, chosen, language),
        sorting=chosen, sort_urls=sort_urls, regions=regions, overall=overall,
        sights=access.sights(current_user, organisations, round_), titles=version_titles(round_, library, language),
        form=form, tracks=list(Track), filtered=bool(municipality or mentor_id),
        can_manage=access.can_manage_programme(current_user), words=words,
    )
