"""Junk in every field of the session form never gives a 500, and a refused form saves nothing."""
from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sqlalchemy as sa

from capacity.extensions import db
from capacity.mentoring.models import MentoringSession
from tests.mentoring.conftest import LOG, VALID

JUNK = ["", " ", "٣", "²", "-1", "-0", "1_000", "1e9", "nan", "inf", "9" * 400, "0x10", "1.5.5", "2026-13-45",
        "9999-12-31", "0001-01-01", "<script>alert(1)</script>", "\u202e", "x" * 20_000, "\ud800".encode(
            "utf-8", "surrogatepass").decode("utf-8", "replace"), "GOV.01;FIN.01", "%(n)s", "{{ 7*7 }}"]
FIELDS = list(VALID) + ["indicators", "action_ids", "revision", "reload"]
# The correction form reads the same fields through the same checks: these values (digits that are not ASCII,
# numbers too large, a date out of range, a NUL-free surrogate, an over-long text) are enough to reach its own code.
EDIT_JUNK = ["٣", "9" * 400, "9999-12-31", JUNK[19], "x" * 20_000]


def _count(mw) -> int:
    with mw.app.app_context():
        return db.session.scalar(sa.select(sa.func.count(MentoringSession.id)))


def _check(client, url, data, count_before, mw) -> list[str]:
    response = client.post(url, data=data)
    problems = []
    if response.status_code >= 500:
        problems.append(f"{url} {data!r:.200}: {response.status_code}")
    if response.status_code == 200 and _count(mw) != count_before:
        problems.append(f"{url} {data!r:.200}: refused but saved")
    return problems


def test_a_sweep_of_junk_in_each_field_never_breaks_the_form(mw):
    session_id = mw.record()
    client = mw.client("mentor")
    problems = []
    for name in FIELDS:
        for value in JUNK:
            problems += _check(client, f"{LOG}/new", {**VALID, name: value}, _count(mw), mw)
        for value in EDIT_JUNK:
            problems += _check(client, f"{LOG}/{session_id}", {**VALID, "revision": "1", name: value}, _count(mw), mw)
        # The same name sent many times.
        problems += _check(client, f"{LOG}/new", {**VALID, name: ["1", "2", "x"]}, _count(mw), mw)
    assert not problems, "\n".join(problems[:20])


def test_junk_session_ids_and_codes_are_404_not_500(mw):
    client = mw.client("mentor")
    for url in (f"{LOG}/99999999999999999999", f"{LOG}/-1", f"{LOG}/abc", "/organisations/%00/mentoring",
                "/organisations/" + "x" * 5000 + "/mentoring/new", f"{LOG}/new?round=" + "y" * 5000,
                f"{LOG}/new?round=%FF"):
        assert client.get(url).status_code in (400, 404, 200), url
        assert client.get(url).status_code < 500, url


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=30) | st.sampled_from(JUNK), max_size=8))
def test_any_combination_of_values_never_gives_a_500(mw, junk):
    response = mw.client("mentor").post(f"{LOG}/new", data={**VALID, **junk})
    assert response.status_code < 500, junk
