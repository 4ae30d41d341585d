"""Both languages are complete: no user-facing string is left untranslated."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from capacity import PROJECT_ROOT, TRANSLATIONS_DIR
from capacity.i18n.catalogues import untranslated

MTAVRULI = re.compile("[\u1c90-\u1cbf]")


@pytest.mark.parametrize("language", ["ka", "en"])
def test_catalogue_has_no_untranslated_message(language):
    po = TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po"
    assert untranslated(po) == []


def test_catalogues_cover_every_string_in_the_code(tmp_path):
    """Extract the messages afresh: each must already be in the catalogues."""
    pot = tmp_path / "fresh.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(PROJECT_ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), str(PROJECT_ROOT)],
                   check=True, cwd=PROJECT_ROOT, capture_output=True)
    fresh = message_ids(pot)
    assert len(fresh) > 100
    for language in ("ka", "en"):
        known = message_ids(TRANSLATIONS_DIR / language / "LC_MESSAGES" / "messages.po")
        assert fresh - known == set(), f"run `make extract-messages` and translate ({language})"


def message_ids(path: Path) -> set:
    with path.open("rb") as handle:
        return {m.id for m in read_po(handle) if m.id}


def test_georgian_catalogue_has_no_capital_letters():
    po = (TRANSLATIONS_DIR / "ka" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert not MTAVRULI.search(po)


def test_no_template_uppercases_text():
    for template in Path(PROJECT_ROOT / "templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert "|upper" not in text and "|title" not in text, template
