"""Which language a piece of text is written in, judged by its letters, for ``lang`` attributes.

Pages mark text in a language other than their own (WCAG 3.1.2: screen readers switch voice), but
names and comments typed by people carry no language. The programme writes Georgian and English
only, so Georgian letters mean ka and Latin letters mean en; text with both, or with neither
(a number, an e-mail address, a code), is left to the page's language.
"""
from __future__ import annotations

import re

from markupsafe import Markup, escape

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


# A run of words in Latin letters ("Keeping Children Safe", "safeguarding"), and one in Georgian.
_LATIN_WORD = r"[A-Za-z](?:[A-Za-z'’]|-(?=[A-Za-z]))*"
# Not a part of an e-mail address, a URL, a file name or a code: those are in no language (mentor@example.org).
_LATIN_RUN = re.compile(rf"(?<![\w@./:\-]){_LATIN_WORD}(?:[ \u00a0]+{_LATIN_WORD})*(?![\w@/]|[.:][\w/]|-[A-Za-z0-9])")
_GEORGIAN_RUN = re.compile(r"[\u10a0-\u10ff\u1c90-\u1cbf]+(?:[ \u00a0\-„“,]+[\u10a0-\u10ff\u1c90-\u1cbf]+)*“?")
# Acronyms and codes stay in Latin letters in Georgian text and are read as such (GESI, PSEA, GESI-ის, ZIP).
_ACRONYM = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*")


def mark_other_script(text: str, page_language: str) -> Markup:
    """``text`` as HTML with each run of words in the other script wrapped in a ``lang`` span.

    For text that is mostly in the page's language with a few words of the other, as the programme's
    glossary asks for („დაცვის პოლიტიკა (safeguarding)“): a Georgian page marks the English words,
    an English page marks Georgian ones. Acronyms (GESI, PSEA, GESI-ის) are left as they are.
    Plain text is escaped; Markup (a template's translated string) is marked between its tags and entities.
    """
    if not text:
        return Markup("")
    if isinstance(text, Markup):
        parts = _TAG_OR_ENTITY.split(str(text))
        return Markup("".join(part if n % 2 else _marked(part, page_language, escape=str) for n, part in enumerate(parts)))
    return Markup(_marked(str(text), page_language, escape=escape))  # str(): a lazy translation, a number


_TAG_OR_ENTITY = re.compile(r"(<[^>]*>|&#?\w+;)")


def _marked(text: str, page_language: str, escape) -> str:
    pattern, language = (_GEORGIAN_RUN, "ka") if page_language == "en" else (_LATIN_RUN, "en")
    pieces, end = [], 0
    for found in pattern.finditer(text):
        run = found.group(0)
        if language == "en" and all(_ACRONYM.fullmatch(word) for word in run.split()):
            continue
        pieces += [escape(text[end:found.start()]), f'<span lang="{language}">{escape(run)}</span>']
        end = found.end()
    pieces.append(escape(text[end:]))
    return "".join(pieces)
