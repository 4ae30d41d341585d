"""The actors of the access matrix and the usual expectations (tests/test_access_matrix.py; features' own rows)."""


ACTORS = ("anonymous", "cso_own", "cso_other", "mentor_assigned", "mentor_unassigned", "manager", "admin")


def expect(anonymous, cso_own, cso_other, mentor_assigned, mentor_unassigned, manager, admin):
    return dict(zip(ACTORS, (anonymous, cso_own, cso_other, mentor_assigned, mentor_unassigned, manager, admin)))


ADMIN_ONLY = expect(302, 403, 403, 403, 403, 403, 200)
ADMIN_ONLY_POST = expect(302, 403, 403, 403, 403, 403, 302)
ORG_SCOPED = expect(302, 200, 404, 200, 404, 200, 200)
SELF_VISIBLE = expect(302, 200, 404, 404, 404, 200, 200)
SELF_EDIT_POST = expect(302, 302, 404, 404, 404, 403, 403)
# Forms whose answers are kept when the login has ended: anonymous gets the login page (401) carrying them.
KEPT_POST = 401
PROGRAMME = expect(302, 403, 403, 403, 403, 200, 200)
PROGRAMME_POST = expect(302, 403, 403, 403, 403, 302, 302)
# The programme's pages under /rounds: staff and mentors get "page not found", so they do not learn they exist.
ROUNDS_PAGE = expect(302, 404, 404, 404, 404, 200, 200)
ROUNDS_POST = expect(302, 404, 404, 404, 404, 302, 302)


# ------------------------------------------------------------------------------------------- subjects of every kind
# The world of tests/test_access_matrix.py's subject-kind rows and tests/subjects (fixture ``subjects_world`` in
# tests/conftest.py): two organisations with a service each, two municipalities; staff and a mentor of organisation A,
# staff of B, a municipal account (staff, no organisation) and a facilitator (a mentor) assigned to Batumi, a
# manager and an administrator. ORG-A and its service are in Batumi too: the Batumi accounts must not see them
# (a service follows its organisation, not its place).

KIND_ACTORS = ("anonymous", "staff_a", "mentor_a", "staff_b", "batumi_staff", "facilitator", "manager", "admin")
SUBJECTS = {"ORG-A": "organisation", "ORG-B": "organisation", "SVC-A1": "service", "SVC-B1": "service",
            "MUN-BATUMI": "municipality", "MUN-MARNEULI": "municipality"}
KIND_ROUNDS = {"organisation": "baseline", "service": "monitoring", "municipality": "benchmark"}
# What each account besides the programme may see (the rules of questionnaires/subjects.yaml, written out), and as
# whom: staff answer the self-assessment, mentors (a facilitator is one) the independent assessment.
SEES = {"staff_a": {"ORG-A", "SVC-A1"}, "mentor_a": {"ORG-A", "SVC-A1"}, "staff_b": {"ORG-B", "SVC-B1"},
        "batumi_staff": {"MUN-BATUMI"}, "facilitator": {"MUN-BATUMI"}}
MENTORS = {"mentor_a", "facilitator"}


def build_subjects_world(factory) -> dict:
    """The subjects, accounts (role -> e-mail) and one open round per kind (KIND_ROUNDS)."""
    org_a, org_b = factory.org("ORG-A", municipality="batumi"), factory.org("ORG-B")
    factory.service("SVC-A1", parent=org_a, municipality="batumi")
    factory.service("SVC-B1", parent=org_b, municipality="marneuli")
    factory.municipality("batumi", code="MUN-BATUMI")
    factory.municipality("marneuli", code="MUN-MARNEULI")
    users = {"staff_a": factory.user("cso", org=org_a), "mentor_a": factory.user("mentor"),
             "staff_b": factory.user("cso", org=org_b), "batumi_staff": factory.user("cso"),
             "facilitator": factory.user("mentor"), "manager": factory.user("manager"), "admin": factory.user("admin")}
    factory.assign(users["mentor_a"], org_a)
    factory.assign_municipality(users["batumi_staff"], "batumi")
    factory.assign_municipality(users["facilitator"], "batumi")
    for kind, code in KIND_ROUNDS.items():
        factory.round(code, subject=kind)
    return {"users": users}
