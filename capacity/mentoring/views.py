"""The mentoring log: a subject's mentoring and supervision sessions, and the form that records them.

Whoever may see the subject reads its log (staff their own organisation's and its services', mentors those
they support, the programme all); only a mentor who supports it records, corrects or removes a session: a
mentor assigned to the organisation (for its services too) or to the municipality (``access.may_log_mentoring``).
A session supports the plan of a round of the subject's kind: rounds of other kinds are neither offered nor
accepted.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from capacity import access
from capacity.extensions import db
from capacity.mentoring import services
from capacity.mentoring.forms import RemoveForm, SessionForm, mode_label
from capacity.mentoring.models import MentoringSession
from capacity.organisations.models import Organisation
from capacity.parsing import ascii_int
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import by_code, rounds_newest_first
from capacity.templating import current_language

bp = Blueprint("mentoring", __name__)


def plan_url(org_code: str, round_code: str) -> str | None:
    """The plan page of the subject and round (None while that page is not part of the app)."""
    try:
        return url_for("plans.plan", code=org_code, round_code=round_code)
    except BuildError:
        return None


def _questionnaire(round_: AssessmentRound | None):
    if round_ is None:
        return None
    try:
        return definitions_for(round_).questionnaire
    except DefinitionMissing:  # the round's files are gone: codes are shown without titles
        return None


@bp.get("/organisations/<code>/mentoring")
@login_required
def log(code: str):
    """The sessions, newest first, grouped by the round whose plan they support, with totals."""
    org = access.organisation_or_404(code)
    language = current_language()
    sessions = services.sessions_of(org)
    order = {r.id: n for n, r in enumerate(rounds_newest_first())}
    groups: dict[int, list[MentoringSession]] = {}
    for session in sessions:
        groups.setdefault(session.round_id, []).append(session)
    rounds = sorted({s.round_id: s.round for s in sessions}.values(), key=lambda r: order.get(r.id, len(order)))
    titles = {}
    for round_ in rounds:
        questionnaire = _questionnaire(round_)
        titles[round_.id] = {i.code: i.title(language) for i in questionnaire.indicators} if questionnaire else {}
    became = services.actions_from_follow_ups([f.id for s in sessions for f in s.follow_ups])
    return render_template(
        "mentoring/log.html", org=org, groups=[(r, groups[r.id], services.totals(groups[r.id])) for r in rounds],
        overall=services.totals(sessions), titles=titles, became=became, plan_url=plan_url, mode_label=mode_label,
        duration=services.hours_and_minutes, may_log=access.may_log_mentoring(current_user, org))


def _org_for_logging(code: str) -> Organisation:
    """The organisation, if the user may see it (else 404), and may record its sessions (else 403)."""
    org = access.organisation_or_404(code)
    if not access.may_log_mentoring(current_user, org):
        abort(403)
    return org


def _build_form(org: Organisation, chosen: AssessmentRound | None, rounds: list[AssessmentRound]) -> SessionForm:
    form = SessionForm() if request.method == "POST" else SessionForm(formdata=None)
    posted = by_code(form.round_code.data) if request.method == "POST" and isinstance(form.round_code.data, str) \
        and len(form.round_code.data) <= 32 else None
    if posted is not None and posted.subject_kind != org.kind:
        posted = None  # another kind's round: its indicators and plan are not this subject's (the check says so)
    round_ = posted or chosen
    form.set_choices(rounds, round_, _questionnaire(round_),
                     services.plan_actions(org, round_) if round_ else [], current_language())
    return form


def _save(form: SessionForm, org: Organisation, save) -> bool:
    """Read the form, check it with the service and save; False (errors on the fields) when refused."""
    given = form.read()
    form.show(services.check(org, given))
    if form.has_errors:
        return False
    try:
        save(given)
    except services.InvalidSession as refused:  # e.g. the plan changed between the check and the save
        db.session.rollback()
        form.show(refused.problems)
        return False
    return True


@bp.route("/organisations/<code>/mentoring/new", methods=["GET", "POST"])
@login_required
def new(code: str):
    org = _org_for_logging(code)
    rounds = rounds_newest_first(org.kind)
    asked = request.args.get("round", "")
    chosen = (by_code(asked) if isinstance(asked, str) and 0 < len(asked) <= 32 else None)
    if chosen is None or chosen.subject_kind != org.kind:
        chosen = services.default_round(org)
    form = _build_form(org, chosen, rounds)
    if request.method == "GET" and chosen is not None:
        form.round_code.data = chosen.code
    if request.method == "POST" and rounds and not form.reload.data and form.validate_on_submit():
        if _save(form, org, lambda given: services.record_session(current_user, org, given)):
            db.session.commit()
            flash(_("The session has been recorded."), "success")
            return redirect(url_for("mentoring.log", code=org.code))
    return render_template("mentoring/form.html", org=org, form=form, session=None, rounds=rounds,
                           plan_url=plan_url, stale=None, remove=None)


def _session_or_404(org: Organisation, session_id: int) -> MentoringSession:
    session = services.session_or_none(org, session_id)
    if session is None:
        abort(404)
    return session


@bp.route("/organisations/<code>/mentoring/<id:session_id>", methods=["GET", "POST"])
@login_required
def edit(code: str, session_id: int):
    """Correct a session. The form carries the revision it showed: a save after someone else's is refused (409)
    with what is stored now beside the user's values, which stay in the form."""
    org = access.organisation_or_404(code)
    session = _session_or_404(org, session_id)
    if not access.may_log_mentoring(current_user, org):
        abort(403)
    rounds = rounds_newest_first(org.kind)
    form = _build_form(org, session.round, rounds)
    stale, status = None, 200
    if request.method == "GET":
        form.fill_from(session)
    elif not form.reload.data and form.validate_on_submit():
        seen = ascii_int(form.revision.data) if isinstance(form.revision.data, str) else None
        if seen is None:
            form.revision.data = str(session.revision)
            flash(_("The page did not say which version of the session it showed. Please check the values below "
                    "and save again: nothing was saved."), "error")
            status = 400
        else:
            try:
                if _save(form, org, lambda given: _update(session, given, seen)):
                    db.session.commit()
                    return redirect(url_for("mentoring.log", code=org.code))
            except services.StaleSession as conflict:
                db.session.rollback()
                stale = {"who": conflict.who, "theirs": conflict.theirs}
                # Saving again now means "keep my values": the form carries the revision just seen.
                form.revision.data = str(conflict.revision)
                status = 409
    # Removing carries the revision this page shows (the stored one just shown beside a refused save).
    remove = RemoveForm(formdata=None, data={"revision": form.revision.data or str(session.revision)})
    return render_template("mentoring/form.html", org=org, form=form, session=session, rounds=rounds,
                           plan_url=plan_url, stale=stale, remove=remove,
                           mode_label=mode_label, duration=services.hours_and_minutes), status


