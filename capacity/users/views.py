"""Administrators' pages for accounts."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from capacity import access
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations import services as organisation_services
from capacity.organisations.geography import MUNICIPALITIES
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.subjects.lookup import all_kinds
from capacity.templating import current_language
from capacity.users import services
from capacity.users.forms import ConfirmForm, NewUserForm, PasswordForm, UserForm

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _organisations(user: User | None = None) -> list[Organisation]:
    """The subjects an account can belong to, or a mentor be assigned to: those whose own members see them
    (organisations; a service is seen through its organisation, a municipality through MunicipalityAssignment).
    An account's present choices stay choices."""
    members = [code for code, kind in all_kinds().items() if kind.access == "members"]
    mine = sa.select(MentorAssignment.organisation_id).where(MentorAssignment.mentor_id == (user.id if user else None))
    return list(db.session.scalars(sa.select(Organisation).where(sa.or_(
        Organisation.kind.in_(members), Organisation.id == (user.organisation_id if user else None),
        Organisation.id.in_(mine))).order_by(Organisation.code)))


def _save(form: UserForm, user: User | None) -> User | None:
    """Create or update from a validated form; put service problems on the form's fields."""
    role = Role(form.role.data)
    organisation = organisation_services.by_code(form.organisation.data) if form.organisation.data else None
    assigned = set(form.mentor_organisations.data or [])
    municipalities = list(form.municipalities.data or [])
    try:
        if user is None:
            user = services.create_user(
                current_user, email=form.email.data, display_name=form.display_name.data, role=role,
                password=form.password.data, organisation=organisation, language=form.language.data,
                mentor_organisation_ids=assigned, municipalities=municipalities,
            )
        else:
            services.update_user(
                current_user, user, email=form.email.data, display_name=form.display_name.data, role=role,
                organisation=organisation, language=form.language.data, mentor_organisation_ids=assigned,
                municipalities=municipalities,
            )
    except services.UserProblem as problem:
        db.session.rollback()
        field = getattr(form, problem.field, form.role)
        field.errors = list(field.errors) + [str(problem.message)]
        return None
    return user


def _prefill(form: NewUserForm, organisations: list[Organisation]) -> None:
    """Take the role and organisation from the address, e.g. ``?role=cso&organisation=TEL-01``.

    An organisation's next-steps page links here to create its staff account (the organisation
    chosen) or a mentor account (the organisation ticked); a municipality's page with
    ``?role=cso&municipality=batumi`` (the municipality ticked). Values that are not choices are ignored.
    """
    role = request.args.get("role", "")
    if role not in {choice.value for choice in form.role.choices}:
        return
    form.role.data = role
    if request.args.get("municipality") in MUNICIPALITIES and role in {r.value for r in services.MUNICIPAL_ROLES}:
        form.municipalities.data = [request.args["municipality"]]
    org = next((o for o in organisations if o.code == request.args.get("organisation")), None)
    if org is not None and role == Role.CSO.value:
        form.organisation.data = org.code
    elif org is not None and role == Role.MENTOR.value:
        form.mentor_organisations.data = [org.id]


def _setup_organisation(organisations: list[Organisation]) -> Organisation | None:
    """The organisation whose next-steps page opened this form (``?setup=1&organisation=…``), to go back to."""
    if request.args.get("setup") != "1":
        return None
    return next((o for o in organisations if o.code == request.args.get("organisation")), None)


@bp.get("/")
@access.roles_required(Role.ADMIN)
def index():
    users = list(db.session.scalars(sa.select(User).order_by(User.role, User.display_name)))
    municipalities: dict[int, list[str]] = {}
    for user_id, code in db.session.execute(sa.select(MunicipalityAssignment.user_id, MunicipalityAssignment.municipality)):
        municipalities.setdefault(user_id, []).append(code)
    order = {code: n for n, code in enumerate(MUNICIPALITIES)}
    for codes in municipalities.values():
        codes.sort(key=lambda code: (order.get(code, len(order)), code))
    return render_template("users/index.html", users=users, confirm=ConfirmForm(), municipalities=municipalities)


@bp.route("/new", methods=["GET", "POST"])
@access.roles_required(Role.ADMIN)
def create():
    form = NewUserForm(language=current_language())
    organisations = _organisations()
    form.set_choices(organisations, current_language())
    if request.method == "GET":
        _prefill(form, organisations)
    setup = _setup_organisation(organisations)
    if form.validate_on_submit() and _save(form, None) is not None:
        db.session.commit()
        flash(_("The account has been created."), "success")
        return redirect(url_for("organisations.setup", code=setup.code) if setup else url_for("users.index"))
    return render_template("users/form.html", form=form, user=None, setup=setup)


@bp.route("/<id:user_id>/edit", methods=["GET", "POST"])
@access.roles_required(Role.ADMIN)
def edit(user_id: int):
    user = _user_or_404(user_id)
    form = UserForm(obj=user)
    form.set_choices(_organisations(user), current_language())
    if request.method == "GET":
        form.role.data = user.role.value
        form.organisation.data = user.organisation.code if user.organisation else ""
        form.mentor_organisations.data = list(db.session.scalars(
            sa.select(MentorAssignment.organisation_id).where(MentorAssignment.mentor_id == user.id)))
        form.municipalities.data = services.municipalities_of(user)
    if form.validate_on_submit() and _save(form, user) is not None:
        db.session.commit()
        flash(_("The changes have been saved."), "success")
        return redirect(url_for("users.index"))
    return render_template("users/form.html", form=form, user=user)


@bp.route("/<id:user_id>/password", methods=["GET", "POST"])
@access.roles_required(Role.ADMIN)
def password(user_id: int):
    user = _user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(current_user, user, form.password.data)
        except services.UserProblem as problem:
            form.password.errors = list(form.password.errors) + [str(problem.message)]
            return render_template("users/password.html", form=form, user=user)
        db.session.commit()
        if user.id == current_user.id:
            # A new password ends all of the user's sessions; an administrator changing their
            # own keeps this one (a fresh login with the new generation).
            login_user(user)
        flash(_("The new password has been set."), "success")
        return redirect(url_for("users.index"))
    return render_template("users/password.html", form=form, user=user)


@bp.post("/<id:user_id>/active")
@access.roles_required(Role.ADMIN)
def set_active(user_id: int):
    user = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    active = request.form.get("active") == "1"
    try:
        services.set_active(current_user, user, active)
    except services.UserProblem as problem:
        flash(str(problem.message), "error")
    else:
        db.session.commit()
        flash(_("The account has been reactivated.") if active else _("The account has been deactivated."), "success")
    return redirect(url_for("users.index"))
