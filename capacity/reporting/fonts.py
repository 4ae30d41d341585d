"""Which of the fonts shipped in reports/fonts print which script, so every content language prints in them.

A PDF embeds only the fonts print.css names (``@font-face``); text in a script none of them covers would
print as empty boxes, or as whatever fonts the server happens to have. So a questionnaire may declare a
content language only when its script (``model.KNOWN_LANGUAGES``) has a font here: the questionnaire
validator asks ``font_for_script`` and refuses the file otherwise. Noto Sans covers Latin (with
Azerbaijani's ə) and Cyrillic; Georgian and Armenian have Noto fonts of their own (OFL, reports/fonts/OFL.txt).

No WeasyPrint or matplotlib here: the validator imports this module.
"""
from __future__ import annotations

from pathlib import Path

from capacity import resources

# script → (the family name print.css and the charts use, its regular and bold files)
SCRIPT_FONTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "Latin": ("Noto Sans", ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")),
    "Cyrillic": ("Noto Sans", ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")),
    "Georgian": ("Noto Sans Georgian", ("NotoSansGeorgian-Regular.ttf", "NotoSansGeorgian-Bold.ttf")),
    "Armenian": ("Noto Sans Armenian", ("NotoSansArmenian-Regular.ttf", "NotoSansArmenian-Bold.ttf")),
}
# The order the charts fall back through, like print.css's font-family on html: Latin first (digits, codes).
FAMILIES = ("Noto Sans", "Noto Sans Georgian", "Noto Sans Armenian")


def fonts_dir() -> Path:
    return resources.reports_dir() / "fonts"


def font_for_script(script: str) -> list[Path] | None:
    """The shipped font files (regular, bold) that print ``script``; None when none is shipped for it."""
    known = SCRIPT_FONTS.get(script)
    if known is None:
        return None
    paths = [fonts_dir() / name for name in known[1]]
    return paths if all(path.is_file() for path in paths) else None


def family_for_script(script: str) -> str | None:
    """The font family print.css declares for ``script`` (None: no font shipped for it)."""
    return SCRIPT_FONTS[script][0] if font_for_script(script) else None


def font_for_language(code: str) -> list[Path] | None:
    """The font files for a content language's script (``model.KNOWN_LANGUAGES``); None for an unknown language."""
    from capacity.questionnaires.model import KNOWN_LANGUAGES

    known = KNOWN_LANGUAGES.get(code)
    return font_for_script(known[2]) if known else None


def regular_fonts() -> list[Path]:
    """Each shipped family's regular face, once: what the charts register with matplotlib."""
    seen: dict[str, Path] = {}
    for family, names in SCRIPT_FONTS.values():
        seen.setdefault(family, fonts_dir() / names[0])
    return [path for path in seen.values() if path.is_file()]
