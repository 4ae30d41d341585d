"""The portfolio report as plain data: every organisation of a round, compared with an earlier one."""
from __future__ import annotations

import pandas as pd
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from capacity.assessments.models import Track

from capacity.rounds.models import AssessmentRound
from capacity.assessments.results import score_round
from capacity.extensions import db
from capacity.labels import TRACKS
from capacity.organisations.geography import MUNICIPALITIES, REGIONS
from capacity.organisations.models import Organisation
from capacity.reporting import charts
from capacity.reporting.numbers import number as _num, percent as _percent, signed as _signed
from capacity.scoring.change import score_change
from capacity.scoring.portfolio import group_means, moved_up, stage_distribution


def _organisations(language: str) -> pd.DataFrame:
    rows = [(o.code, o.name(language), o.municipality, MUNICIPALITIES[o.municipality].region)
            for o in db.session.scalars(sa.select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.code))]
    return pd.DataFrame(rows, columns=["org", "name", "municipality", "region"])


def _get(frame: pd.DataFrame, org: str, column: str) -> float | None:
    match = frame.loc[frame["org"] == org, column]
    return None if match.empty or pd.isna(match.iloc[0]) else float(match.iloc[0])


def build_portfolio(round_: AssessmentRound, baseline: AssessmentRound | None, language: str) -> dict:
    """Summary, heatmap, stages, movers, places and the GESI sub-index, as strings in ``language``."""
    with force_locale(language):
        after, definitions = score_round(round_)
        before = score_round(baseline)[0] if baseline else None
        questionnaire, rubric = definitions.questionnaire, definitions.rubric
        orgs = _organisations(language)
        stages = {s.code: s.name.get(language) for s in rubric.stages}
        domain_codes = [d.code for d in questionnaire.domains]
        change = score_change(before, after) if before else None

        summary = []
        for org in orgs.itertuples():
            a = _get(after.overall, org.org, "index")
            b = _get(before.overall, org.org, "index") if before else None
            stage = after.overall.loc[after.overall["org"] == org.org, "stage"]
            summary.append({"code": org.org, "name": org.name, "municipality": MUNICIPALITIES[org.municipality].label(language),
                            "before": _num(b), "after": _num(a), "change": _signed(None if a is None or b is None else a - b),
                            "delta": None if a is None or b is None else a - b,
                            "stage": stages.get(stage.iloc[0], "—") if not stage.empty and isinstance(stage.iloc[0], str) else "—"})
        movers = [s for s in summary if s["delta"] is not None]
        gains = sorted(movers, key=lambda s: -s["delta"])[:5]
        losses = [s for s in sorted(movers, key=lambda s: s["delta"])[:5] if s["delta"] < 0]

        pivot = after.domains.pivot_table(index="org", columns="domain", values="score", aggfunc="first")
        heat_values = [[None if org not in pivot.index or pd.isna(pivot.loc[org].get(code)) else float(pivot.loc[org][code])
                        for code in domain_codes] for org in orgs["org"]]

        distribution_after = stage_distribution(after.overall, tuple(stages))
        counts_after = [int(distribution_after.iloc[0][code]) if not distribution_after.empty else 0 for code in stages]
        counts_before = None
        if before is not None:
            distribution_before = stage_distribution(before.overall, tuple(stages))
            counts_before = [int(distribution_before.iloc[0][code]) if not distribution_before.empty else 0 for code in stages]

        titles = {d.code: d.title.get(language) for d in questionnaire.domains}
        moved = []
        if change is not None:
            table = moved_up(change["domains"]).set_index("domain")
            for code in domain_codes:
                if code in table.index:
                    row = table.loc[code]
                    moved.append({"code": code, "title": titles[code], "moved": int(row["moved_up"]),
                                  "of": int(row["organisations"]), "share": _percent(row["share_up"])})

        places = []
        for by, names in (("region", REGIONS), ("municipality", MUNICIPALITIES)):
            means_after = group_means(after.overall, orgs, by).set_index(by)
            means_before = group_means(before.overall, orgs, by).set_index(by) if before else None
            for code, place in names.items():
                if code not in means_after.index:
                    continue
                a = float(means_after.loc[code, "mean"])
                b = float(means_before.loc[code, "mean"]) if means_before is not None and code in means_before.index else None
                places.append({"kind": by, "name": place.label(language), "organisations": int(means_after.loc[code, "count"]),
                               "before": _num(b), "after": _num(a), "change": _signed(None if b is None else a - b)})

        gesi = []
        if any(lens.code == "gesi" for lens in rubric.lenses):
            lens_after = after.lenses.loc[after.lenses["lens"] == "gesi"]
            lens_before = before.lenses.loc[before.lenses["lens"] == "gesi"] if before else None
            for org in orgs.itertuples():
                a = _get(lens_after, org.org, "score")
                b = _get(lens_before, org.org, "score") if before else None
                gesi.append({"code": org.org, "name": org.name, "before": _num(b), "after": _num(a),
                             "change": _signed(None if a is None or b is None else a - b)})

        return {
            "language": language,
            "after": {"code": round_.code, "name": round_.name(language)},
            "before": {"code": baseline.code, "name": baseline.name(language)} if baseline else None,
            "organisations": len(orgs), "summary": summary, "gains": gains, "losses": losses,
            "domains": [{"code": c, "title": titles[c]} for c in domain_codes],
            "stages": [{"name": stages[c], "before": counts_before[i] if counts_before else None, "after": counts_after[i]}
                       for i, c in enumerate(stages)],
            "moved": moved, "places": places, "gesi": gesi,
            "method": {"questionnaire": questionnaire.key, "questionnaire_hash": questionnaire.content_hash[:12],
                       "rubric": rubric.key, "rubric_hash": rubric.content_hash[:12],
                       "min_share": _percent(rubric.min_answered_share),
                       "official_track": [str(TRACKS[Track(t)]) for t in rubric.official_track]},
            "charts": {
                "heatmap": charts.heatmap(list(orgs["org"]), domain_codes, heat_values),
                "stages": charts.stage_bars([stages[c] for c in stages],
                                            counts_before, counts_after,
                                            (baseline.name(language) if baseline else "", round_.name(language))),
            },
            "heat_title": _("Domain scores by organisation"),
        }
