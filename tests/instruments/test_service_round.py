"""A round of social-service quality monitoring on the web: a manager creates it from the form (it becomes a round of
services), the provider's staff answer and submit the self-assessment, the organisation's mentor (the monitor) the
independent one, the two agree and the mentor validates; then the service's profile and the round's portfolio print
with the service's name and the service kind's titles, in Georgian and English."""
from __future__ import annotations

import pytest

from capacity.questionnaires.library import load_directory
from tests.instruments.web import (add_subject, assert_reports_titled_by_kind, agree, answer_track, client_for, create_round, round_kind,
                                   statuses, text)

ROUND = "service-monitoring-2026"
SERVICE = "SVC-DC1"
NAMES = ("დღის ცენტრი „მზესუმზირა“", "Sunflower day centre")
TYPED_SELF = {"ACC.5": "no", "CAR.3": "80", "PAR.5": "12", "PAR.6": "მშობლებს მოსწონთ ყოველდღიური ინფორმაცია.",
              "SAF.2": "yes", "SAF.5": "yes", "STF.3": "20", "STF.5": "90", "PHY.2": "yes", "FBC.2": "yes",
              "FBC.3": "3", "OUT.3": "60"}
# The monitor heard service users: fewer plans reviewed on time, no step-free entrance, participation weaker.
TYPED_MENTOR = TYPED_SELF | {"CAR.3": "55", "PHY.2": "no", "PAR.6": "ექვს მშობელთან გასაუბრება: საჩივრის წესი არ იციან."}


def _answers(typed: dict, level: int, weaker: str | None = None) -> dict:
    questionnaire = load_directory().latest("service-quality")
    answers = {i.code: (1 if i.domain == weaker else level) for i in questionnaire.indicators if i.type == "scale"}
    answers["ACC.3"] = "na"  # nobody who does not speak Georgian applied: a legitimate "not applicable"
    return answers | typed


@pytest.fixture
def people(app, factory):
    factory.org("PRV-01", name_ka="ასოციაცია „მზე“", name_en="Association Sun")
    factory.org("OTH-01", municipality="batumi")
    add_subject(app, SERVICE, "service", "telavi", *NAMES, parent="PRV-01")
    mentor = factory.user("mentor", email="monitor@example.org")
    factory.assign(mentor, "PRV-01")
    return {"staff": factory.user("cso", org="PRV-01", email="staff@prv.example.org"),
            "other": factory.user("cso", org="OTH-01", email="staff@oth.example.org"),
            "mentor": mentor, "manager": factory.user("manager", email="manager@example.org")}


def test_a_service_monitoring_round_runs_on_the_web_and_prints_the_service_s_reports(app, people):
    manager = client_for(app, people["manager"])
    create_round(manager, ROUND, "service-quality@1.0", "service-quality-default@1.0")
    assert round_kind(app, ROUND) == ("service", True)
    progress = text(manager.get(f"/rounds/{ROUND}/progress"))
    assert SERVICE in progress and "OTH-01" not in progress  # the round covers services, not organisations

    # The provider's staff answer the service's self-assessment; staff of another organisation never see it.
    staff = client_for(app, people["staff"])
    self_answers = _answers(TYPED_SELF, 3)
    answer_track(staff, SERVICE, ROUND, "self", "service-quality", self_answers)
    other = client_for(app, people["other"])
    assert other.get(f"/organisations/{SERVICE}/assessments/{ROUND}/self/").status_code == 404

    # The monitor (the organisation's mentor) answers independently, then agrees the consensus and validates it.
    monitor = client_for(app, people["mentor"])
    mentor_answers = _answers(TYPED_MENTOR, 3, weaker="PAR")
    answer_track(monitor, SERVICE, ROUND, "mentor", "service-quality", mentor_answers)
    agreed = {code: (answer, "ფოკუს-ჯგუფის შედეგების მიხედვით შევთანხმდით.")
              if self_answers.get(code) != answer else answer for code, answer in mentor_answers.items()}
    agree(monitor, SERVICE, ROUND, "service-quality", agreed)
    assert statuses(app, SERVICE, ROUND) == {"self": "submitted", "mentor": "submitted", "consensus": "validated"}

    # The profile (preview and PDF, both languages) and the round's portfolio are titled by the service kind.
    portfolio_en = assert_reports_titled_by_kind(staff, manager, SERVICE, ROUND, "service", NAMES)
    assert "PRV-01" not in portfolio_en and "OTH-01" not in portfolio_en  # organisations are not in a service round
