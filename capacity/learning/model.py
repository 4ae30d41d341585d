"""Learning resources: the programme's training modules, competency packages, guides and videos, as data.

A resources file in ``questionnaires/`` names the questionnaire version it serves
and lists resources with the indicators and GESI tags each one helps with; a
development plan suggests them for its priorities.
"""
from __future__ import annotations

from dataclasses import dataclass

from capacity.questionnaires.model import Indicator, Text

RESOURCE_KINDS = ("module", "competency_package", "guide", "video")


@dataclass(frozen=True)
class LearningResource:
    code: str
    title: Text
    kind: str                 # one of RESOURCE_KINDS
    description: Text | None
    url: str = ""             # a link (http or https), or
    file: str = ""            # a file under questionnaires/resources/
    indicators: tuple[str, ...] = ()
    gesi: tuple[str, ...] = ()

    def serves(self, indicator: Indicator) -> bool:
        """Named for this indicator, or sharing one of its GESI tags."""
        return indicator.code in self.indicators or bool(set(self.gesi) & set(indicator.gesi))


@dataclass(frozen=True, eq=False)
class ResourceSet:
    id: str
    version: str
    title: Text
    questionnaire_id: str
    questionnaire_version: str
    resources: tuple[LearningResource, ...]
    path: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def questionnaire_key(self) -> str:
        return f"{self.questionnaire_id}@{self.questionnaire_version}"

    def resource(self, code: str) -> LearningResource | None:
        return next((r for r in self.resources if r.code == code), None)

    def for_indicator(self, indicator: Indicator) -> list[LearningResource]:
        """The resources that serve ``indicator``: named for it first, then by shared GESI tag."""
        named = [r for r in self.resources if indicator.code in r.indicators]
        tagged = [r for r in self.resources if r not in named and r.serves(indicator)]
        return named + tagged
