"""Home: managers and admins see every subject, mentors theirs and what needs them; staff of an organisation go to it.

The list has one section per kind of subject (questionnaires/subjects.yaml) that the user sees any of, each with
the current round of that kind: organisations and services are assessed in rounds of their own.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from capacity import access
from capacity.assessments.models import Track
from capacity.assessments.services import track_states
from capacity.extensions import db
from capacity.home.todo import mentor_todo
from capacity.organisations.models import Organisation
from capacity.rounds.models import AssessmentRound
from capacity.rounds.queries import current_round, rounds_newest_first
from capacity.subjects.kinds import DEFAULT_KIND, SubjectKind
from capacity.subjects.lookup import all_kinds

bp = Blueprint("home", __name__)


@dataclass
class Section:
    """The subjects of one kind the user sees, with the current round of that kind and their states in it."""

    kind: SubjectKind
    subjects: list[Organisation]
    round: AssessmentRound | None
    states: dict = field(default_factory=dict)
    sights: dict = field(default_factory=dict)
    tracks: list = field(default_factory=lambda: list(Track))  # the columns: tracks whose status the user may know


def sections_for(user, subjects: list[Organisation]) -> list[Section]:
    """One Section per configured kind with any of ``subjects``, in the configured order."""
    sections = []
    for code, kind in all_kinds().items():
        members = [s for s in subjects if s.kind == code]
        if not members:
            continue
        round_ = current_round(code)
        states = track_states([s.id for s in members], round_) if round_ else {}
        sights = access.sights(user, members, round_) if round_ else {}
        # Staff learn nothing of the mentor's assessment, not even how far it has got (access.Sight.shows_status).
        viewer = access.Sight(user.role, True, bool(round_ and round_.is_open))
        sections.append(Section(kind, members, round_, states, sights, [t for t in Track if viewer.shows_status(t)]))
    kinds = all_kinds()
    if not sections and DEFAULT_KIND in kinds:  # nothing to see yet: the organisations' round and an empty list
        sections.append(Section(kinds[DEFAULT_KIND], [], current_round(DEFAULT_KIND)))
    return sections


@bp.get("/")
@login_required
def index():
    capabilities = access.capabilities(current_user)
    # Staff of an organisation have one: their home is its page. Staff of a municipal working group (no
    # organisation, assigned municipalities) get the list.
    if capabilities.belongs_to_organisation and current_user.organisation is not None:
        return redirect(url_for("organisations.detail", code=current_user.organisation.code))
    subjects = list(db.session.scalars(access.visible_organisations(current_user)))
    sections = sections_for(current_user, subjects)
    todo = mentor_todo(current_user, subjects, rounds_newest_first()) if capabilities.supports_organisations else None
    return render_template(
        "home/index.html",
        sections=sections,
        # Only organisations (or nothing yet): the page reads as it always did.
        only_organisations=all(s.kind.code == DEFAULT_KIND for s in sections), default_kind=DEFAULT_KIND,
        todo=todo,
    )
