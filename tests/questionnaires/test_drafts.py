"""The draft instruments in questionnaires/drafts/ stay valid as the format changes, complete in Georgian and English."""
from __future__ import annotations

from capacity.questionnaires.library import DEFAULT_DIRECTORY, load_files, yaml_files


def test_the_draft_instruments_validate_and_are_complete_in_both_languages():
    drafts = yaml_files(DEFAULT_DIRECTORY / "drafts")
    assert len(drafts) == 4, drafts
    library, problems = load_files(drafts)
    assert problems == [], "\n".join(str(p) for p in problems)
    assert sorted(library.questionnaires) == ["municipal-participation@1.0", "service-quality@1.0"]
    assert sorted(r.questionnaire_key for r in library.rubrics.values()) == sorted(library.questionnaires)
    for questionnaire in library.questionnaires.values():
        assert questionnaire.languages == ("ka", "en")
        # Each says it is a draft in what it prints, in both languages.
        assert "draft" in questionnaire.description.en.lower(), questionnaire.key
        assert "სამუშაო ვერსია" in questionnaire.description.ka, questionnaire.key
        types = {i.type for i in questionnaire.indicators}
        assert {"scale", "yes_no", "number"} <= types, (questionnaire.key, types)


def test_the_app_does_not_offer_the_drafts():
    from capacity.questionnaires.library import load_directory

    assert not {"service-quality", "municipal-participation"} & {q.id for q in load_directory().questionnaires.values()}
