"""Who may see and change what: the one place that decides.

Two questions, answered only here:
- Which organisations may a user see? Every view asks. A user who may not see
  an organisation gets 404, so a CSO user who edits a URL learns nothing about
  other organisations, not even whether they exist.
- Of one organisation's assessments in one round, which tracks may this viewer
  see and change, and which numbers do they get? ``sight()`` answers once per
  (viewer, organisation, round) and every surface that shows answers or scores
  (assessment pages, consensus, history, badges, profile, portfolio, exports,
  print-all ZIPs, and the PDF cache keys) reads the answer from it.

The method's rules (see README, "Who sees what, when"):
- Organisation staff see their own self-assessment always, the mentor's
  independent scores never, and the agreed (consensus) assessment only once
  it is validated.
- A mentor scores blind: the self-assessment stays hidden until the mentor's
  own assessment is submitted (when the rubric says so).
- Programme managers and administrators see everything and change no answers.
- A result is *final* only when it comes from a validated consensus (or from the
  track the rubric names first, once submitted); everything else is *provisional*.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import wraps
from typing import Callable, Iterable, Mapping

import sqlalchemy as sa
from flask import abort
from flask_login import current_user, login_required

from capacity.assessments.models import Assessment, Status, Track
from capacity.rounds.definitions import DefinitionMissing, definitions_for
from capacity.auth.models import Role, User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, MunicipalityAssignment, Organisation
from capacity.rounds.models import AssessmentRound
from capacity.subjects.lookup import all_kinds

ALL_ORGANISATIONS = (Role.ADMIN, Role.MANAGER)
# Who runs the programme: sets up rounds and assigns mentors to organisations.
PROGRAMME_MANAGEMENT = (Role.MANAGER, Role.ADMIN)


def is_assigned(user: User, organisation: Organisation) -> bool:
    return db.session.scalar(sa.select(sa.func.count(MentorAssignment.id)).where(
        MentorAssignment.mentor_id == user.id, MentorAssignment.organisation_id == organisation.id)) > 0


def access_rule(kind: str) -> str | None:
    """How access to a subject of ``kind`` is decided (questionnaires/subjects.yaml); None: nobody but the programme."""
    found = all_kinds().get(kind)
    return found.access if found else None


def _rules_by_kind() -> dict[str, list[str]]:
    rules: dict[str, list[str]] = {}
    for kind in all_kinds().values():
        rules.setdefault(kind.access, []).append(kind.code)
    return rules


def assigned_municipalities(user: User) -> list[str]:
    """The municipalities whose assessments ``user`` works on (MunicipalityAssignment)."""
    return list(db.session.scalars(sa.select(MunicipalityAssignment.municipality)
                                   .where(MunicipalityAssignment.user_id == user.id)
                                   .order_by(MunicipalityAssignment.municipality)))


def _member(user: User, organisation: Organisation) -> bool:
    """Staff of the organisation, or a mentor assigned to it (staff of no organisation: of none, not even of an
    organisation not yet saved, whose id is None too)."""
    if user.role == Role.MENTOR:
        return is_assigned(user, organisation)
    return user.role == Role.CSO and user.organisation_id is not None and user.organisation_id == organisation.id


def can_view_organisation(user: User, organisation: Organisation) -> bool:
    """May ``user`` see this subject? Admins and managers see all; others as the subject's kind says:
    an organisation its staff and assigned mentors, a service whoever sees its organisation, a municipality
    the accounts assigned to it (see capacity.subjects.kinds). An inactive account sees nothing."""
    if not _active(user):
        return False
    if user.role in ALL_ORGANISATIONS:
        return True
    if user.role not in (Role.MENTOR, Role.CSO):
        return False
    rule = access_rule(organisation.kind)
    if rule == "members":
        return _member(user, organisation)
    if rule == "parent":
        parent = organisation.parent
        return parent is not None and access_rule(parent.kind) == "members" and _member(user, parent)
    if rule == "municipality":
        return organisation.municipality in assigned_municipalities(user)
    return False


def can_manage_organisations(user: User) -> bool:
    """Adding and editing organisations' records is an administrator's task."""
    return _active(user) and user.role == Role.ADMIN


def can_manage_programme(user: User) -> bool:
    """Setting up rounds and assigning mentors is for programme managers (and administrators)."""
    return _active(user) and user.role in PROGRAMME_MANAGEMENT


def _active(user: User | None) -> bool:
    """A signed-in account that has not been deactivated (an anonymous visitor has no ``active``)."""
    return user is not None and user.is_authenticated and bool(getattr(user, "active", False))


def visible_organisations(user: User) -> sa.Select:
    """A select() of the subjects (of every kind) ``user`` may see, by code: the same rule as can_view_organisation.

    An inactive account sees nothing, whatever its role: a job or page still holding it must not list subjects.
    """
    query = sa.select(Organisation).order_by(Organisation.code)
    if not _active(user):
        return query.where(sa.false())
    if user.role in ALL_ORGANISATIONS:
        return query
    if user.role not in (Role.MENTOR, Role.CSO):
        return query.where(sa.false())
    if user.role == Role.MENTOR:
        members = sa.select(MentorAssignment.organisation_id).where(MentorAssignment.mentor_id == user.id)
    else:  # staff; of no organisation (a municipal account): none, never "id IS NULL"
        members = sa.select(Organisation.id).where(
            Organisation.id == user.organisation_id if user.organisation_id is not None else sa.false())
    rules = _rules_by_kind()
    member_kinds = rules.get("members", [])
    parents = sa.select(Organisation.id).where(Organisation.id.in_(members), Organisation.kind.in_(member_kinds))
    municipalities = sa.select(MunicipalityAssignment.municipality).where(MunicipalityAssignment.user_id == user.id)
    return query.where(sa.or_(
        sa.and_(Organisation.kind.in_(member_kinds), Organisation.id.in_(members)),
        sa.and_(Organisation.kind.in_(rules.get("parent", [])), Organisation.parent_id.in_(parents)),
        sa.and_(Organisation.kind.in_(rules.get("municipality", [])), Organisation.municipality.in_(municipalities)),
    ))


def organisation_or_404(code: str) -> Organisation:
    """The organisation with this code, if the current user may see it; else 404."""
    organisation = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
    if organisation is None or not can_view_organisation(current_user, organisation):
        abort(404)
    return organisation


def roles_required(*roles: Role, refuse: int = 403) -> Callable:
    """Allow the view only to logged-in users with one of ``roles``; others get ``refuse`` (403, or 404 for a
    page whose existence they must not learn)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(refuse)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@dataclass(frozen=True)
