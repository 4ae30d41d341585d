"""Subjects (organisations, services, municipalities): list and detail for every role; adding and editing for
administrators."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments.models import Track
from capacity.assessments.services import track_states
from capacity.rounds.queries import rounds_newest_first
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.home.todo import overdue_plan_actions
from capacity.timeutil import programme_today
from capacity.organisations import services
from capacity.organisations.forms import MentorsForm, OrganisationForm
from capacity.organisations.geography import MUNICIPALITIES, REGIONS
from capacity.organisations.models import MunicipalityAssignment, Organisation
from capacity.questionnaires.library import load_directory
from capacity.questionnaires.model import KNOWN_LANGUAGES, LANGUAGES
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import all_kinds
from capacity.templating import current_language

bp = Blueprint("organisations", __name__)
# No name or code is longer (OrganisationForm), so a longer search can only be junk; SQLite refuses a LIKE
# pattern over 50,000 bytes, which would reach the user as "database unavailable".
SEARCH_LIMIT = 200


@bp.get("/organisations/")
@login_required
def index():
    query = access.visible_organisations(current_user)
    region = request.args.get("region", "")
    municipality = request.args.get("municipality", "")
    text = request.args.get("q", "").strip()
    kinds = all_kinds()
    kind = request.args.get("kind", "")
    problem = _("The search text is too long: at most %(n)d characters.", n=SEARCH_LIMIT) if len(text) > SEARCH_LIMIT else ""
    kind_problem = _("There is no such kind: choose one from the list.") if kind and kind not in kinds else ""
    if kind in kinds:
        query = query.where(Organisation.kind == kind)
    if municipality in MUNICIPALITIES:
        query = query.where(Organisation.municipality == municipality)
    elif region in REGIONS:
        query = query.where(Organisation.municipality.in_([m.code for m in MUNICIPALITIES.values() if m.region == region]))
    if text and not problem:
        like = f"%{text}%"
        query = query.where(sa.or_(Organisation.code.ilike(like), Organisation.name_ka.ilike(like), Organisation.name_en.ilike(like)))
    organisations = [] if problem or kind_problem else list(db.session.scalars(query))
    listed_kinds = {o.kind for o in organisations}
    # What the count and the empty list call the rows: organisations, unless something else is asked for or listed.
    only_organisations = (kind or next(iter(listed_kinds), DEFAULT_KIND)) == DEFAULT_KIND and len(listed_kinds) < 2
    return render_template(
        "organisations/index.html", organisations=organisations, region=region, municipality=municipality,
        q=text[:SEARCH_LIMIT], search_limit=SEARCH_LIMIT, problem=problem, regions=REGIONS, municipalities=MUNICIPALITIES,
        can_manage=access.can_manage_organisations(current_user), kinds=kinds, kind=kind if kind in kinds else "",
        kind_problem=kind_problem, show_kinds=len(listed_kinds) > 1, only_organisations=only_organisations,
        default_kind=DEFAULT_KIND,
    ), 400 if problem or kind_problem else 200


@bp.get("/organisations/<code>")
@login_required
def detail(code: str):
    org = access.organisation_or_404(code)
    rounds = rounds_newest_first(org.kind)
    states = {r.id: track_states([org.id], r) for r in rounds}
    rule = access.access_rule(org.kind)
    users, municipal_accounts = [], None  # None: not a municipality's page, or not for this viewer
    if access.capabilities(current_user).manage_programme:
        users = list(db.session.scalars(sa.select(User).where(User.organisation_id == org.id).order_by(User.display_name)))
        if rule == "municipality":
            municipal_accounts = municipality_accounts(org.municipality)
    # Mentors are assigned to a subject whose own members see it; a service's are its organisation's.
    mentors = services.mentors_of(org) if rule == "members" else (
        services.mentors_of(org.parent) if rule == "parent" and org.parent is not None else None)
    parent = org.parent
    return render_template(
        "organisations/detail.html", org=org, rounds=rounds, cells=assessment_cells(org, rounds, states),
        tracks=list(Track), mentors=mentors, users=users, municipal_accounts=municipal_accounts,
        parent=parent, parent_visible=parent is not None and access.can_view_organisation(current_user, parent),
        children=visible_children(org), default_kind=DEFAULT_KIND,
        can_manage=access.can_manage_organisations(current_user),
        can_assign_mentors=access.can_manage_programme(current_user) and rule == "members",
        # Whoever sees the organisation sees its plans (read only for the programme): what is late comes first.
        overdue=overdue_plan_actions([org.id], programme_today()),
        content_languages=_other_content_languages(rounds),
    )


def visible_children(org: Organisation) -> list[tuple]:
    """(kind, subjects) of the subjects belonging to ``org`` that the current user may see (an organisation's
    services), one pair per kind in the configured order."""
    children = list(db.session.scalars(access.visible_organisations(current_user)
                                       .where(Organisation.parent_id == org.id)))
    kinds = all_kinds()
    return [(kind, found) for code, kind in kinds.items() if (found := [c for c in children if c.kind == code])]


def municipality_accounts(municipality: str) -> list[User]:
    """The accounts assigned to ``municipality`` (MunicipalityAssignment), by name."""
    return list(db.session.scalars(
        sa.select(User).join(MunicipalityAssignment, MunicipalityAssignment.user_id == User.id)
        .where(MunicipalityAssignment.municipality == municipality).order_by(User.display_name, User.email)))


def _other_content_languages(rounds: list) -> list[tuple[str, str, bool]]:
    """(code, own name, draft) of each content language beyond Georgian and English that a round's questionnaire
    declares: the profile can print the questionnaire's texts in it (``?content=``, checked against the round)."""
    library = load_directory()
    found: dict[str, tuple[str, str, bool]] = {}
    for round_ in rounds:
        questionnaire = library.questionnaire(round_.questionnaire_id, round_.questionnaire_version)
        for code in questionnaire.content_languages if questionnaire else ():
            if code not in LANGUAGES and code not in found:
                found[code] = (code, KNOWN_LANGUAGES[code][1], code in questionnaire.draft_languages)
    return list(found.values())


