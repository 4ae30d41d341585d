"""Every route × every kind of user, including a CSO user editing the URL to reach another organisation.

Adding a route without adding it to ROUTES makes test_every_route_is_in_the_matrix fail.
"""
from __future__ import annotations

import pytest

from tests.conftest import login

from tests.access_rows import (  # noqa: F401  (the expectations, shared with the features' own rows)
    ACTORS, ADMIN_ONLY, ADMIN_ONLY_POST, KEPT_POST, ORG_SCOPED, PROGRAMME, PROGRAMME_POST, ROUNDS_PAGE, ROUNDS_POST,
    SELF_EDIT_POST, SELF_VISIBLE, expect,
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
