"""The language a questionnaire's own texts are shown in, and answers as readers see them.

The interface has two languages (ka, en); a questionnaire declares its own content languages
(``Questionnaire.languages``, plus partial ``draft_languages``). A user may choose which of them
the questions are shown in; the choice is kept in their session (per user) and used on every
answering page. Whenever the questions are not in the interface's language, or come from a
draft translation, the page says so (``ContentLanguage.notices``): never silently.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal
from flask import session
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from capacity.questionnaires.forms import YES_NO_LABELS
from capacity.questionnaires.model import KNOWN_LANGUAGES, Condition, Indicator, Questionnaire
from capacity.questionnaires.values import Raw, decode, display

SESSION_KEY = "content_language"
# Each content language named in the interface's language (the switch names each in its own).
LANGUAGE_LABELS = {"ka": _l("Georgian"), "en": _l("English"), "ru": _l("Russian"), "hy": _l("Armenian"),
                   "az": _l("Azerbaijani")}


def chosen_language(user) -> str | None:
    """The content language this user chose in this session, or None."""
    choices = session.get(SESSION_KEY)
    if not isinstance(choices, dict):
        return None
    choice = choices.get(str(getattr(user, "id", "")))
    return choice if choice in KNOWN_LANGUAGES else None


def remember_language(user, language: str) -> None:
    """Keep ``language`` (a KNOWN_LANGUAGES code) as this user's content language in this session."""
    choices = session.get(SESSION_KEY)
    choices = dict(choices) if isinstance(choices, dict) else {}
    choices[str(getattr(user, "id", ""))] = language
    session[SESSION_KEY] = choices


@dataclass(frozen=True)
class LanguageOption:
    code: str
    name: str  # in the language itself
    draft: bool
    current: bool


@dataclass(frozen=True)
class ContentLanguage:
    """Which language the questions are shown in on one page, the switch's choices, and what the page must say."""

    code: str
    interface: str
    options: list[LanguageOption]
    notices: list[str]

    @property
    def differs(self) -> bool:
        """The questions are in another language than the page around them (their elements get a ``lang``)."""
        return self.code != self.interface


def _fallback(questionnaire: Questionnaire) -> str:
    """The language a draft translation's missing texts come from (``Text.get``: English, then Georgian)."""
    return next((code for code in ("en", "ka") if code in questionnaire.languages), questionnaire.languages[0])


def _name(code: str) -> str:
    return str(LANGUAGE_LABELS[code]) if code in LANGUAGE_LABELS else code


def content_language(user, questionnaire: Questionnaire, interface: str) -> ContentLanguage:
    """The content language for ``user`` on a page of ``questionnaire`` in ``interface`` language."""
    code = questionnaire.content_language(chosen_language(user) or interface)
    options = [LanguageOption(c, KNOWN_LANGUAGES[c][1] if c in KNOWN_LANGUAGES else c,
                              c in questionnaire.draft_languages, c == code) for c in questionnaire.content_languages]
    notices = []
    if code != interface:
        if interface in questionnaire.content_languages:
            notices.append(_("The questions are shown in %(content)s, as you chose; the rest of the page is in "
                             "%(interface)s.", content=_name(code), interface=_name(interface)))
        else:
            notices.append(_("This questionnaire has no %(interface)s version: its questions are shown in %(content)s.",
                             interface=_name(interface), content=_name(code)))
    if code in questionnaire.draft_languages:
        notices.append(_("%(content)s is a draft translation: texts not translated yet are shown in %(fallback)s.",
                         content=_name(code), fallback=_name(_fallback(questionnaire))))
    return ContentLanguage(code, interface, options, notices)


def number_text(indicator: Indicator, value: float | Decimal, language: str, interface: str) -> str:
    """A number answer as the interface writes numbers ("1 250,5" in Georgian), with the question's unit."""
    shown = format_decimal(Decimal(str(value)), locale=interface, decimal_quantization=False)
    unit = indicator.number.unit.get(language) if indicator.number and indicator.number.unit else ""
    return f"{shown} {unit}".strip()


def raw_text(questionnaire: Questionnaire, indicator: Indicator, raw: Raw, language: str, interface: str) -> str:
    """A raw answer (``values.decode``) as a reader sees it: "3 — Established", "Yes", the options ticked, …"""
    if raw is None:
        return ""
    if indicator.has_levels:
        name = questionnaire.level_name(int(raw))
        return f"{int(raw)} — {name.get(language)}" if name else str(raw)
    if indicator.type == "multiple" and not raw:
        return _("None of these")
    if indicator.type == "number":
        return number_text(indicator, raw, language, interface)
    return display(indicator, raw, language, yes=str(YES_NO_LABELS["yes"]), no=str(YES_NO_LABELS["no"]))


def answer_text(questionnaire: Questionnaire, indicator: Indicator, answer, language: str, interface: str) -> str:
    """A stored answer (a row, or a snapshot's level/value/na) as a reader sees it; "" when unanswered."""
    if answer is None:
        return ""
    level, value, na = (answer["level"], answer.get("value"), answer["na"]) if isinstance(answer, dict) else (
        answer.level, answer.value, answer.not_applicable)
    if na:
        return _("Not applicable")
    return raw_text(questionnaire, indicator, decode(indicator, level, value), language, interface)


def condition_note(questionnaire: Questionnaire, condition: Condition, language: str, interface: str) -> str:
    """"Answer only if …" in the interface's language, the answers it names in the content language."""
    source = questionnaire.indicator(condition.code)
    if source is None:
        return ""

    def value_text(value) -> str:
        if condition.operator in ("at_least", "at_most"):
            if source.has_levels:
                return raw_text(questionnaire, source, int(value), language, interface)
            return number_text(source, value, language, interface)
        return raw_text(questionnaire, source, int(value) if source.has_levels else value, language, interface)

    code = condition.code
    if condition.operator == "equals":
        return _("Answer only if the answer to %(code)s is “%(value)s”.", code=code, value=value_text(condition.value))
    if condition.operator == "any_of":
        values = "”, “".join(value_text(v) for v in condition.value)
        return _("Answer only if the answer to %(code)s is one of “%(values)s”.", code=code, values=values)
    if condition.operator == "includes":
        option = source.option(condition.value)
        return _("Answer only if “%(value)s” is ticked in %(code)s.", code=code,
                 value=option.text.get(language) if option else condition.value)
    if condition.operator == "at_least":
        return _("Answer only if the answer to %(code)s is at least %(value)s.", code=code,
                 value=value_text(condition.value))
    return _("Answer only if the answer to %(code)s is at most %(value)s.", code=code, value=value_text(condition.value))