def assessment_cells(org: Organisation, rounds: list, states: dict) -> dict:
    """Per (round id, track): the badge the current user may see (None: nothing to show) and the page link, if any.

    Staff learn nothing of the mentor's assessment, not even how far it has got,
    and see the agreed assessment only once it is validated.
    """
    cells: dict = {}
    for round_ in rounds:
        sight = access.sight(current_user, org, round_)
        for track in Track:
            state = states[round_.id].get((org.id, track))
            # Whether or not an agreement has been started (which would tell staff the mentor has submitted).
            pending = track == Track.CONSENSUS and not sight.sees(track)
            cells[(round_.id, track)] = {
                # A draft agreement is not the organisation's to see yet: only that it is not validated.
                "shown": sight.shows_status(track), "state": None if pending else state, "pending": pending,
                "link": url_for("assessments.overview", code=org.code, round_code=round_.code, track=track.value)
                if sight.sees(track) else None,
            }
        cells[(round_.id, "profile")] = url_for("profiles.edit", code=org.code, round_code=round_.code)
    return cells


@bp.route("/admin/organisations/new", methods=["GET", "POST"])
@access.roles_required(Role.ADMIN)
def create():
    form = OrganisationForm()
    form.set_choices(current_language(), _possible_parents(None))
    if request.method == "GET" and request.args.get("kind") in all_kinds():
        form.kind.data = request.args["kind"]  # "Add a service" on the list: the kind chosen
    if form.validate_on_submit():
        try:
            org = services.create_organisation(current_user, form.code.data, form.values())
        except services.DuplicateCode:
            form.code.errors.append(_("Another organisation already has this code."))
        except services.SubjectProblem as problem:
            _show(form, problem)
        else:
            db.session.commit()
            if org.kind == DEFAULT_KIND:
                flash(_("The organisation has been added."), "success")
            else:
                flash(_("%(kind)s added: %(name)s.", kind=all_kinds()[org.kind].name.get(current_language()),
                        name=org.name(current_language())), "success")
            # An organisation still needs its staff account and a mentor; other kinds are seen through theirs.
            if access.access_rule(org.kind) == "members":
                return redirect(url_for("organisations.setup", code=org.code))
            return redirect(url_for("organisations.detail", code=org.code))
    return render_template("organisations/form.html", form=form, org=None, default_kind=DEFAULT_KIND,
                           kind_name=_kind_name(form.kind.data))


