"""A small instrument built in Python (no YAML, no validator): every question type, sub-areas, a condition that
cascades, an Armenian content language. The frame and format tests use it without a database."""
from __future__ import annotations

from capacity.questionnaires.model import (Condition, Domain, Indicator, NumberSpec, Option, Questionnaire, Rubric,
                                           ScaleLevel, Stage, SubArea, Text, TypedScoring)


def text(en: str, ka: str | None = None, hy: str | None = None) -> Text:
    return Text(ka or f"{en} (ka)", en, (("hy", hy or f"{en} (hy)"),))


SCALE = tuple(ScaleLevel(n, text(name)) for n, name in enumerate(("Absent", "Started", "Partial", "Full"), start=1))
LEVELS = {n: text(f"Level {n}") for n in range(1, 5)}

INDICATORS = (
    Indicator("GOV.1", "GOV", text("Has a board"), LEVELS, text("Minutes"), sub_area="GOV.A"),
    Indicator("GOV.2", "GOV", text("Has a policy"), {}, None, sub_area="GOV.A", type="yes_no"),
    Indicator("GOV.3", "GOV", text("How often does the board meet"), {}, None, sub_area="GOV.B", type="single",
              options=(Option("never", text("Never", "არასდროს", "Երբեք"), 1),
                       Option("often", text("Often", "ხშირად", "Հաճախ"), 4))),
    # Asked only if the policy exists; GOV.5 only if GOV.4 includes women (so it hides with GOV.4: a cascade).
    Indicator("GOV.4", "GOV", text("Who does the policy cover"), {}, None, sub_area="GOV.B", type="multiple",
              options=(Option("women", text("Women", "ქალები", "Կանայք")),
                       Option("youth", text("Youth", "ახალგაზრდები", "Երիտասարդներ"))),
              show_if=Condition("GOV.2", "equals", "yes")),
    Indicator("GOV.5", "GOV", text("Women on the board"), {}, None, sub_area="GOV.B", type="number",
              number=NumberSpec(0, 1000, True, text("people", "ადამიანი", "մարդ")),
              show_if=Condition("GOV.4", "includes", "women")),
    Indicator("GOV.6", "GOV", text("Anything else"), {}, None, sub_area="GOV.B", type="text", required=False),
)
QUESTIONNAIRE = Questionnaire(
    id="types-demo", version="1.0", title=text("Every type"), description=None, scale=SCALE,
    domains=(Domain("GOV", text("Governance"), None, INDICATORS,
                    (SubArea("GOV.A", text("Board")), SubArea("GOV.B", text("Policy")))),),
    languages=("ka", "en", "hy"))
RUBRIC = Rubric(
    id="types-demo-default", version="1.0", title=text("Default"), questionnaire_id="types-demo",
    questionnaire_version="1.0", domain_weights={"GOV": 1}, indicator_weights={}, min_answered_share=0.5,
    stages=(Stage("low", text("Low"), 0, 50), Stage("high", text("High"), 50, 100)), lenses=(),
    presentation="percent", scoring={"GOV.2": TypedScoring(yes=4, no=1), "GOV.4": TypedScoring(thresholds=(1, 2, 3)),
                                     "GOV.5": TypedScoring(thresholds=(1, 3, 5))})
