"""What reports take from the instrument itself: the language its content is printed in, and the method note.

Reports have two languages. The interface (headings, sentences, numbers) is Georgian or English, the
languages the catalogues have; the content (the questionnaire's and rubric's texts) is any language the
questionnaire declares (``Questionnaire.content_languages``), Armenian say, or a draft translation. When the
two differ, or the content is a draft, the report says so in one line (``language_line``): a reader must
never take English headings over Armenian questions, or a draft, for an oversight.
"""
from __future__ import annotations

from babel import Locale
from flask_babel import gettext as _

from capacity.assessments.models import Track
from capacity.labels import TRACKS
from capacity.questionnaires.model import KNOWN_LANGUAGES
from capacity.reporting.numbers import percent as _percent

INTERFACE_LANGUAGES = ("ka", "en")


def content_language(questionnaire, interface: str, wanted: str | None = None) -> str:
    """The language a report prints the questionnaire's texts in: ``wanted`` when the questionnaire declares it,
    else the interface's when declared, else English, else its first (``Questionnaire.content_language``)."""
    if wanted and wanted in questionnaire.content_languages:
        return wanted
    return questionnaire.content_language(interface)


def language_name(code: str, interface: str) -> str:
    """A language's name in the interface's language (Babel's: სომხური, Armenian), else its English name."""
    name = Locale.parse(interface).languages.get(code) if interface in INTERFACE_LANGUAGES else None
    return name or KNOWN_LANGUAGES.get(code, (code,))[0]


def language_line(questionnaire, interface: str, content: str) -> dict | None:
    """The report's note on its two languages, or None when the content is complete and in the interface's."""
    draft = content in questionnaire.draft_languages
    if content == interface and not draft:
        return None
    own = KNOWN_LANGUAGES.get(content, ("", content))[1]
    return {"interface": language_name(interface, interface), "content": language_name(content, interface),
            "own": own if own != language_name(content, interface) else "", "code": content, "draft": draft}


def content_mark(interface: str, content: str) -> str | None:
    """The ``lang`` the report marks its content with: only a language other than Georgian and English (those two
    are told apart by their letters, ``capacity.i18n.scripts``)."""
    return content if content != interface and content not in INTERFACE_LANGUAGES else None


def has_typed(questionnaire) -> bool:
    """Questions that are not levels of the scale, or asked only after a given answer."""
    return any(not i.has_levels or i.show_if is not None for i in questionnaire.indicators)


def method_facts(questionnaire, rubric, language: str) -> dict:
    """What the reports' method note names: the questionnaire and rubric by title and version, the rules' numbers,
    the instrument's own method note (``language``: the content's) and which of the rules apply to it."""
    return {"questionnaire": questionnaire.title.get(language), "questionnaire_version": questionnaire.version,
            "rubric": rubric.title.get(language), "rubric_version": rubric.version,
            "min_share": _percent(rubric.min_answered_share),
            "official_track": [str(TRACKS[Track(t)]) for t in rubric.official_track],
            "note": questionnaire.method.get(language) if questionnaire.method else "",
            "sub_areas": questionnaire.has_sub_areas, "typed": has_typed(questionnaire),
            "presentation": rubric.presentation, "extra": _extra_sentences(questionnaire, rubric)}


def _extra_sentences(questionnaire, rubric) -> list[str]:
    """The method's rules this instrument adds to the GESI instrument's (which prints none of these)."""
    sentences = []
    if questionnaire.has_sub_areas:
        sentences.append(_("Where a domain has sub-areas, its score is the weighted mean of its sub-areas' scores, "
                           "each the weighted mean of its indicators."))
    if has_typed(questionnaire):
        sentences.append(_("Answers that are not levels (yes or no, choices, numbers) score the level the rubric gives "
                           "them; answers the rubric does not score are shown and marked “not scored”. A question "
                           "asked only after a given answer counts as not applicable where it was not asked."))
    if rubric.presentation == "points":
        sentences.append(_("Results are shown in points: each answer scores its level, times its weight, out of the "
                           "most the answered questions could score; the stages are bands of points."))
    elif rubric.presentation == "percent":
        sentences.append(_("Results are shown as a percentage: the points scored (each answer's level, times its "
                           "weight) out of the most the answered questions could score; the stages are bands of "
                           "that percentage."))
    return sentences