def _possible_parents(org: Organisation | None) -> list[Organisation]:
    """The subjects another may belong to (of a parent kind), ``org`` itself left out."""
    query = sa.select(Organisation).where(Organisation.kind.in_(services.parent_kinds())).order_by(Organisation.code)
    return [p for p in db.session.scalars(query) if org is None or p.id != org.id]


def _show(form: OrganisationForm, problem: services.SubjectProblem) -> None:
    db.session.rollback()
    field = getattr(form, problem.field, form.kind)
    field.errors = list(field.errors) + [str(problem.message)]


def _kind_name(code: str | None) -> str:
    kind = all_kinds().get(code or "")
    return kind.name.get(current_language()) if kind is not None else ""


@bp.get("/admin/organisations/<code>/setup")
@access.roles_required(Role.ADMIN)
def setup(code: str):
    """What a new organisation still needs before it can start: its staff account and a mentor."""
    org = access.organisation_or_404(code)
    if access.access_rule(org.kind) != "members":  # nobody is assigned to it directly: nothing to set up
        return redirect(url_for("organisations.detail", code=org.code))
    return render_template(
        "organisations/setup.html", org=org, staff=services.staff_of(org), mentors=services.mentors_of(org),
        any_mentor=services.any_mentor_account(),
    )


@bp.route("/admin/organisations/<code>/edit", methods=["GET", "POST"])
@access.roles_required(Role.ADMIN)
def edit(code: str):
    org = access.organisation_or_404(code)
    form = OrganisationForm(obj=org, code=org.code)
    form.set_choices(current_language(), _possible_parents(org), current_kind=org.kind)
    if request.method == "GET":
        form.service_areas.data = org.service_areas
        form.parent.data = org.parent.code if org.parent is not None else ""
    form.code.data = org.code  # the code is stable: never taken from the form
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, org, form.values())
        except services.SubjectProblem as problem:
            _show(form, problem)
            org = access.organisation_or_404(code)  # as stored: the rollback dropped what was set
        else:
            db.session.commit()
            flash(_("The changes have been saved."), "success")
            return redirect(url_for("organisations.detail", code=org.code))
    return render_template("organisations/form.html", form=form, org=org, default_kind=DEFAULT_KIND,
                           kind_name=_kind_name(org.kind))


@bp.route("/organisations/<code>/mentors", methods=["GET", "POST"])
@access.roles_required(*access.PROGRAMME_MANAGEMENT)
def mentors(code: str):
    org = access.organisation_or_404(code)
    if access.access_rule(org.kind) != "members":  # a service's mentors are its organisation's
        abort(404)
    form = MentorsForm()
    form.set_choices(services.mentor_candidates(org))
    if request.method == "GET":
        form.mentors.data = [m.id for m in services.mentors_of(org)]
    # Opened from the next-steps page (an administrator's, after adding the organisation): go back there.
    back = url_for("organisations.setup", code=org.code) if (
        request.args.get("setup") == "1" and access.can_manage_organisations(current_user)
    ) else url_for("organisations.detail", code=org.code)
    if form.validate_on_submit():
        services.set_organisation_mentors(current_user, org, set(form.mentors.data or []))
        db.session.commit()
        flash(_("The mentors of this organisation have been saved."), "success")
        return redirect(back)
    return render_template("organisations/mentors.html", form=form, org=org, back=back)
