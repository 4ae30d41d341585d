"""Conditional and optional questions: what is asked, what submitting requires, and answers kept when hidden."""
from __future__ import annotations

import sqlalchemy as sa

from capacity.assessments.models import Assessment, Status
from capacity.extensions import db
from tests.question_types.conftest import BASE, client_for, fieldset, sent, stored, text, world  # noqa: F401


def answer(client, code: str, revision: int = 0, **given) -> None:
    response = client.post(f"{BASE}/self/answers/{code}", data=sent(revision, **given))
    assert response.status_code == 200, (code, response.get_json())


def status(app) -> Status:
    with app.app_context():
        return db.session.scalar(sa.select(Assessment.status))


def test_hidden_questions_are_not_required_and_optional_ones_never(app, world):
    people = world()
    cso = client_for(app, people["cso"], "en")
    # "No" consultations: GOV.3 (which groups take part) is not asked. Nobody served: SRV.3 is not asked, nor SRV.4
    # (its condition is on SRV.3). GOV.4 "never": SRV.5 is not asked.
    answer(cso, "GOV.1", level="2")
    answer(cso, "GOV.2", value="no")
    answer(cso, "GOV.4", value="never")
    answer(cso, "GOV.5", level="3")
    answer(cso, "SRV.1", value="0")
    assert "Still to answer" in text(cso.get(f"{BASE}/self/submit"))  # SRV.2 is asked whatever the answers
    answer(cso, "SRV.2", level="4")
    review = text(cso.get(f"{BASE}/self/submit"))
    assert "Still to answer" not in review
    assert "Not asked (their condition is not met) 4" in review
    assert "Answered, questions without levels 3" in review
    assert "GOV.3 Who takes part in consultations Not asked" in review
    overview = cso.get(f"{BASE}/self/")
    assert "Answered: 6 / 6" in text(overview)
    assert cso.post(f"{BASE}/self/submit").status_code == 302
    assert status(app) == Status.SUBMITTED


def test_a_question_becomes_required_when_its_condition_is_met(app, world):
    people = world()
    cso = client_for(app, people["cso"], "en")
    for code, given in {"GOV.1": {"level": "2"}, "GOV.2": {"value": "yes"}, "GOV.4": {"value": "yearly"},
                        "GOV.5": {"level": "3"}, "SRV.1": {"value": "40"}, "SRV.2": {"level": "1"}}.items():
        answer(cso, code, **given)
    page = cso.get(f"{BASE}/self/GOV")
    assert 'data-show-met="1"' in fieldset(page, "GOV.3")  # the script shows it
    review = text(cso.get(f"{BASE}/self/submit"))
    assert "3 indicators have no answer yet" in review  # GOV.3, SRV.3 (40 people served) and SRV.5 (yearly report)
    for code in ("GOV.3", "SRV.3", "SRV.5"):
        assert f'#ind-{code}">{code}</a>' in cso.get(f"{BASE}/self/submit").get_data(as_text=True).split(
            'id="unanswered"')[1].split("</ul>")[0]
    assert f'{BASE}/self/GOV#ind-GOV.3' in cso.get(f"{BASE}/self/").get_data(as_text=True)  # "continue" goes there
    refused = cso.post(f"{BASE}/self/submit")
    assert refused.status_code == 302 and status(app) == Status.DRAFT
    answer(cso, "GOV.3", value="-none-")
    answer(cso, "SRV.3", level="2")  # below 3: SRV.4 (optional anyway) is not asked
    answer(cso, "SRV.5", value="no")
    assert "Optional" not in text(cso.get(f"{BASE}/self/submit"))
    assert cso.post(f"{BASE}/self/submit").status_code == 302 and status(app) == Status.SUBMITTED


def test_an_answer_to_a_question_no_longer_asked_is_kept_and_shown_as_not_asked(app, world):
    people = world()
    cso = client_for(app, people["cso"], "en")
    answer(cso, "GOV.2", value="yes")
    answer(cso, "GOV.3", value=["women", "youth"])
    answer(cso, "SRV.1", value="80")
    answer(cso, "SRV.3", level="4")
    answer(cso, "SRV.4", value="A ramp at the entrance.")
    # Now no consultations, and nobody served: GOV.3, SRV.3 and (in cascade) SRV.4 are no longer asked.
    answer(cso, "GOV.2", 1, value="no")
    answer(cso, "SRV.1", 1, value="0")
    now = stored(app)
    assert now["GOV.3"][1] == '["women", "youth"]' and now["SRV.3"][0] == 4  # never deleted
    assert now["SRV.4"][1] == "A ramp at the entrance."
    governance = cso.get(f"{BASE}/self/GOV")
    multiple = fieldset(governance, "GOV.3")
    assert 'data-show-met="0"' in multiple and "Not asked" in multiple
    assert "the answer given earlier is kept, but it is not counted" in multiple
    services = cso.get(f"{BASE}/self/SRV")
    assert 'data-show-met="0"' in fieldset(services, "SRV.4")  # hidden because SRV.3 is hidden
    review = text(cso.get(f"{BASE}/self/submit"))
    assert "GOV.3 Who takes part in consultations Not asked An earlier answer is kept but not counted: Women; Young people" \
        in review
    assert "SRV.4 A change made after feedback Not asked An earlier answer is kept but not counted: A ramp" in review
    # Progress counts only what is asked: GOV has GOV.1, GOV.2, GOV.4, GOV.5 to answer, of which GOV.2 is.
    assert "1 of 4 answered" in text(cso.get(f"{BASE}/self/"))


def test_the_organisation_page_counts_what_submitting_requires(app, world):
    people = world()
    cso = client_for(app, people["cso"], "en")
    answer(cso, "GOV.2", value="no")
    page = text(cso.get("/organisations/OWN-01"))
    # 10 questions, of which GOV.3 (no consultations), SRV.3 and SRV.4 (no number of people yet) and SRV.5 (no
    # report frequency yet) are not asked: 6 required, 1 answered.
    assert "1 / 6" in page or "1 of 6" in page, page[:3000]
