"""Which answers of the every-type instrument each statistic reads (tests/fixtures/questionnaires/every-type.yaml).

Alpha reads the final result as it is scored, so a typed question enters at the level the rubric gives it
(a yes/no, a number, a single choice, ticked options); agreement reads only scale indicators, whose levels a
rater chooses: a typed question's level is the rubric's rule applied to a fact, not a rater's judgement.
"""
from __future__ import annotations

import sqlalchemy as sa

from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reliability.services import final_levels, final_tracks, rated_pairs
from capacity.reporting.round_result import RoundResult
from capacity.rounds.models import AssessmentRound
from tests.reporting_instrument.conftest import ORG, instrument_app  # noqa: F401  (the fixture, built once here)
from tests.reliability.test_round import _annex, needs_pdftotext


def _frames(app, code: str):
    with app.app_context():
        round_ = db.session.scalar(sa.select(AssessmentRound).where(AssessmentRound.code == code))
        organisations = list(db.session.scalars(sa.select(Organisation)))
        result = RoundResult(round_, None)
        finals = final_tracks(result, round_, organisations)
        return finals, final_levels(result, finals), rated_pairs(result, {o.code for o in organisations})


def test_typed_questions_enter_alpha_at_their_scored_level_and_never_the_agreement(instrument_app):
    finals, levels, pairs = _frames(instrument_app, "et-end")
    assert finals == {ORG: "consensus"}
    scored = dict(zip(levels["indicator"], levels["level"]))
    # Scale levels as given; the yes/no, the multiple choice, the single choice and the number at their scored level;
    # the free text and the unscored yes/no are not items at all.
    assert set(scored) == {"GOV.1", "GOV.2", "GOV.3", "GOV.4", "GOV.5", "SRV.1", "SRV.2", "SRV.3"}
    assert scored["GOV.1"] == 4 and scored["SRV.2"] == 3
    assert all(1 <= scored[code] <= 4 for code in ("GOV.2", "GOV.3", "GOV.4", "SRV.1"))
    assert sorted(pairs["indicator"]) == ["GOV.1", "GOV.5", "SRV.2", "SRV.3"]  # the scale indicators, self × mentor
    assert (pairs["first"] == pairs["second"]).all()  # the same answers on each track


def test_not_applicable_and_not_asked_items_are_missing_for_alpha_and_unpaired(instrument_app):
    _finals, levels, pairs = _frames(instrument_app, "et-base")
    missing = set(levels.loc[levels["level"].isna(), "indicator"])
    assert {"SRV.2", "GOV.3"} <= missing  # N/A; not asked (the condition was not met)
    assert "SRV.2" not in set(pairs["indicator"])


@needs_pdftotext
def test_the_every_type_annex_reads_cleanly_in_both_languages(instrument_app, tmp_path):
    from tests.reliability.test_edges import NO_FINAL, NO_PAIRS, _clean

    end = _annex(instrument_app, "et-end", "en", tmp_path)
    # one organisation: alpha needs three; its four scale indicators pair self with mentor, all alike
    assert "Organisations with a final result in this round: 1. Cronbach's alpha needs at least 3, so it is not " \
           "computed." in end and "Indicators (k)" not in end
    assert "SRV Services 2 1.00 almost perfect All domains 4 1.00 almost perfect" in end
    assert "not computed: both always gave the same single level" in end  # GOV: levels 4 and 4 on both tracks
    points = _annex(instrument_app, "et-points", "en", tmp_path)  # a self-assessment only
    assert NO_FINAL in points and NO_PAIRS in points
    for code in ("et-end", "et-points"):
        for language in ("en", "ka"):
            _clean(_annex(instrument_app, code, language, tmp_path))


@needs_pdftotext
def test_too_few_final_results_for_alpha_is_said_in_georgian_too(instrument_app, tmp_path):
    georgian = _annex(instrument_app, "et-end", "ka", tmp_path)
    assert "ამ შეფასების რაუნდში დადასტურებული შედეგი აქვს 1 ორგანიზაციას. კრონბახის ალფას სულ მცირე 3 სჭირდება" in georgian
