"""A round of municipal participation benchmarking on the web: a manager creates it from the form (it becomes a round
of municipalities), the municipality's working group (a staff account assigned to the municipality, with no
organisation) answers and submits the self-assessment, the facilitator (a mentor account assigned to it) the
independent one, then agrees and validates; the municipality's benchmark and the round's portfolio print with its
name and the municipality kind's titles, in Georgian and English."""
from __future__ import annotations

import pytest

from capacity.questionnaires.library import load_directory
from tests.instruments.web import (add_subject, assert_reports_titled_by_kind, agree, answer_track, assign_municipality, client_for, create_round,
                                   round_kind, statuses, text)

ROUND = "municipal-benchmark-2026"
MUNICIPALITY = "MUN-MARNEULI"
NAMES = ("მარნეულის მუნიციპალიტეტი", "Marneuli Municipality")
TYPED_SELF = {"INF.4": "yes", "CON.5": "5", "PB.3": "no", "PB.4": "2", "PET.4": "40", "PET.5": "3", "RES.4": "80",
              "RES.5": "სოფლებში მონაწილეობითი ბიუჯეტირების პილოტი."}
# The facilitator found fewer consultations and fewer answers on time than the working group counted.
TYPED_MENTOR = TYPED_SELF | {"CON.5": "2", "RES.4": "60", "RES.5": "ინფორმაცია აზერბაიჯანულ ენაზე."}


def _answers(typed: dict, level: int, weaker: str | None = None) -> dict:
    questionnaire = load_directory().latest("municipal-participation")
    return {i.code: (1 if i.domain == weaker else level) for i in questionnaire.indicators if i.type == "scale"} | typed


@pytest.fixture
def people(app, factory):
    add_subject(app, MUNICIPALITY, "municipality", "marneuli", *NAMES)
    add_subject(app, "MUN-DMANISI", "municipality", "dmanisi", "დმანისის მუნიციპალიტეტი", "Dmanisi Municipality")
    factory.org("MAR-01", municipality="marneuli")  # an organisation in the same municipality: not in this round
    people = {"staff": factory.user("cso", email="working.group@marneuli.example.org"),
              "facilitator": factory.user("mentor", email="facilitator@example.org"),
              "neighbour": factory.user("cso", email="working.group@dmanisi.example.org"),
              "manager": factory.user("manager", email="manager@example.org")}
    assign_municipality(app, people["staff"], "marneuli")
    assign_municipality(app, people["facilitator"], "marneuli")
    assign_municipality(app, people["neighbour"], "dmanisi")
    return people


def test_a_municipal_benchmark_round_runs_on_the_web_and_prints_the_benchmark(app, people):
    manager = client_for(app, people["manager"])
    create_round(manager, ROUND, "municipal-participation@1.0", "municipal-participation-default@1.0")
    assert round_kind(app, ROUND) == ("municipality", True)
    progress = text(manager.get(f"/rounds/{ROUND}/progress"))
    assert MUNICIPALITY in progress and "MUN-DMANISI" in progress and "MAR-01" not in progress

    # The working group's account answers its municipality's self-assessment; another municipality's never sees it.
    staff = client_for(app, people["staff"])
    self_answers = _answers(TYPED_SELF, 3)
    answer_track(staff, MUNICIPALITY, ROUND, "self", "municipal-participation", self_answers)
    neighbour = client_for(app, people["neighbour"])
    assert neighbour.get(f"/organisations/{MUNICIPALITY}/assessments/{ROUND}/self/").status_code == 404

    # The facilitator answers independently (the inclusion domain weaker), agrees the consensus and validates it.
    facilitator = client_for(app, people["facilitator"])
    mentor_answers = _answers(TYPED_MENTOR, 3, weaker="INC")
    answer_track(facilitator, MUNICIPALITY, ROUND, "mentor", "municipal-participation", mentor_answers)
    agreed = {code: (answer, "სავალიდაციო შეხვედრაზე დოკუმენტების მიხედვით შევთანხმდით.")
              if self_answers.get(code) != answer else answer for code, answer in mentor_answers.items()}
    agree(facilitator, MUNICIPALITY, ROUND, "municipal-participation", agreed)
    assert statuses(app, MUNICIPALITY, ROUND) == {"self": "submitted", "mentor": "submitted", "consensus": "validated"}

    # The profile (preview and PDF, both languages) and the round's portfolio are titled by the municipality kind.
    portfolio_en = assert_reports_titled_by_kind(staff, manager, MUNICIPALITY, ROUND, "municipality", NAMES)
    assert "MAR-01" not in portfolio_en
