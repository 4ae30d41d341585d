"""The validated, immutable definition of a questionnaire and of a rubric.

Built only by ``capacity.questionnaires.validate``; everything else reads these.
"""
from __future__ import annotations

from dataclasses import dataclass, field

LANGUAGES = ("ka", "en")  # the interface's languages, and a questionnaire's content languages when it declares none
# Content languages a questionnaire may declare: (English name, own name, script). Each script needs a font shipped
# in reports/fonts (capacity.reporting.fonts), so a PDF never falls back to a machine's fonts.
KNOWN_LANGUAGES = {
    "ka": ("Georgian", "ქართული", "Georgian"),
    "en": ("English", "English", "Latin"),
    "ru": ("Russian", "Русский", "Cyrillic"),
    "hy": ("Armenian", "Հայերեն", "Armenian"),
    "az": ("Azerbaijani", "Azərbaycan dili", "Latin"),
}
QUESTION_TYPES = ("scale", "yes_no", "single", "multiple", "number", "text")
YES_NO = ("yes", "no")
CONDITION_OPERATORS = ("equals", "any_of", "includes", "at_least", "at_most")
PRESENTATIONS = ("mean", "points", "percent")
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
    """One text in each content language: ``ka`` and ``en`` as fields, any further language in ``more``.

    ``get`` falls back (English, then Georgian, then any) where a language has no text: a draft translation
    may be partial, and a questionnaire may not declare the interface's language. Pages that show content
    in a language the questionnaire lacks say so (``Questionnaire.content_language``), never silently.
    """

    ka: str = ""
    en: str = ""
    more: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, texts: dict[str, str]) -> "Text":
        return cls(texts.get("ka", ""), texts.get("en", ""),
                   tuple((code, text) for code, text in texts.items() if code not in ("ka", "en")))

    def own(self, language: str) -> str:
        """The text written in ``language`` itself ("" when there is none)."""
        if language == "en":
            return self.en
        if language == "ka":
            return self.ka
        return next((text for code, text in self.more if code == language), "")

    def get(self, language: str) -> str:
        return self.own(language) or self.en or self.ka or next((text for _, text in self.more if text), "")


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
class Option:
    """One answer option of a single- or multiple-choice question; ``score`` a level on the scale, or None."""

    code: str
    text: Text
    score: float | None = None


@dataclass(frozen=True)
class NumberSpec:
    """The bounds and unit of a number question."""

    minimum: float | None = None
    maximum: float | None = None
    integer: bool = False
    unit: Text | None = None


@dataclass(frozen=True)
class Condition:
    """Show an indicator only when an earlier answer meets this: ``<operator>: <value>`` about indicator ``code``.

    ``met`` takes that answer's raw value (``capacity.questionnaires.values.decode``): an int level, "yes"/"no",
    an option code, a tuple of option codes, a number; None (no answer, or not applicable) never meets it.
    """

    code: str
    operator: str
    value: object

    def met(self, raw: object) -> bool:
        if raw is None:
            return False
        if self.operator == "equals":
            return raw == self.value
        if self.operator == "any_of":
            return raw in self.value
        if self.operator == "includes":
            return isinstance(raw, tuple) and self.value in raw
        if self.operator == "at_least":
            return float(raw) >= float(self.value)
        if self.operator == "at_most":
            return float(raw) <= float(self.value)
        return False


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
    type: str = "scale"  # one of QUESTION_TYPES; computed indicators are "scale"
    options: tuple[Option, ...] = ()  # single and multiple choice
    number: NumberSpec | None = None  # number questions
    show_if: Condition | None = None
    required: bool = True  # needed before submitting (when shown)

    @property
    def has_levels(self) -> bool:
        """Answered (or computed) as a level of the scale, with a descriptor per level."""
        return self.type == "scale"

    def option(self, code: str) -> Option | None:
        return next((o for o in self.options if o.code == code), None)

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
    languages: tuple[str, ...] = LANGUAGES  # content languages, each complete
    draft_languages: tuple[str, ...] = ()  # draft translations: may be partial, always marked as drafts
    method: Text | None = None  # the instrument's own method note, printed in reports
    subject: str = "organisation"  # the kind of subject it assesses (questionnaires/subjects.yaml)
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
    def content_languages(self) -> tuple[str, ...]:
        return self.languages + self.draft_languages

    def content_language(self, wanted: str) -> str:
        """The language content is shown in for a reader who wants ``wanted``: itself when declared (a draft too),
        else English, else the first declared language (the caller says so on the page)."""
        if wanted in self.content_languages:
            return wanted
        return "en" if "en" in self.languages else self.languages[0]

    @property
    def has_sub_areas(self) -> bool:
        return any(d.sub_areas for d in self.domains)

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


@dataclass(frozen=True)
class TypedScoring:
    """How the rubric scores an answer that is not a level: yes/no → a level each; a number or the count of
    ticked options → 1 + thresholds reached (like computed indicators)."""

    yes: float | None = None
    no: float | None = None
    thresholds: tuple[float, ...] = ()


def is_scored(indicator: Indicator, scoring: dict[str, "TypedScoring"]) -> bool:
    """Whether answers to ``indicator`` enter scores: levels always; a single choice whose options carry scores;
    yes/no, multiple choice and numbers the rubric's ``scoring`` names; a text never."""
    if indicator.type == "scale":
        return True
    if indicator.type == "single":
        return all(o.score is not None for o in indicator.options)
    return indicator.type != "text" and indicator.code in scoring


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
    sub_area_weights: dict[str, float] = field(default_factory=dict)
    presentation: str = "mean"  # one of PRESENTATIONS; stages are on the same measure
    scoring: dict[str, TypedScoring] = field(default_factory=dict)  # by indicator code
    path: str = ""
    content_hash: str = ""

    @property
    def key(self) -> str:
        return f"{self.id}@{self.version}"

    def scores(self, indicator: Indicator) -> bool:
        return is_scored(indicator, self.scoring)

    @property
    def questionnaire_key(self) -> str:
        return f"{self.questionnaire_id}@{self.questionnaire_version}"

    def stage_for(self, value: float) -> Stage | None:
        for stage in self.stages:
            if stage.lower <= value < stage.upper:
                return stage
        last = self.stages[-1]
        return last if value == last.upper else None