def _update(session: MentoringSession, given: services.SessionInput, seen: int) -> None:
    saved = services.update_session(current_user, session, given, seen)
    flash(_("The changes to the session have been saved."), "success")
    for text in saved.kept:
        flash(_("The follow-up “%(text)s” became an action of the plan, so it was kept.", text=text),
              "info")


@bp.post("/organisations/<code>/mentoring/<id:session_id>/delete")
@login_required
def delete(code: str, session_id: int):
    """Remove a session recorded by mistake (recorded in the audit trail)."""
    org = access.organisation_or_404(code)
    session = _session_or_404(org, session_id)
    if not access.may_log_mentoring(current_user, org):
        abort(403)
    form = RemoveForm()
    if not form.validate_on_submit():
        abort(400)
    seen = ascii_int(form.revision.data) if isinstance(form.revision.data, str) else None
    back = url_for("mentoring.edit", code=org.code, session_id=session.id)
    if seen is None:
        flash(_("The page did not say which version of the session it showed: nothing was removed. Please check "
                "the session below and remove it again if it should go."), "error")
        return redirect(back)
    held_on = session.held_on
    try:
        services.remove_session(current_user, session, seen)
    except services.StaleSession:
        db.session.rollback()
        flash(_("Someone corrected this session since you opened the page: nothing was removed. Please check the "
                "session as it is now and remove it again if it should go."), "error")
        return redirect(back)
    db.session.commit()
    flash(_("The session of %(date)s has been removed.", date=format_date(held_on, "long")), "success")
    return redirect(url_for("mentoring.log", code=org.code))
