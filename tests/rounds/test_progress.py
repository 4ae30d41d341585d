"""The progress grid: status, answered share, last activity and mentors per organisation and track; filters; scope."""
from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timezone

import sqlalchemy as sa

from capacity.assessments.models import Status, Track
from capacity.extensions import db
from tests.conftest import login
from tests.rounds.helpers import RATED, add_assessment, client_as, computed_codes, rated_codes, row


def cells(html: str) -> list[str]:
    """The text of each <td> of a row as a sighted reader sees it: screen-reader-only text and tags removed."""
    html = re.sub(r'<span class="visually-hidden">[^<]*</span>', "", html)
    return [" ".join(re.sub(r"<[^>]+>", " ", td).replace("\u202f", " ").split())
            for td in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def portfolio(app, factory) -> dict:
    """Three organisations in two regions, two mentors, a baseline round with some work done."""
    factory.round("baseline")
    tel, akh, bat = factory.org("TEL-01"), factory.org("AKH-01", municipality="akhmeta"), factory.org("BAT-01", municipality="batumi")
    nino = factory.user("mentor", display_name="Nino Kakheti", language="en")
    levan = factory.user("mentor", display_name="Levan Adjara", language="en")
    factory.assign(nino, tel)
    factory.assign(nino, akh)
    factory.assign(levan, bat)
    codes = rated_codes()
    # TEL-01 self: 10 levels + 1 N/A = 11 answered; a comment without a level and a computed indicator do not count.
    self_answers = [(code, 2, False) for code in codes[:10]] + [(codes[10], None, True), (codes[11], None, False),
                                                                (computed_codes()[0], 3, False)]
    add_assessment(app, tel, "baseline", Track.SELF, Status.SUBMITTED, self_answers,
                   updated_at=datetime(2026, 2, 3, 8, 30, tzinfo=timezone.utc))
    add_assessment(app, tel, "baseline", Track.MENTOR, Status.DRAFT, [(code, 3, False) for code in codes],
                   updated_at=datetime(2026, 2, 1, 9, 0, tzinfo=timezone.utc))
    add_assessment(app, bat, "baseline", Track.SELF, Status.VALIDATED, [(code, 1, False) for code in codes[:RATED // 2]])
    return {"nino": nino, "levan": levan}


def test_grid_shows_status_share_last_activity_and_mentors(app, factory):
    portfolio(app, factory)
    page = client_as(app, factory, "manager").get("/rounds/baseline/progress").get_data(as_text=True)
    assert "<caption>" in page and '<th scope="col">Self-assessment</th>' in page
    code, municipality, self_cell, mentor_cell, consensus_cell, last, mentors = cells(row(page, "TEL-01"))
    assert municipality == "Telavi"
    assert self_cell == "Submitted 20% answered"  # 11 of 55 rated indicators
    assert mentor_cell == "Draft 100% answered"
    assert consensus_cell == "Not started"
    assert last == "2/3/26, 12:30 PM"  # Tbilisi time (UTC+4), the newest of the two
    assert mentors == "Nino Kakheti"
    assert cells(row(page, "BAT-01"))[2] == "Validated 49% answered"  # 27 of 55
    assert cells(row(page, "AKH-01"))[2:5] == ["Not started"] * 3 and cells(row(page, "AKH-01"))[5] == "—"
    assert 'class="badge badge--submitted"' in row(page, "TEL-01")
    assert "Self-assessment: 2 of 3 submitted or validated" in page
    assert "Mentor assessment: 0 of 3 submitted or validated" in page


def test_georgian_page_uses_georgian_number_formats(app, factory):
    portfolio(app, factory)
    client = client_as(app, factory, "manager")
    client.post("/language", data={"language": "ka"})
    page = client.get("/rounds/baseline/progress").get_data(as_text=True)
    assert "03.02.26, 12:30" in page and "20%" in page
    assert "text-transform" not in page


def test_filter_by_municipality_and_by_mentor(app, factory):
    people = portfolio(app, factory)
    client = client_as(app, factory, "manager")
    page = client.get("/rounds/baseline/progress").get_data(as_text=True)
    assert '<optgroup label="Kakheti">' in page and '<option value="akhmeta">Akhmeta</option>' in page
    assert '<label for="municipality">' in page and '<label for="mentor">' in page

    batumi = client.get("/rounds/baseline/progress?municipality=batumi").get_data(as_text=True)
    assert "BAT-01" in batumi and "TEL-01" not in batumi and "AKH-01" not in batumi
    assert '<option selected value="batumi">' in batumi

    nino_id = factory.user_id(people["nino"])
    by_nino = client.get(f"/rounds/baseline/progress?mentor={nino_id}").get_data(as_text=True)
    assert "TEL-01" in by_nino and "AKH-01" in by_nino and "BAT-01" not in by_nino
    assert "Self-assessment: 1 of 2 submitted or validated" in by_nino

    both = client.get(f"/rounds/baseline/progress?mentor={nino_id}&municipality=batumi").get_data(as_text=True)
    assert "No organisation matches these filters." in both

    ignored = client.get("/rounds/baseline/progress?municipality=paris&mentor=abc").get_data(as_text=True)
    assert all(code in ignored for code in ("TEL-01", "AKH-01", "BAT-01"))


def test_mentor_sees_only_assigned_organisations_and_their_mentors(app, factory):
    people = portfolio(app, factory)
    client = client_as(app, factory, "mentor", email="third@example.org")
    assert "No organisation has been assigned to you yet." in client.get("/rounds/baseline/progress").get_data(as_text=True)

    nino = app.test_client()
    login(nino, people["nino"])
    page = nino.get("/rounds/baseline/progress").get_data(as_text=True)
    assert "TEL-01" in page and "AKH-01" in page and "BAT-01" not in page
    assert "Levan Adjara" not in page  # not a mentor of an organisation this mentor sees
    assert 'href="/rounds/"' not in page  # no link to the managers' pages
    levan_id = factory.user_id(people["levan"])
    assert "BAT-01" not in nino.get(f"/rounds/baseline/progress?mentor={levan_id}").get_data(as_text=True)


def test_cso_staff_cannot_open_the_grid(app, factory):
    factory.round("baseline")
    client = client_as(app, factory, "cso", org=factory.org("TEL-01"))
    # "Page not found", as for a round that does not exist: staff do not learn the grid is there.
    refused = client.get("/rounds/baseline/progress")
    assert refused.status_code == 404 and "TEL-01" not in refused.get_data(as_text=True)
    main = re.compile(r"<main.*</main>", re.S)
    assert main.search(refused.get_data(as_text=True)).group(0) == main.search(
        client.get("/rounds/nope/progress").get_data(as_text=True)).group(0)


@contextmanager
def counting_queries(app):
    statements = []

    def count(*_args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)


def test_the_grid_does_not_query_per_organisation(app, factory):
    portfolio(app, factory)
    client = client_as(app, factory, "manager")
    client.get("/rounds/baseline/progress")  # warm up: questionnaire cache, login bookkeeping
    with counting_queries(app) as few:
        client.get("/rounds/baseline/progress")
    for n in range(6):
        org = factory.org(f"KUT-{n:02d}", municipality="kutaisi")
        add_assessment(app, org, "baseline", Track.SELF, answers=[(rated_codes()[0], 1, False)])
        factory.assign(factory.user("mentor"), org)
    with counting_queries(app) as many:
        page = client.get("/rounds/baseline/progress").get_data(as_text=True)
    assert "KUT-05" in page
    assert 0 < len(many) == len(few)


def test_a_round_whose_questionnaire_is_missing_still_shows_its_grid(app, factory):
    factory.round("old")
    with app.app_context():
        db.session.execute(sa.text("UPDATE assessment_rounds SET questionnaire_version = '0.9' WHERE code = 'old'"))
        db.session.commit()
    add_assessment(app, factory.org("TEL-01"), "old", Track.SELF, answers=[(rated_codes()[0], 2, False)])
    page = client_as(app, factory, "manager").get("/rounds/old/progress").get_data(as_text=True)
    assert "is not in the questionnaires folder" in page
    assert cells(row(page, "TEL-01"))[2] == "Draft 1 answer"
