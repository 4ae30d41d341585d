"""The two instruments beside the organisational one: shipped in questionnaires/, valid, for their subject kinds,
complete in Georgian and English, marked as drafts where users read them, and in the programme's terms."""
from __future__ import annotations

from pathlib import Path

import pytest

from capacity.cli import cli
from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_directory

INSTRUMENTS = {"service-quality": "service", "municipal-participation": "municipality"}


@pytest.fixture(scope="module")
def library():
    return load_directory(DEFAULT_DIRECTORY)


def test_both_load_from_the_shipped_folder_for_their_subject_kinds_with_a_rubric(library):
    for identifier, kind in INSTRUMENTS.items():
        questionnaire = library.latest(identifier)
        assert questionnaire is not None and Path(questionnaire.path).parent == Path(DEFAULT_DIRECTORY), identifier
        assert questionnaire.subject == kind and library.kind(kind) is not None
        rubrics = [r for r in library.rubrics.values() if r.questionnaire_key == questionnaire.key]
        assert [r.id for r in rubrics] == [f"{identifier}-default"]
        assert questionnaire.languages == ("ka", "en")
        assert {"scale", "yes_no", "number", "text"} <= {i.type for i in questionnaire.indicators}
    # The organisational instrument is untouched: it still assesses organisations.
    assert library.questionnaire("gesi-oca", "1.0").subject == "organisation"
    assert not (DEFAULT_DIRECTORY / "drafts").exists()


def test_the_check_command_passes_and_names_both(runner):
    paths = [str(p) for p in sorted(DEFAULT_DIRECTORY.glob("*.yaml"))]
    result = runner.invoke(cli, ["questionnaire", "validate", *paths])
    assert result.exit_code == 0, result.output
    assert "questionnaire service-quality@1.0: 8 domains, 43 indicators" in result.output
    assert "questionnaire municipal-participation@1.0: 6 domains, 29 indicators" in result.output
    assert "rubric service-quality-default@1.0 for service-quality@1.0" in result.output
    assert "rubric municipal-participation-default@1.0 for municipal-participation@1.0" in result.output


def test_users_read_that_each_is_a_draft_to_be_validated_in_both_languages(library):
    for identifier in INSTRUMENTS:
        questionnaire = library.latest(identifier)
        for text in (questionnaire.description, questionnaire.method):
            assert "This is a draft, to be validated by the programme." in text.en, identifier
            assert "ეს სამუშაო ვერსიაა და პროგრამის მიერ დადასტურებას საჭიროებს." in text.ka, identifier


def test_the_benchmark_feeds_the_municipality_s_action_plan_for_citizen_participation(library):
    questionnaire = library.latest("municipal-participation")
    plan = library.kind("municipality").plan
    assert plan.en == "Action plan for citizen participation"
    assert plan.en in questionnaire.method.en and "action plan for citizen participation" in questionnaire.description.en
    assert f"„{plan.ka}" in questionnaire.method.ka  # the plan's own title, as its pages show it
    assert "მოქალაქეთა მონაწილეობის სამოქმედო გეგმის საფუძველია" in questionnaire.description.ka
    # The service's plan is its quality improvement plan.
    service = library.latest("service-quality")
    assert library.kind("service").plan.ka in service.method.ka
    assert library.kind("service").plan.en.lower() in service.method.en.lower()


def _georgian(questionnaire) -> str:
    texts = [questionnaire.title, questionnaire.description, questionnaire.method]
    for domain in questionnaire.domains:
        texts += [domain.title, domain.description]
    for indicator in questionnaire.indicators:
        texts += [indicator.text, indicator.short, indicator.evidence, *indicator.levels.values()]
    return "\n".join(t.ka for t in texts if t is not None)


def test_georgian_texts_use_the_programme_s_terms(library):
    service, municipal = library.latest("service-quality"), library.latest("municipal-participation")
    for questionnaire in (service, municipal):
        text = _georgian(questionnaire)
        # Service is მომსახურება, its user მომსახურების მიმღები; one word for the monitor throughout.
        for wrong in ("სერვის", "ბენეფიციარ", "მონიტორინგის განმახორციელებელ", "გაძლიერების სამოქმედო გეგმ"):
            assert wrong not in text, (questionnaire.id, wrong)
    assert "მომსახურების მიმღებ" in _georgian(service) and "მონიტორი" in _georgian(service)
    # Benchmarking is „შედარება (ბენჩმარკინგი)“, as the municipality kind's report title says.
    assert "შედარება (ბენჩმარკინგი)" in municipal.title.ka
    assert "შედარება (ბენჩმარკინგი)" in library.kind("municipality").profile.ka
    assert "ბენჩმარკინგ" not in _georgian(municipal).replace("შედარება (ბენჩმარკინგი)", "").replace(
        "შედარების (ბენჩმარკინგის)", "")
