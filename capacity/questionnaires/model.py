"""The validated, immutable definition of a questionnaire and of a rubric.

Built only by ``capacity.questionnaires.validate``; everything else reads these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("ka", "en")
GESI_TAGS = ("gender", "disability", "safeguarding", "accessibility", "budget", "participation", "data", "inclusion")
# The five working principles of the rights-based approach, as the EU formulates them.
RBA_TAGS = ("all_rights", "participation", "non_discrimination", "accountability", "transparency")
BREAKDOWNS = {
    "sex": ("female", "male"),
    "disability": ("with_disability", "without_disability"),
    "age_band": ("child", "adult", "older"),
}
PROFILE_KINDS = ("count", "percent", "money")
TRACKS = ("self", "mentor", "consensus")
# What one answer to an indicator may hold: a comment and a link to evidence, at most this long.
MAX_COMMENT = 5000
MAX_URL = 1000


@dataclass(frozen=True)
class Text:
    ka: str
    en: str

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.ka


@dataclass(frozen=True)
class ScaleLevel:
    level: int
    name: Text


@dataclass(frozen=True)
class ComputedRule:
    """How a computed indicator's level follows from profile data.

    ``share``: numerator / denominator; ``balance``: the smaller of that share
    and its complement (parity scores highest); ``value``: the profile value
    itself. The level is 1 + the number of thresholds the value reaches.
    """

    rule: str
    thresholds: tuple[float, ...]
    numerator: str = ""
    denominator: str = ""
    source: str = ""


@dataclass(frozen=True)
class Indicator:
    code: str
    domain: str
    text: Text
    levels: dict[int, Text]
    evidence: Text | None
    allow_na: bool = False
    gesi: tuple[str, ...] = ()
    rba: tuple[str, ...] = ()
    sub_area: str | None = None
    computed: ComputedRule | None = None
    short: Text | None = None  # a few words for report tables

    def title(self, language: str) -> str:
        """The short title in ``language``, or the full text where the questionnaire gives none."""
        return (self.short or self.text).get(language)


@dataclass(frozen=True)
class SubArea:
    code: str
    title: Text


@dataclass(frozen=True)
class Domain:
    code: str
    title: Text
    description: Text | None
    indicators: tuple[Indicator, ...]
    sub_areas: tuple[SubArea, ...] = ()


@dataclass(frozen=True)
class ProfileQuestion:
    code: str
    label: Text
    help: Text | None
    kind: str
    breakdown: tuple[str, ...] = ()

    def categories(self) -> list[tuple[str, str]]:
        """(breakdown, category) pairs a form asks for, after the total."""
        return [(b, c) for b in self.breakdown for c in BREAKDOWNS[b]]


@dataclass(frozen=True)
class Crosswalk:
    """How indicator codes of an earlier version map to this one (None: no successor)."""

    from_version: str
    mapping: dict[str, str | None]


@dataclass(frozen=True, eq=False)
class Questionnaire:
    id: str
    version: str
    title: Text
    description: Text | None
    scale: tuple[ScaleLevel, ...]
    domains: tuple[Domain, ...]
    profile: tuple[ProfileQuestion, ...] = ()
    crosswalk: Crosswalk | None = None
    path: str = ""
    content_hash: str = ""
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def indicators(self) -> list[Indicator]:
        return [i for d in self.domains for i in d.indicators]

    def indicator(self, code: str) -> Indicator | None:
        if not self._index:
            self._index.update({i.code: i for i in self.indicators})
        return self._index.get(code)

    @property
    def min_level(self) -> int:
        return self.scale[0].level

    @property
    def max_level(self) -> int:
        return self.scale[-1].level

    def level_name(self, level: int) -> Text | None:
        return next((s.name for s in self.scale if s.level == level), None)


@dataclass(frozen=True)
class Stage:
    code: str
    name: Text
    lower: float
    upper: float


@dataclass(frozen=True)
class Lens:
    code: str
    title: Text
    tag: str  # which indicator tag list: "gesi" or "rba"
    only: tuple[str, ...] = ()  # restrict to these tags; empty: any tag

    def includes(self, indicator: Indicator) -> bool:
        tags = getattr(indicator, self.tag)
        return bool(tags) and (not self.only or bool(set(tags) & set(self.only)))


@dataclass(frozen=True)
class SupportType:
    code: str
    name: Text


# The support types a rubric offers when it says nothing (the programme's own list).
DEFAULT_SUPPORT_TYPES = (
    SupportType("training", Text("ტრენინგი", "Training")),
    SupportType("mentoring", Text("მენტორობა", "Mentoring")),
    SupportType("coaching", Text("ქოუჩინგი", "Coaching")),
    SupportType("small_grant", Text("მცირე გრანტი", "Small grant")),
    SupportType("peer_exchange", Text("გამოცდილების გაზიარება", "Peer exchange")),
    SupportType("equipment", Text("აღჭურვილობა", "Equipment")),
)


@dataclass(frozen=True)
class PlanSettings:
    """How a development plan's priorities are suggested from a round's validated results.

    Three rules, each contributing indicators (an indicator may meet several):
    the ``lowest_count`` lowest-scoring indicators below ``lowest_below``; every
    GESI-tagged indicator below ``gesi_below`` (at most ``gesi_count``); the
    ``gap_count`` widest self/mentor gaps of at least ``gap_at_least`` levels.
    A count of 0 switches a rule off.
    """

    lowest_count: int = 5
    lowest_below: float = 3.0
    gesi_count: int = 5
    gesi_below: float = 3.0
    gap_count: int = 3
    gap_at_least: int = 2
    support_types: tuple[SupportType, ...] = DEFAULT_SUPPORT_TYPES

    def support_type(self, code: str) -> SupportType | None:
        return next((s for s in self.support_types if s.code == code), None)


@dataclass(frozen=True, eq=False)
class Rubric:
    id: str
    version: str
    title: Text
    questionnaire_id: str
    questionnaire_version: str
    domain_weights: dict[str, float]
    indicator_weights: dict[str, float]
    min_answered_share: float
    stages: tuple[Stage, ...]
    lenses: tuple[Lens, ...]
    gap_threshold: int = 2
    official_track: tuple[str, ...] = ("consensus", "mentor", "self")
    hide_self_until_mentor_submits: bool = True
    plan: PlanSettings = PlanSettings()
    path: str = ""
    content_hash: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    @property
    def questionnaire_key(self) -> str:
        return f"{self.questionnaire_id}@{self.questionnaire_version}"

    def stage_for(self, value: float) -> Stage | None:
        for stage in self.stages:
            if stage.lower <= value < stage.upper:
                return stage
        last = self.stages[-1]
        return last if value == last.upper else None
