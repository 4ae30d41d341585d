"""Every route × every kind of user, including a CSO user editing the URL to reach another organisation.

Adding a route without adding it to ROUTES makes test_every_route_is_in_the_matrix fail.
"""
from __future__ import annotations

import pytest

from tests.conftest import login

from tests.access_rows import (  # noqa: F401  (the expectations, shared with the features' own rows)
    ACTORS, ADMIN_ONLY, ADMIN_ONLY_POST, KEPT_POST, KIND_ACTORS, KIND_ROUNDS, MENTORS, ORG_SCOPED, PROGRAMME,
    PROGRAMME_POST, ROUNDS_PAGE, ROUNDS_POST, SEES, SELF_EDIT_POST, SELF_VISIBLE, SUBJECTS, expect,
)

ROUND_FORM = {"name_ka": "რაუნდი", "name_en": "Round", "kind": "endline", "starts_on": "2026-09-01",
              "ends_on": "2026-11-30", "questionnaire": "gesi-oca@1.0", "rubric": "gesi-oca-default@1.0"}

# (endpoint, method): (URL with {org} = the target organisation, {user} = a target user id and
# {round} = a round's code, form data, expected)
ROUTES: dict[tuple[str, str], tuple[str, dict, dict]] = {
    ("static", "GET"): ("/static/app.css", {}, expect(200, 200, 200, 200, 200, 200, 200)),
    ("favicon", "GET"): ("/favicon.ico", {}, expect(200, 200, 200, 200, 200, 200, 200)),
    ("auth.login", "GET"): ("/login", {}, expect(200, 302, 302, 302, 302, 302, 302)),
    ("auth.login", "POST"): ("/login", {}, expect(200, 302, 302, 302, 302, 302, 302)),
    ("auth.logout", "POST"): ("/logout", {}, expect(302, 302, 302, 302, 302, 302, 302)),
    ("i18n.set_language", "POST"): ("/language", {"language": "en"}, expect(302, 302, 302, 302, 302, 302, 302)),
    ("home.index", "GET"): ("/", {}, expect(302, 302, 302, 200, 200, 200, 200)),
    ("organisations.index", "GET"): ("/organisations/", {}, expect(302, 200, 200, 200, 200, 200, 200)),
    ("organisations.detail", "GET"): ("/organisations/{org}", {}, ORG_SCOPED),
    ("organisations.create", "GET"): ("/admin/organisations/new", {}, ADMIN_ONLY),
    ("organisations.create", "POST"): ("/admin/organisations/new", {}, ADMIN_ONLY),
    ("organisations.edit", "GET"): ("/admin/organisations/{org}/edit", {}, ADMIN_ONLY),
    ("organisations.edit", "POST"): ("/admin/organisations/{org}/edit", {}, ADMIN_ONLY_POST),
    ("organisations.setup", "GET"): ("/admin/organisations/{org}/setup", {}, ADMIN_ONLY),
    ("users.index", "GET"): ("/admin/users/", {}, ADMIN_ONLY),
    ("users.create", "GET"): ("/admin/users/new", {}, ADMIN_ONLY),
    ("users.create", "POST"): ("/admin/users/new", {}, ADMIN_ONLY),
    ("users.edit", "GET"): ("/admin/users/{user}/edit", {}, ADMIN_ONLY),
    ("users.edit", "POST"): ("/admin/users/{user}/edit", {}, ADMIN_ONLY),
    ("users.password", "GET"): ("/admin/users/{user}/password", {}, ADMIN_ONLY),
    ("users.password", "POST"): ("/admin/users/{user}/password", {}, ADMIN_ONLY),
    ("users.set_active", "POST"): ("/admin/users/{user}/active", {"active": "1"}, ADMIN_ONLY_POST),
    # Assessments: the self-assessment is hidden from the mentor until the mentor's own is submitted;
    # managers and admins read but never write answers. (The round is open; nothing is submitted yet.)
    ("assessments.overview", "GET"): ("/organisations/{org}/assessments/{round}/self/", {}, SELF_VISIBLE),
    ("assessments.domain", "GET"): ("/organisations/{org}/assessments/{round}/self/GOV", {}, SELF_VISIBLE),
    ("assessments.domain", "POST"): ("/organisations/{org}/assessments/{round}/self/GOV", {},
                                     {**SELF_EDIT_POST, "anonymous": KEPT_POST}),
    ("assessments.autosave", "POST"): ("/organisations/{org}/assessments/{round}/self/answers/GOV.01",
                                       {"level": "2", "comment": "", "evidence_url": "", "revision": "0"},
                                       expect(302, 200, 404, 404, 404, 403, 403)),
    ("assessments.submit", "POST"): ("/organisations/{org}/assessments/{round}/self/submit", {}, SELF_EDIT_POST),
    # The summary before submitting: staff who may still submit get it; readers who cannot submit are sent to the
    # overview (302). Nothing is submitted here, so the "what happens next" page sends everyone to the overview.
    ("assessments.review", "GET"): ("/organisations/{org}/assessments/{round}/self/submit", {},
                                    expect(302, 200, 404, 404, 404, 302, 302)),
    ("assessments.submitted", "GET"): ("/organisations/{org}/assessments/{round}/self/submitted", {},
                                       expect(302, 302, 404, 404, 404, 302, 302)),
    ("assessments.reopen", "POST"): ("/organisations/{org}/assessments/{round}/self/reopen", {},
                                     expect(302, 403, 403, 403, 403, 404, 404)),
    ("assessments.history", "GET"): ("/organisations/{org}/assessments/{round}/self/history", {}, SELF_VISIBLE),
    ("assessments.upload_evidence", "POST"): ("/organisations/{org}/assessments/{round}/self/evidence/GOV.01", {},
                                              SELF_EDIT_POST),
    ("assessments.consensus", "GET"): ("/organisations/{org}/assessments/{round}/consensus", {}, ORG_SCOPED),
    ("assessments.consensus", "POST"): ("/organisations/{org}/assessments/{round}/consensus", {},
                                        expect(KEPT_POST, 403, 404, 403, 404, 403, 403)),
    # No evidence file exists in this world: tests/assessments/test_evidence.py checks files across organisations.
    ("assessments.download_evidence", "GET"): ("/evidence/999999", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    ("assessments.delete_evidence", "POST"): ("/evidence/999999/delete", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    # Reports: an organisation's profile for those who may see the organisation; the portfolio for managers.
    ("reports.profile_pdf", "GET"): ("/organisations/{org}/report/{round}.pdf", {}, ORG_SCOPED),
    ("reports.profile_preview", "GET"): ("/organisations/{org}/report/{round}", {}, ORG_SCOPED),
    # The organisation page's report form: sent on to the report (302) for those who may see the organisation.
    ("reports.profile_choice", "GET"): ("/organisations/{org}/report?round={round}&format=pdf", {},
                                        expect(302, 302, 404, 302, 404, 302, 302)),
    ("reports.portfolio_pdf", "GET"): ("/rounds/{round}/portfolio.pdf", {}, ROUNDS_PAGE),
    ("reports.asset", "GET"): ("/report-assets/print.css", {}, expect(200, 200, 200, 200, 200, 200, 200)),
    # Printing all profiles: programme staff only; a job exists only after a start (tests/jobs check them).
    ("jobs.start", "POST"): ("/rounds/{round}/profiles.zip", {}, ROUNDS_POST),
    ("jobs.status", "GET"): ("/jobs/00000000000000000000000000000000", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    ("jobs.progress", "GET"): ("/jobs/00000000000000000000000000000000.json", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    ("jobs.download", "GET"): ("/jobs/00000000000000000000000000000000/download", {}, expect(302, 404, 404, 404, 404, 404, 404)),
    ("profiles.edit", "GET"): ("/organisations/{org}/profile/{round}", {}, ORG_SCOPED),
    # The results page: whoever may see the organisation, each getting what access.result_choice gives them.
    ("results.page", "GET"): ("/organisations/{org}/results/{round}", {}, ORG_SCOPED),
    ("profiles.edit", "POST"): ("/organisations/{org}/profile/{round}", {"sheet_revision": "0"}, expect(KEPT_POST, 302, 404, 302, 404, 403, 403)),
    ("organisations.mentors", "GET"): ("/organisations/{org}/mentors", {}, PROGRAMME),
    ("organisations.mentors", "POST"): ("/organisations/{org}/mentors", {}, PROGRAMME_POST),
    ("rounds.index", "GET"): ("/rounds/", {}, ROUNDS_PAGE),
    ("rounds.create", "GET"): ("/rounds/new", {}, ROUNDS_PAGE),
    ("rounds.create", "POST"): ("/rounds/new", {**ROUND_FORM, "code": "matrix-new"}, ROUNDS_POST),
    ("rounds.edit", "GET"): ("/rounds/{round}/edit", {}, ROUNDS_PAGE),
    ("rounds.edit", "POST"): ("/rounds/{round}/edit", ROUND_FORM, ROUNDS_POST),
    ("rounds.open", "POST"): ("/rounds/{round}/open", {}, ROUNDS_POST),
    # GET: what closing does, and the button that confirms it (the round is still open here).
    ("rounds.close", "GET"): ("/rounds/{round}/close", {}, ROUNDS_PAGE),
    ("rounds.close", "POST"): ("/rounds/{round}/close", {}, ROUNDS_POST),
    ("rounds.repin", "POST"): ("/rounds/{round}/repin", {}, ROUNDS_POST),
    ("rounds.progress", "GET"): ("/rounds/{round}/progress", {}, expect(302, 404, 404, 200, 200, 200, 200)),
    # Exports: mentors get only their assigned organisations' rows (an unassigned mentor: an export without them).
    ("exports.round_xlsx", "GET"): ("/rounds/{round}/export.xlsx", {}, expect(302, 404, 404, 200, 200, 200, 200)),
    ("exports.round_zip", "GET"): ("/rounds/{round}/export.zip", {}, expect(302, 404, 404, 200, 200, 200, 200)),
}

# Each feature keeps its own rows (same format, same world) beside its tests.
from tests.plans.routes import PLAN_ROUTES  # noqa: E402
from tests.mentoring.routes import MENTORING_ROUTES  # noqa: E402
from tests.learning.routes import LEARNING_ROUTES  # noqa: E402
from tests.plans.grid_routes import PLAN_GRID_ROUTES  # noqa: E402
from tests.question_types.routes import QUESTION_TYPE_ROUTES  # noqa: E402
from tests.submissions.routes import SUBMISSIONS_ROUTES  # noqa: E402

for _rows in (PLAN_ROUTES, MENTORING_ROUTES, LEARNING_ROUTES, PLAN_GRID_ROUTES, QUESTION_TYPE_ROUTES, SUBMISSIONS_ROUTES):
    assert not _rows.keys() & ROUTES.keys(), f"routes listed twice: {sorted(_rows.keys() & ROUTES.keys())}"
    ROUTES.update(_rows)


@pytest.fixture
def world(factory):
    """Two organisations; one user of each kind; the mentors assigned to one organisation each."""
    own, other = factory.org("OWN-01"), factory.org("OTH-01", municipality="batumi")
    users = {
        "cso_own": factory.user("cso", org=own),
        "cso_other": factory.user("cso", org=other),
        "mentor_assigned": factory.user("mentor"),
        "mentor_unassigned": factory.user("mentor"),
        "manager": factory.user("manager"),
        "admin": factory.user("admin"),
    }
    factory.assign(users["mentor_assigned"], own)
    factory.assign(users["mentor_unassigned"], other)
    return {"org": own, "user": factory.user_id(users["cso_own"]), "users": users, "round": factory.round("baseline")}


def test_every_route_is_in_the_matrix(app):
    registered = {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    missing = registered - ROUTES.keys()
    assert not missing, f"routes without an access rule in ROUTES: {sorted(missing)}"
    stale = ROUTES.keys() - registered
    assert not stale, f"ROUTES names routes that no longer exist: {sorted(stale)}"


@pytest.mark.parametrize("actor", ACTORS)
def test_each_actor_gets_the_expected_status_on_every_route(app, world, actor):
    failures = []
    client = app.test_client()
    logged_in = False
    for (endpoint, method), (url, data, expected) in ROUTES.items():
        if actor != "anonymous" and not logged_in:
            assert login(client, world["users"][actor]).status_code == 302
            logged_in = True
        logged_in = logged_in and endpoint != "auth.logout"
        target = url.format(org=world["org"], user=world["user"], round=world["round"])
        response = client.open(target, method=method, data=data)
        response.close()
        if response.status_code != expected[actor]:
            failures.append(f"{method} {target} ({endpoint}): {response.status_code}, expected {expected[actor]}")
    assert not failures, "\n".join(failures)


def test_cso_user_cannot_see_another_organisation_in_lists(app, world, factory):
    client = app.test_client()
    login(client, world["users"]["cso_own"])
    page = client.get("/organisations/").get_data(as_text=True)
    assert "OWN-01" in page
    assert "OTH-01" not in page


def test_mentor_sees_only_assigned_organisations_on_home(app, world):
    client = app.test_client()
    login(client, world["users"]["mentor_assigned"])
    page = client.get("/").get_data(as_text=True)
    assert "OWN-01" in page and "OTH-01" not in page


# ---------------------------------------------------------------------------------------------------------------------
# Subjects of every kind: access follows the subject (questionnaires/subjects.yaml). The world is tests/access_rows.py's
# (fixture subjects_world): organisations A and B with a service each, municipalities Batumi and Marneuli, and the
# accounts of KIND_ACTORS. Every route that takes a subject's code is asked about every subject with a round of the
# subject's kind, and must answer as the organisation world's table says for the equivalent actor: an account that
# may see the subject as "own staff" or "assigned mentor", one that may not as "other organisation's staff" or
# "unassigned mentor". The rules are written out (SEES), not read from capacity.access.

# Where a subject's kind changes the answer for reasons other than who may see it: (endpoint, method, kind) ->
# {actor: status}. Mentors are assigned to organisations only (a service is supported by its organisation's mentors,
# a municipality by the accounts assigned to it), so the mentors page exists for organisations only, and a subject
# nobody is assigned to directly has nothing to set up (the setup page sends the administrator to its page).
# A service's record without its organisation (the empty form posted here) is shown again with the error.
NO_MENTORS = {"manager": 404, "admin": 404}
KIND_EXCEPTIONS: dict[tuple[str, str, str], dict[str, int]] = {
    **{("organisations.mentors", method, kind): NO_MENTORS for method in ("GET", "POST")
       for kind in ("service", "municipality")},
    **{("organisations.setup", "GET", kind): {"admin": 302} for kind in ("service", "municipality")},
    ("organisations.edit", "POST", "service"): {"admin": 200},
}


def as_actor(actor: str, subject: str) -> str:
    """The organisation world's actor whose expected answers apply to ``actor`` looking at ``subject``."""
    if actor not in SEES:
        return actor
    seen = subject in SEES[actor]
    if actor in MENTORS:
        return "mentor_assigned" if seen else "mentor_unassigned"
    return "cso_own" if seen else "cso_other"


def expected_for(actor: str, subject: str, endpoint: str, method: str, expected: dict[str, int]) -> int:
    exception = KIND_EXCEPTIONS.get((endpoint, method, SUBJECTS[subject]), {})
    return exception.get(actor, expected[as_actor(actor, subject)])


def _first_codes(kind: str) -> tuple[str, str]:
    """The first domain and the first scale indicator of the instrument a round of ``kind`` uses."""
    from capacity.questionnaires.library import load_directory
    from tests.factories import instrument

    qid, version, _, _ = instrument(kind)
    questionnaire = load_directory().questionnaire(qid, version)
    domain = questionnaire.domains[0]
    return domain.code, next(i.code for i in domain.indicators if i.has_levels and i.computed is None)


def for_kind(value, kind: str):
    """A URL or form value of the organisation world, for a subject of ``kind``: its round and its codes."""
    if not isinstance(value, str):
        return value
    domain, indicator = _first_codes(kind)
    if value == "baseline":  # a form naming the round (a mentoring session's)
        return KIND_ROUNDS[kind]
    return value.replace("GOV.01", indicator).replace("/GOV", f"/{domain}")


SUBJECT_ROUTES = {key: row for key, row in ROUTES.items() if "{org}" in row[0]}


def _ask(app, actor: str, users: dict, cases) -> list[str]:
    """Ask every (URL, method, data, expected status) of ``cases`` as ``actor``; the answers that differ."""
    client = app.test_client()
    if actor != "anonymous":
        assert login(client, users[actor]).status_code == 302
    failures = []
    for endpoint, method, url, data, expected in cases:
        response = client.open(url, method=method, data=data)
        response.close()
        if response.status_code != expected:
            failures.append(f"{method} {url} ({endpoint}): {response.status_code}, expected {expected}")
    return failures


@pytest.mark.parametrize("actor", KIND_ACTORS)
def test_access_follows_the_subject_of_every_kind(app, subjects_world, actor):
    """Each account reaches exactly the subjects the rules give it, on every route that takes a subject's code."""
    cases = []
    for subject, kind in SUBJECTS.items():
        for (endpoint, method), (url, data, expected) in SUBJECT_ROUTES.items():
            target = for_kind(url.format(org=subject, user=0, round="{round}"), kind).format(round=KIND_ROUNDS[kind])
            cases.append((endpoint, method, target, {k: for_kind(v, kind) for k, v in data.items()},
                          expected_for(actor, subject, endpoint, method, expected)))
    failures = _ask(app, actor, subjects_world["users"], cases)
    assert not failures, f"{actor}:\n" + "\n".join(failures)


# A subject's pages in a round of another kind do not exist: an organisation round has no page for a service, etc.
MISMATCHED = [("SVC-A1", "baseline"), ("ORG-A", "monitoring"), ("MUN-BATUMI", "monitoring"), ("SVC-A1", "benchmark"),
              ("ORG-A", "benchmark"), ("MUN-BATUMI", "baseline")]


@pytest.mark.parametrize("actor", ("staff_a", "mentor_a", "batumi_staff", "facilitator", "manager", "admin"))
def test_a_round_of_another_kind_has_no_page_for_the_subject(app, subjects_world, actor):
    """Every route that takes a subject and a round answers 404 when the round assesses another kind of subject,
    also to the programme and to the subject's own staff and mentor (a route that refuses the account's role
    whatever the subject, such as reopening for staff, keeps its 403)."""
    rows = {key: row for key, row in SUBJECT_ROUTES.items() if "{round}" in row[0]}
    cases = []
    for subject, round_code in MISMATCHED:
        kind = SUBJECTS[subject]
        for (endpoint, method), (url, data, expected) in rows.items():
            target = for_kind(url.format(org=subject, user=0, round="{round}"), kind).format(round=round_code)
            equivalents = ("mentor_assigned", "mentor_unassigned") if actor in MENTORS else ("cso_own", "cso_other")
            by_role = actor in SEES and {expected[e] for e in equivalents} == {403}
            cases.append((endpoint, method, target, {k: for_kind(v, kind) for k, v in data.items()},
                          403 if by_role else 404))
    failures = _ask(app, actor, subjects_world["users"], cases)
    assert not failures, f"{actor}:\n" + "\n".join(failures)


@pytest.mark.parametrize("actor", sorted(SEES))
def test_lists_name_only_the_subjects_the_account_may_see(app, subjects_world, actor):
    """The subjects list and the home page name the subjects the account may see and no other, of any kind."""
    client = app.test_client()
    assert login(client, subjects_world["users"][actor]).status_code == 302
    problems = []
    for url in ("/organisations/", "/"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        shown = {code for code in SUBJECTS if code in page}
        if url == "/organisations/" and shown != SEES[actor]:
            problems.append(f"{url} names {sorted(shown)}, expected {sorted(SEES[actor])}")
        if not shown <= SEES[actor]:
            problems.append(f"{url} names {sorted(shown - SEES[actor])}, which {actor} may not see")
    assert not problems, f"{actor}:\n" + "\n".join(problems)
