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