class TrackPermissions:
    view: bool
    edit: bool


NO_ACCESS = TrackPermissions(False, False)
DONE = (Status.SUBMITTED, Status.VALIDATED)


def can_reopen(user: User) -> bool:
    return user.is_authenticated and user.role in ALL_ORGANISATIONS


@dataclass(frozen=True)
class Capabilities:
    """What the menus and headings offer a user: templates ask this, never the role."""

    manage_programme: bool = False   # rounds, mentor assignments, portfolio, print-all
    administer: bool = False         # users and organisations' records
    supports_organisations: bool = False  # a mentor: "organisations you support"
    belongs_to_organisation: bool = False  # organisation staff


def capabilities(user: User) -> Capabilities:
    if not user.is_authenticated:
        return Capabilities()
    return Capabilities(manage_programme=user.role in PROGRAMME_MANAGEMENT, administer=user.role == Role.ADMIN,
                        supports_organisations=user.role == Role.MENTOR, belongs_to_organisation=user.role == Role.CSO)


@dataclass(frozen=True)
class Sight:
    """What one viewer may see and change of one organisation's assessments in one round.

    ``viewer_role`` None is the programme itself (the command line, a manager's
    batch job run by the system): it sees everything, like a manager.
    """

    viewer_role: Role | None
    may_view_organisation: bool
    round_is_open: bool
    statuses: Mapping[Track, Status | None] = field(default_factory=dict)
    hide_self: bool = True

    def status(self, track: Track | str) -> Status | None:
        return self.statuses.get(Track(track))

    @property
    def programme(self) -> bool:
        return self.viewer_role is None or self.viewer_role in ALL_ORGANISATIONS

    @property
    def consensus_final(self) -> bool:
        return self.status(Track.CONSENSUS) == Status.VALIDATED

    @property
    def self_revealed(self) -> bool:
        """A mentor sees the self-assessment only after submitting their own (when the rubric hides it)."""
        return not self.hide_self or self.status(Track.MENTOR) in DONE

    @property
    def own_track(self) -> Track | None:
        """The track this viewer answers: staff their self-assessment, a mentor the mentor assessment."""
        return {Role.CSO: Track.SELF, Role.MENTOR: Track.MENTOR}.get(self.viewer_role)

    def permissions(self, track: Track | str) -> TrackPermissions:
        track = Track(track)
        if not self.may_view_organisation:
            return NO_ACCESS
        editable = self.status(track) in (None, Status.DRAFT) and self.round_is_open
        if self.programme:
            return TrackPermissions(True, False)
        if self.viewer_role == Role.CSO:
            if track == Track.SELF:
                return TrackPermissions(True, editable)
            return TrackPermissions(track == Track.CONSENSUS and self.consensus_final, False)
        # A mentor assigned to the organisation.
        mentor_done = self.status(Track.MENTOR) in DONE
        if track == Track.SELF:
            return TrackPermissions(self.self_revealed, False)
        if track == Track.CONSENSUS:
            return TrackPermissions(True, editable and mentor_done)
        return TrackPermissions(True, editable)

    def sees(self, track: Track | str) -> bool:
        return self.permissions(track).view

    def may_edit(self, track: Track | str) -> bool:
        return self.permissions(track).edit

    @property
    def visible_tracks(self) -> tuple[str, ...]:
        return tuple(t.value for t in Track if self.sees(t))

    def shows_status(self, track: Track | str) -> bool:
        """May the viewer know how far a track has got (a badge)? Not of a subject they may not see; and staff
        learn nothing of the mentor's work."""
        if self.viewer_role == Role.CSO:
            return self.may_view_organisation and Track(track) != Track.MENTOR
        return self.may_view_organisation

    def signature(self) -> tuple:
        """Everything about this sight that changes what a report shows (part of the PDF cache key)."""
        return (self.viewer_role.value if self.viewer_role else "programme", self.visible_tracks,
                sorted((t.value, s.value if s else None) for t, s in self.statuses.items()))


