"""capacity.access for subjects of every kind: the three ways of asking "who sees this subject" agree with the rules
(questionnaires/subjects.yaml) and with each other; the account's role decides its track; an inactive account sees
nothing, whatever its role, and an account deactivated mid-session loses its pages at the next request.

The world is tests/access_rows.py's (fixture ``subjects_world``).
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from capacity import access
from capacity.assessments.models import Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.organisations.models import MentorAssignment, Organisation
from capacity.rounds.models import AssessmentRound
from tests.access_rows import KIND_ROUNDS, SEES, SUBJECTS
from tests.conftest import login

PROGRAMME = ("manager", "admin")


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _subjects() -> list[Organisation]:
    return list(db.session.scalars(sa.select(Organisation).order_by(Organisation.code)))


def _round(kind: str) -> AssessmentRound:
    return db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == KIND_ROUNDS[kind]))


def seen_three_ways(user: User) -> tuple[set[str], set[str], set[str]]:
    """The subjects ``user`` may see by can_view_organisation, by visible_organisations, and by sights."""
    subjects = _subjects()
    one = {s.code for s in subjects if access.can_view_organisation(user, s)}
    query = {s.code for s in db.session.scalars(access.visible_organisations(user))}
    by_sight = set()
    for kind in KIND_ROUNDS:
        of_kind = [s for s in subjects if s.kind == kind]
        sights = access.sights(user, of_kind, _round(kind))
        by_sight |= {s.code for s in of_kind if sights[s.id].may_view_organisation}
    return one, query, by_sight


@pytest.mark.parametrize("account", [*sorted(SEES), *PROGRAMME])
def test_each_account_sees_the_subjects_the_rules_give_it_three_ways(app, subjects_world, account):
    expected = SEES.get(account, set(SUBJECTS))
    with app.app_context():
        one, query, by_sight = seen_three_ways(_user(subjects_world["users"][account]))
    assert one == expected, f"can_view_organisation: {sorted(one)}"
    assert query == expected, f"visible_organisations: {sorted(query)}"
    assert by_sight == expected, f"sights: {sorted(by_sight)}"


@pytest.mark.parametrize("account, subject, own", [
    ("staff_a", "SVC-A1", Track.SELF), ("mentor_a", "SVC-A1", Track.MENTOR),
    ("batumi_staff", "MUN-BATUMI", Track.SELF), ("facilitator", "MUN-BATUMI", Track.MENTOR),
])
def test_the_role_decides_the_track_for_every_kind(app, subjects_world, account, subject, own):
    """Staff answer the self-assessment and never see the independent one; a mentor (a facilitator) scores blind."""
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == subject))
        sight = access.sight(_user(subjects_world["users"][account]), org, _round(org.kind))
        assert sight.own_track == own
        assert sight.hide_self, "the new rubrics hide the self-assessment until the mentor track is submitted"
        assert sight.may_edit(own)
        if own == Track.SELF:
            assert not sight.sees(Track.MENTOR) and not sight.shows_status(Track.MENTOR)
            assert not sight.sees(Track.CONSENSUS), "the agreement is not validated"
        else:
            assert not sight.sees(Track.SELF), "blind: the mentor track is not submitted"
            assert not sight.may_edit(Track.SELF)


@pytest.mark.parametrize("account", [*sorted(SEES), *PROGRAMME])
def test_an_inactive_account_sees_nothing_whatever_its_role(app, subjects_world, account):
    with app.app_context():
        user = _user(subjects_world["users"][account])
        user.active = False
        db.session.commit()
        assert seen_three_ways(user) == (set(), set(), set())
        subjects = _subjects()
        assert not any(access.may_log_mentoring(user, s) for s in subjects)
        assert not any(access.may_edit_plan(user, s) for s in subjects)
        assert not access.can_manage_programme(user) and not access.can_manage_organisations(user)
        assert not any(access.sight(user, s, _round(s.kind)).shows_status(t) for s in subjects for t in Track)


def test_staff_without_an_organisation_or_municipality_see_no_subject(app, subjects_world, factory):
    """A staff account with no organisation (a municipal account not yet assigned) matches nothing: its empty
    organisation is no subject's, in Python or in SQL."""
    email = factory.user("cso")
    with app.app_context():
        assert seen_three_ways(_user(email)) == (set(), set(), set())


def test_a_mentor_assigned_directly_to_a_service_or_municipality_gets_nothing_from_it(app, subjects_world):
    """Mentors are assigned to organisations; a stray assignment to another kind of subject opens nothing, and
    every way of asking agrees."""
    with app.app_context():
        staff_b = _user(subjects_world["users"]["staff_b"])
        mentor = _user(subjects_world["users"]["facilitator"])
        for code in ("SVC-B1", "MUN-MARNEULI"):
            subject = db.session.scalar(sa.select(Organisation).where(Organisation.code == code))
            db.session.add(MentorAssignment(mentor_id=mentor.id, organisation_id=subject.id))
        db.session.commit()
        assert seen_three_ways(mentor) == ({"MUN-BATUMI"},) * 3
        assert seen_three_ways(staff_b) == ({"ORG-B", "SVC-B1"},) * 3


def test_a_subject_of_a_kind_no_longer_configured_is_the_programmes_only(app, subjects_world):
    with app.app_context():
        service = db.session.scalar(sa.select(Organisation).where(Organisation.code == "SVC-A1"))
        municipality = db.session.scalar(sa.select(Organisation).where(Organisation.code == "MUN-BATUMI"))
        service.kind, municipality.kind = "school", "district"
        db.session.commit()
        for account in ("staff_a", "mentor_a", "batumi_staff", "facilitator"):
            user = _user(subjects_world["users"][account])
            one = {s.code for s in _subjects() if access.can_view_organisation(user, s)}
            query = {s.code for s in db.session.scalars(access.visible_organisations(user))}
            assert one == query == SEES[account] - {"SVC-A1", "MUN-BATUMI"}, account
        manager = _user(subjects_world["users"]["manager"])
        assert {"SVC-A1", "MUN-BATUMI"} <= {s.code for s in db.session.scalars(access.visible_organisations(manager))}


@pytest.mark.parametrize("how", ("deactivated by an administrator", "flag cleared in the database"))
@pytest.mark.parametrize("account, subject", [("batumi_staff", "MUN-BATUMI"), ("staff_a", "SVC-A1"),
                                              ("facilitator", "MUN-BATUMI"), ("manager", "SVC-B1")])
def test_an_account_deactivated_mid_session_loses_its_pages(app, subjects_world, account, subject, how):
    from capacity.users import services as users

    client = app.test_client()
    assert login(client, subjects_world["users"][account]).status_code == 302
    page = client.get(f"/organisations/{subject}")
    assert page.status_code == 200 and subject in page.get_data(as_text=True)
    with app.app_context():
        user = _user(subjects_world["users"][account])
        if how == "flag cleared in the database":  # no session ended: the access rules alone must refuse
            user.active = False
        else:
            users.set_active(_user(subjects_world["users"]["admin"]), user, False)
        db.session.commit()
    for url in (f"/organisations/{subject}", f"/organisations/{subject}/results/{KIND_ROUNDS[SUBJECTS[subject]]}",
                "/organisations/", "/"):
        response = client.get(url)  # sent to the login page, which shows nothing of the subject
        assert response.status_code == 302 and response.location.startswith("/login"), (url, response.status_code)
