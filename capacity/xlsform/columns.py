"""The XLSForm columns, sheets, reserved names and fixed texts Capacity reads and writes.

One place for both directions, so export and import cannot drift apart.
"""
from __future__ import annotations

import re

from capacity.questionnaires.model import KNOWN_LANGUAGES, Text

SURVEY, CHOICES, SETTINGS, CROSSWALK = "survey", "choices", "settings", "capacity_crosswalk"
PROFILE_GROUP = "capacity_profile"  # the group holding the organisation profile questions
SCALE_LIST = "capacity_scale"  # an unused choices list naming the scale's levels
YES_NO_LIST = "capacity_yes_no"
ORGANISATION = "capacity_organisation"  # the collection form's first question
ORGANISATIONS_LIST = "capacity_organisations"
NA = "na"  # the choice of a scale indicator meaning "not applicable"
RESERVED = "capacity_"

# Columns of one text per language: written "<column>::<English name> (<code>)".
SURVEY_TEXTS = ("label", "hint", "constraint_message", "capacity_short", "capacity_unit", "capacity_description")
SURVEY_PLAIN = ("type", "name", "required", "relevant", "constraint", "calculation", "capacity_allow_na", "capacity_gesi",
                "capacity_rba", "capacity_weight", "capacity_kind", "capacity_breakdown", "capacity_rule",
                "capacity_numerator", "capacity_denominator", "capacity_source", "capacity_thresholds",
                "capacity_sub_area")
CHOICE_TEXTS = ("label",)
CHOICE_PLAIN = ("list_name", "name", "capacity_score")
SETTINGS_TEXTS = ("capacity_title", "capacity_description", "capacity_method")
# capacity_subject: the kind of subject the questionnaire assesses (written only when it is not an organisation).
SETTINGS_PLAIN = ("form_title", "form_id", "version", "default_language", "capacity_draft_languages", "capacity_subject")
CROSSWALK_PLAIN = ("from_version", "old_code", "new_code")

YES_NO_TEXTS = {
    "yes": {"ka": "დიახ", "en": "Yes", "ru": "Да", "hy": "Այո", "az": "Bəli"},
    "no": {"ka": "არა", "en": "No", "ru": "Нет", "hy": "Ոչ", "az": "Xeyr"},
}
NA_TEXTS = {"ka": "არ ეხება", "en": "Not applicable", "ru": "Не применимо", "hy": "Կիրառելի չէ", "az": "Tətbiq edilmir"}
# Constraint messages of number questions: (from–to, at least, at most) per language.
BOUNDS_TEXTS = {
    "ka": ("შეიყვანეთ რიცხვი {lo}-დან {hi}-მდე.", "შეიყვანეთ რიცხვი, არანაკლებ {lo}.", "შეიყვანეთ რიცხვი, არაუმეტეს {hi}."),
    "en": ("Enter a number from {lo} to {hi}.", "Enter a number of at least {lo}.", "Enter a number of at most {hi}."),
    "ru": ("Введите число от {lo} до {hi}.", "Введите число не меньше {lo}.", "Введите число не больше {hi}."),
    "hy": ("Մուտքագրեք թիվ՝ {lo}-ից {hi}։", "Մուտքագրեք թիվ՝ առնվազն {lo}։", "Մուտքագրեք թիվ՝ առավելագույնը {hi}։"),
    "az": ("{lo} ilə {hi} arasında ədəd daxil edin.", "Ən azı {lo} olan ədəd daxil edin.", "Ən çoxu {hi} olan ədəd daxil edin."),
}


def language_label(code: str) -> str:
    """How XLSForm names a language in column headers: "Georgian (ka)"."""
    return f"{KNOWN_LANGUAGES[code][0]} ({code})"


def text_column(column: str, code: str) -> str:
    return f"{column}::{language_label(code)}"


def language_of(written: str) -> str | None:
    """The language code a header's language part names: "English (en)", "en" or "English" (any case); None if unknown."""
    written = written.strip()
    match = re.fullmatch(r".*\(\s*([A-Za-z-]+)\s*\)", written)
    if match and match.group(1).lower() in KNOWN_LANGUAGES:
        return match.group(1).lower()
    if written.lower() in KNOWN_LANGUAGES:
        return written.lower()
    return next((code for code, names in KNOWN_LANGUAGES.items() if written.lower() in (names[0].lower(), names[1].lower())),
                None)


def texts_of(text: Text | None, languages: tuple[str, ...]) -> dict[str, str]:
    """The cell per language of ``text`` ("" where it has none: a draft may be partial)."""
    return {code: (text.own(code) if text else "") for code in languages}


def fixed_text(texts: dict[str, str], languages: tuple[str, ...]) -> dict[str, str]:
    """A built-in text (yes, no, not applicable) in each language, English where it has no translation."""
    return {code: texts.get(code, texts["en"]) for code in languages}


def number_text(value: float) -> str:
    """A number as a person writes it: 3 not 3.0, 0.25 as is."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))
