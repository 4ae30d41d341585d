"""The results page in the app: each role gets the numbers the method lets it see, and says what they are.

Levels are uniform per track, so each track's overall index is recognisable: in round "baseline" the
self-assessment is level 1 (1.00), the mentor assessment level 4 (4.00), the agreement level 2 (2.00);
in the earlier round every track is level 3 (3.00).
"""
from __future__ import annotations

import re

from capacity.assessments.models import Track
from tests.assessments.helpers import (add_earlier_round, client_for, in_english, people, text,  # noqa: F401
                                       with_track)

URL = "/organisations/OWN-01/results/baseline"


def headline(response) -> list[tuple[str, str, str, str]]:
    """The overall-index table: (round, whose assessment, index, status) per row."""
    page = response.get_data(as_text=True)
    table = re.search(r'<table class="cards result-headline">.*?</table>', page, re.S).group(0)
    rows = []
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table, re.S):
        cells = [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in re.split(r"</th>|</td>", row)]
        rows.append((cells[0], cells[1], cells[2], cells[4]))
    return rows


def earlier_round_all_at_three(app, people) -> None:
    add_earlier_round(app)
    with_track(app, people["cso"], Track.SELF, 3, submit=True, round_code="earlier")
    with_track(app, people["mentor"], Track.MENTOR, 3, submit=True, round_code="earlier")
    with_track(app, people["mentor"], Track.CONSENSUS, 3, submit=True, round_code="earlier")


def before_validation(app, people) -> None:
    with_track(app, people["cso"], Track.SELF, 1, submit=True)
    with_track(app, people["mentor"], Track.MENTOR, 4, submit=True)
    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=False)


def test_staff_before_validation_see_their_own_self_assessment_labelled_provisional(app, people):
    earlier_round_all_at_three(app, people)
    before_validation(app, people)
    response = in_english(client_for(app, people["cso"])).get(URL)
    assert response.status_code == 200
    page = text(response)
    assert "Your self-assessment results: Round baseline" in page
    assert "Your own self-assessment, provisional." in page
    assert "the mentor has not verified them" in page
    # Like with like: their own self-assessment now against their own self-assessment then.
    assert headline(response) == [
        ("Baseline 2025", "Self-assessment", "3.00", "Provisional: self-assessment only, not verified."),
        ("Round baseline", "Self-assessment", "1.00", "Provisional: self-assessment only, not verified."),
        ("Change", "—", "-2.00", "—")]
    assert not re.search(r"(?<![\d.+-])(4|2)\.00", page)  # neither the mentor's index nor the agreement's
    for hidden in ("Mentor assessment", "why GOV.01", "Final result"):
        assert hidden not in page, hidden


def test_staff_after_validation_see_the_agreed_results_against_the_agreed_baseline(app, people):
    earlier_round_all_at_three(app, people)
    before_validation(app, people)
    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=True)
    response = in_english(client_for(app, people["cso"])).get(URL)
    page = text(response)
    assert "Results: Round baseline" in page and "Your own self-assessment" not in page
    assert headline(response) == [
        ("Baseline 2025", "Agreed assessment", "3.00", "Final result: the agreed assessment, validated."),
        ("Round baseline", "Agreed assessment", "2.00", "Final result: the agreed assessment, validated."),
        ("Change", "—", "-1.00", "—")]
    assert "GOV Governance and leadership 3.00 2.00 -1.00" in page
    assert "Strongest indicators" in page and "Weakest indicators" in page
    assert "Level 2 — Developing: „" in page  # each quoted with the descriptor of the level reached
    # Where the agreement differs from what they said themselves, with the agreed rationale; never the mentor's own.
    assert "Where the agreed assessment differs from your self-assessment" in page
    assert "why GOV.01" in page
    assert "4.00" not in page and "Mentor assessment" not in page
    body = response.get_data(as_text=True)
    assert 'href="/organisations/OWN-01/report/baseline.pdf?lang=en"' in body
    assert 'href="/organisations/OWN-01/report/baseline?lang=en"' in body
    assert 'href="/organisations/OWN-01/results/earlier">Baseline 2025</a>' in body


def test_the_results_page_in_georgian(app, people):
    before_validation(app, people)
    client = client_for(app, people["cso"])
    assert client.post("/language", data={"language": "ka"}).status_code == 302
    page = text(client.get(URL))
    assert "თქვენი თვითშეფასების შედეგები: რაუნდი baseline" in page
    assert "თქვენი საკუთარი თვითშეფასება, წინასწარი შედეგი." in page
    assert "წინასწარი შედეგი: მხოლოდ თვითშეფასება, გადაუმოწმებელი." in page
    assert "1,00" in page  # the Georgian decimal comma
    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=True)
    page = text(client.get(URL))
    assert "შედეგები: რაუნდი baseline" in page
    assert "დადასტურებული შედეგი: შეთანხმებული და დადასტურებული შეფასება." in page


def test_a_mentor_who_has_not_submitted_gets_their_own_scores_never_the_self_assessment(app, people):
    with_track(app, people["cso"], Track.SELF, 1, submit=True)
    with_track(app, people["mentor"], Track.MENTOR, 4, submit=False)
    page = text(in_english(client_for(app, people["mentor"])).get(URL))
    assert "Provisional: the mentor assessment, not yet agreed with the organisation." in page
    assert "4.00" in page and "1.00" not in page
    assert "Your own self-assessment" not in page
    assert "The self-assessment is shown once your own mentor assessment is submitted." in page


def test_a_manager_gets_the_official_result_and_the_gaps(app, people):
    before_validation(app, people)
    response = in_english(client_for(app, people["manager"])).get(URL)
    page = text(response)
    # The official track is the first submitted one: the mentor's, until the agreement is validated.
    assert headline(response)[0] == (
        "Round baseline", "Mentor assessment", "4.00", "Provisional: the mentor assessment, not yet agreed with the organisation.")
    assert "Self-assessment and mentor assessment: differences of 2 levels or more" in page
    assert "GOV.01 Mission, vision and values 1 4 2 why GOV.01" in page


def test_nothing_to_show_yet_says_so_and_offers_the_start(app, people):
    page = in_english(client_for(app, people["cso"])).get(URL)
    assert "No result yet that you may see." in text(page)
    assert 'href="/organisations/OWN-01/assessments/baseline/self/GOV#ind-GOV.01">Start your self-assessment' in \
        page.get_data(as_text=True)


def test_other_organisations_and_unknown_rounds_are_not_found(app, people, factory):
    other_mentor = factory.user("mentor", email="other-mentor@example.org")
    for email in (people["other_cso"], other_mentor):
        assert client_for(app, email).get(URL).status_code == 404
    own = client_for(app, people["cso"])
    assert own.get("/organisations/OWN-01/results/no-such-round").status_code == 404
    assert own.get("/organisations/OTH-01/results/baseline").status_code == 404
    assert own.get("/organisations/NOPE-99/results/baseline").status_code == 404
