"""How the reports name what they assess: the texts of a subject kind (questionnaires/subjects.yaml) in one language.

For the default kind (organisations) every text equals what the reports printed before there were kinds, and the
templates keep their sentences about organisations word for word (``default``). For any other kind a sentence
that would name the subjects either names none or uses the kind's texts as a label ("Services: 4", a column
heading): a kind's name cannot be put into a sentence, since Georgian inflects it (a case ending per role).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

from flask_babel import gettext as _

from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import kind_of


@dataclass(frozen=True)
class Wording:
    """One kind's texts in one language, and whether it is the default kind."""

    code: str
    default: bool  # the default kind (organisation): the reports word their sentences as they always did
    name: str  # one subject, as a column heading: "Service"
    plural: str  # as a heading or label: "Services"
    profile: str  # one subject's report: "Service profile"
    portfolio: str  # the portfolio report's heading
    plan: str  # the plan that follows an assessment: "Quality improvement plan"

    def as_dict(self) -> dict:
        return asdict(self)


def wording(code: str, language: str) -> Wording:
    """The texts of the kind ``code`` in ``language`` (call inside the report's locale: a kind no longer
    configured gets general words, and its code where a name is needed)."""
    kind = kind_of(code)
    if kind is None:
        return Wording(code, code == DEFAULT_KIND, code, code, _("Profile"), _("Portfolio report"), _("Plan"))
    return Wording(code, code == DEFAULT_KIND, kind.name.get(language), kind.plural.get(language),
                   kind.profile.get(language), kind.portfolio.get(language), kind.plan.get(language))
