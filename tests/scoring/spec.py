"""A small synthetic scoring spec: 3 domains × 4 indicators on a 1–4 scale."""
from __future__ import annotations

import pandas as pd

from capacity.scoring.frames import ScoringSpec

INDICATORS = [f"{d}.{n}" for d in ("A", "B", "C") for n in range(1, 5)]


def make_spec(weights: dict[str, float] | None = None, domain_weights: dict[str, float] | None = None,
              min_share: float = 0.5) -> ScoringSpec:
    weights = weights or {}
    table = pd.DataFrame({
        "indicator": INDICATORS,
        "domain": [code.split(".")[0] for code in INDICATORS],
        "weight": [weights.get(code, 1.0) for code in INDICATORS],
        "allow_na": [code.endswith(".4") for code in INDICATORS],
        "lens_gesi": [code.endswith((".1", ".2")) for code in INDICATORS],
    }).set_index("indicator")
    domain_weights = domain_weights or {}
    return ScoringSpec(
        indicators=table,
        domain_weights=pd.Series({d: domain_weights.get(d, 1.0) for d in ("A", "B", "C")}, dtype=float),
        min_level=1, max_level=4, min_answered_share=min_share,
        stage_edges=(1.0, 1.75, 2.5, 3.25, 4.0), stage_codes=("emerging", "developing", "established", "mature"),
        lenses=("gesi",), gap_threshold=2, official_track=("consensus", "mentor", "self"),
    )


def answers(rows: list[tuple]) -> pd.DataFrame:
    """Rows of (org, indicator, level or None or 'na'), all in round r1, track self."""
    records = []
    for org, indicator, value in rows:
        records.append({"org": org, "round": "r1", "track": "self", "indicator": indicator,
                        "level": float("nan") if value in (None, "na") else float(value), "na": value == "na"})
    return pd.DataFrame(records, columns=["org", "round", "track", "indicator", "level", "na"])