def _hide_self(round_: AssessmentRound) -> bool:
    try:
        return definitions_for(round_).rubric.hide_self_until_mentor_submits
    except DefinitionMissing:
        return True  # the safe side: blind scoring


def round_statuses(round_id: int, organisation_ids: Iterable[int]) -> dict[int, dict[Track, Status]]:
    """Status of every track of these organisations in one round, in one query."""
    ids = list(organisation_ids)
    found: dict[int, dict[Track, Status]] = {org_id: {} for org_id in ids}
    if not ids:
        return found
    rows = db.session.execute(sa.select(Assessment.organisation_id, Assessment.track, Assessment.status)
                              .where(Assessment.round_id == round_id, Assessment.organisation_id.in_(ids)))
    for org_id, track, status in rows:
        found[org_id][Track(track)] = Status(status)
    return found


def sight(user: User | None, organisation: Organisation, round_: AssessmentRound,
          statuses: Mapping[Track, Status | None] | None = None) -> Sight:
    """What ``user`` (None: the programme, e.g. the command line) may see of ``organisation`` in ``round_``."""
    if statuses is None:
        statuses = round_statuses(round_.id, [organisation.id])[organisation.id]
    role = None if user is None else user.role
    visible = True if user is None else can_view_organisation(user, organisation)
    return Sight(role, visible, round_.is_open, dict(statuses), _hide_self(round_))


