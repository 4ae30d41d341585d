"""Which language a piece of text is written in, judged by its letters, for ``lang`` attributes.

Pages mark text in a language other than their own (WCAG 3.1.2: screen readers switch voice), but
names and comments typed by people carry no language. The programme writes Georgian and English
only, so Georgian letters mean ka and Latin letters mean en; text with both, or with neither
(a number, an e-mail address, a code), is left to the page's language.
"""
from __future__ import annotations

import re

# Mkhedruli, Mtavruli, Asomtavruli and Nuskhuri.
_GEORGIAN = re.compile("[\u10a0-\u10ff\u1c90-\u1cbf\u2d00-\u2d2f]")
_LATIN = re.compile("[A-Za-z\u00c0-\u024f]")


def written_in(text: str) -> str | None:
    """"ka" or "en" when ``text`` has letters of one of the two scripts only, else None."""
    georgian, latin = bool(_GEORGIAN.search(text)), bool(_LATIN.search(text))
    if georgian == latin:
        return None
    return "ka" if georgian else "en"


def lang_to_mark(text: str, page_language: str) -> str | None:
    """The ``lang`` attribute ``text`` needs on a page in ``page_language``, or None when it needs none."""
    language = written_in(text)
    return language if language and language != page_language else None
