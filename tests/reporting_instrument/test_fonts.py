"""Every script a questionnaire may declare prints in a font the reports ship, declared in print.css, under the OFL."""
from __future__ import annotations

import re

import pytest
from fontTools.ttLib import TTFont

from capacity.questionnaires.model import KNOWN_LANGUAGES
from capacity.reporting import fonts
from capacity.reporting.html import REPORTS_DIR, STYLESHEET

# Letters each script's font must have: the whole alphabet, both cases where the script has them.
ALPHABETS = {
    "Latin": "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzƏəÇçĞğİıÖöŞşÜü",  # Azerbaijani's letters too
    "Cyrillic": "".join(chr(c) for c in range(0x0410, 0x0450)) + "Ёё",
    "Georgian": "".join(chr(c) for c in range(0x10D0, 0x10F1)) + "".join(chr(c) for c in range(0x1C90, 0x1CB1)),
    "Armenian": "".join(chr(c) for c in range(0x0531, 0x0557)) + "".join(chr(c) for c in range(0x0561, 0x0588)) + "։",
}


def _cmap(path) -> set[int]:
    return set(TTFont(path).getBestCmap())


@pytest.mark.parametrize("code", sorted(KNOWN_LANGUAGES))
def test_every_language_a_questionnaire_may_declare_has_a_shipped_font_with_all_its_letters(code):
    script = KNOWN_LANGUAGES[code][2]
    files = fonts.font_for_script(script)
    assert files and len(files) == 2, script  # regular and bold
    assert fonts.font_for_language(code) == files
    for path in files:
        assert path.parent == REPORTS_DIR / "fonts" and path.is_file()
        missing = [c for c in ALPHABETS[script] if ord(c) not in _cmap(path)]
        assert missing == [], (path.name, missing)


def test_a_script_without_a_shipped_font_has_none():
    assert fonts.font_for_script("Hebrew") is None
    assert fonts.font_for_script("") is None
    assert fonts.font_for_language("he") is None


def test_the_shipped_noto_sans_covers_cyrillic_so_russian_needs_no_font_of_its_own():
    regular = REPORTS_DIR / "fonts" / "NotoSans-Regular.ttf"
    assert fonts.font_for_script("Cyrillic")[0] == regular
    assert all(ord(c) in _cmap(regular) for c in "Организационный потенциал ЁёЙй")


def test_print_css_declares_every_shipped_font_and_falls_back_through_every_family():
    css = STYLESHEET.read_text(encoding="utf-8")
    declared = set(re.findall(r'url\("fonts/([^"]+)"\)', css))
    shipped = {p.name for p in (REPORTS_DIR / "fonts").glob("*.ttf")}
    assert declared == shipped
    for family in fonts.FAMILIES:
        assert f'font-family: "{family}"; src:' in css
    html_rule = re.search(r"\nhtml \{ font-family: ([^;]+);", css).group(1)
    assert [f.strip().strip('"') for f in html_rule.split(",")] == list(fonts.FAMILIES)
    assert ':lang(hy) { font-family: "Noto Sans Armenian"' in css  # Armenian content in its own font first


def test_the_licence_names_every_shipped_family():
    licence = (REPORTS_DIR / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    for family in fonts.FAMILIES:
        assert f"{family} (version" in licence, family
    for path in (REPORTS_DIR / "fonts").glob("*.ttf"):
        name = TTFont(path)["name"]
        assert "Open Font License" in name.getDebugName(13), path.name  # the font says so itself