def sights(user: User | None, organisations: list[Organisation], round_: AssessmentRound) -> dict[int, Sight]:
    """``sight`` for many organisations of one round, with one status query (and one visibility query)."""
    statuses = round_statuses(round_.id, [o.id for o in organisations])
    hide_self = _hide_self(round_)
    if user is None or (_active(user) and user.role in ALL_ORGANISATIONS):
        visible_ids = {o.id for o in organisations}
    else:
        ids = [o.id for o in organisations]
        visible_ids = set(db.session.scalars(visible_organisations(user).with_only_columns(Organisation.id)
                                             .where(Organisation.id.in_(ids)))) if ids else set()
    return {org.id: Sight(None if user is None else user.role, org.id in visible_ids, round_.is_open, statuses[org.id],
                          hide_self)
            for org in organisations}


@dataclass(frozen=True)
class ResultChoice:
    """Which track's numbers a viewer gets for one organisation and round, and whether they are final.

    ``track`` None: nothing this viewer may see has answers yet. ``own``: the
    official result is hidden from this viewer (not validated yet), so they get
    their own track instead, always provisional.
    """

    track: str | None
    final: bool
    status: Status | None = None
    own: bool = False

    @property
    def provisional(self) -> bool:
        return self.track is not None and not self.final


def official_track(order: tuple[str, ...], statuses: Mapping[Track, Status | None], answered: set[str]) -> str | None:
    """The rubric's official track: the first in ``order`` that is submitted or validated, else the first with answers.

    The same rule as ``scoring.rollup.official_answers``, so "official" means one thing everywhere.
    """
    for track in order:
        if track in answered and statuses.get(Track(track)) in DONE:
            return track
    return next((track for track in order if track in answered), None)


def is_final(track: str | None, order: tuple[str, ...], status: Status | None) -> bool:
    """A validated consensus is final; so is the track the rubric names first once it is submitted."""
    if track is None or status not in DONE:
        return False
    return (track == Track.CONSENSUS.value and status == Status.VALIDATED) or (bool(order) and track == order[0])


def result_choice(sight_: Sight, order: tuple[str, ...], answered: set[str], prefer: str | None = None) -> ResultChoice:
    """The numbers ``sight_``'s viewer gets: the official track when they may see it, else their own track.

    ``prefer``: a track to use instead of the official one when the viewer sees it
    and it has answers (a baseline compared like with like with a provisional endline).
    """
    if not sight_.may_view_organisation:
        return ResultChoice(None, False)
    if prefer and prefer in answered and sight_.sees(prefer):
        status = sight_.status(prefer)
        return ResultChoice(prefer, is_final(prefer, order, status), status, own=prefer == getattr(sight_.own_track, "value", None))
    chosen = official_track(order, sight_.statuses, answered)
    if chosen is not None and sight_.sees(chosen):
        status = sight_.status(chosen)
        return ResultChoice(chosen, is_final(chosen, order, status), status)
    own = sight_.own_track
    if own is not None and own.value in answered and sight_.sees(own):
        return ResultChoice(own.value, False, sight_.status(own), own=True)
    return ResultChoice(None, False)


def track_permissions(user: User, organisation: Organisation, round_: AssessmentRound, track: Track) -> TrackPermissions:
    """May ``user`` see, and change, this organisation's assessment on ``track`` in a round? (see Sight)"""
    return sight(user, organisation, round_).permissions(track)


def may_edit_profile_data(user: User, organisation: Organisation, round_: AssessmentRound) -> bool:
    """Staff of the organisation and its mentors enter profile data while the round is open."""
    if not round_.is_open or not can_view_organisation(user, organisation):
        return False
    return user.role in (Role.CSO, Role.MENTOR)


def may_edit_plan(user: User, organisation: Organisation) -> bool:
    """A development plan is written by the organisation's staff and its mentors; the programme reads it."""
    return can_view_organisation(user, organisation) and user.role in (Role.CSO, Role.MENTOR)


def may_log_mentoring(user: User, organisation: Organisation) -> bool:
    """Only a mentor who supports the subject (assigned to it, to its organisation or to its municipality)
    records (and corrects) its mentoring sessions."""
    return user.is_authenticated and user.active and user.role == Role.MENTOR and can_view_organisation(user, organisation)


def may_print_portfolio(user: User) -> bool:
    return can_manage_programme(user)
