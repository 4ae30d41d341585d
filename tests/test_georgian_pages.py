"""Every page each role can open, in Georgian, has no unmarked Latin text (issue 12, WCAG 3.1.2); in English, no
unmarked Georgian.

A crawl with the Flask test client over the demo portfolio, as organisation staff, a mentor, the
programme manager and the administrator: it starts from every GET route of tests/test_access_matrix.py
and follows the links it finds. On each HTML page it reads what a person sees or hears (text, titles,
alternative texts, labels of controls) and fails on a run of Latin letters that is neither inside an
element whose ``lang`` is not "ka" (an organisation's English name in <span lang="en">) nor one of
what Georgian text writes in Latin letters anyway: a code (GOV.01, TEL-02, GESI, GESI-ის), an
e-mail address, a URL, a file name, a number with its unit, the brand "Capacity". An attribute or the page's
<title>, which cannot mark a part of itself, fails only when it has no Georgian at all (untranslated).

The same crawl in English fails on Georgian text not marked lang="ka" (a name or a comment typed in Georgian).
"""
from __future__ import annotations

import re
from collections import Counter, deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from tests.conftest import demo_app, login
from tests.test_access_matrix import ROUTES

PASSWORD = "capacity-demo"
ROLES = {
    "cso": "tel-01@demo.example.org",
    "mentor": "mentor.kakheti@demo.example.org",
    "manager": "manager@demo.example.org",
    "admin": "admin@demo.example.org",
}
ORGANISATION = "TEL-01"  # in Kakheti: the mentor above supports it
ROUNDS = ("baseline", "endline")
# How many pages of one shape (the same address with another organisation, or other query values) to read:
# enough to meet each kind of content, few enough for a fast test.
PER_SHAPE = 2
NOT_PAGES = re.compile(r"^/(static|report-assets|favicon\.ico)|\.(pdf|xlsx|zip|csv|json)$|^/evidence/\d+$|/download$")

# Elements whose text nobody sees or hears (a <template> unless it is a declarative shadow root).
UNSEEN = {"script", "style", "template"}
# Machine text, read out as it is: codes, keys, sample input; and the app's class="code" (GOV.01, a round's code).
MACHINE = {"code", "kbd", "samp"}
# Attributes read out or shown: tooltips, alternative texts, accessible names, hints in empty fields.
SEEN_ATTRIBUTES = ("title", "alt", "aria-label", "placeholder")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

LATIN = re.compile(r"[A-Za-z]")
GEORGIAN = re.compile("[ა-ჰ]")
GEORGIAN_RUN = re.compile(r"[ა-ჰ]+(?:[\s„“,.\-]+[ა-ჰ]+)*")
ALLOWED = [
    re.compile(r"Capacity"),  # the brand
    re.compile(r"[A-Z][A-Z0-9]*(?:[.\-][A-Z0-9]+)*(?:-[ა-ჰ]+)?"),  # codes and acronyms: GOV.01, TEL-02, GESI-ის, ZIP
    re.compile(r"(?=\S*\d)[a-z0-9]+(?:[.\-_][a-z0-9]+)+"),  # codes with digits: endline-2026, gesi-oca-1.0
    re.compile(r"[^\s@]+@[^\s@]+"),  # e-mail addresses
    re.compile(r"(?:https?://|www\.|/)\S*"),  # URLs and paths
    re.compile(r"[^\s/]+\.(?:pdf|docx?|xlsx?|odt|ods|csv|zip|png|jpe?g|txt|pptx?)", re.IGNORECASE),  # file names
    re.compile(r"[\d.,\u00a0 ]*\d\s?(?:KB|MB|GB|px|%)?"),  # numbers with units
]
# What a token may be wrapped in: quotation marks, brackets, punctuation.
EDGES = "„“”\"'«»()[]{}<>,;:!?.…·—–-*"


def allowed(token: str) -> bool:
    token = token.strip(EDGES) if not token.startswith(("/", "http")) else token
    return not LATIN.search(token) or any(pattern.fullmatch(token) for pattern in ALLOWED)


class VisibleText(HTMLParser):
    """Collects (language, text) pieces a person meets on a page, each with the language in force there."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, str | None, bool]] = []  # (tag, lang, unseen)
        self.pieces: list[tuple[str, str, bool]] = []  # (language, text, whole: an attribute or the <title>)
        self.links: list[str] = []

    def _lang(self) -> str:
        return next((lang for _tag, lang, _unseen in reversed(self.stack) if lang is not None), "ka")

    def _unseen(self) -> bool:
        return any(unseen for _tag, _lang, unseen in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        machine = tag in MACHINE or "code" in (attrs.get("class") or "").split() or attrs.get("translate") == "no"
        shadow_root = tag == "template" and ("shadowrootmode" in attrs or "shadowroot" in attrs)  # shown: declarative
        hidden = (tag in UNSEEN and not shadow_root) or machine or "hidden" in attrs \
            or (tag == "input" and attrs.get("type") == "hidden")
        lang = attrs.get("lang")
        if tag not in VOID:
            self.stack.append((tag, lang, hidden))
        if not hidden and not self._unseen():
            language = lang if lang is not None else self._lang()
            for name in SEEN_ATTRIBUTES:
                if attrs.get(name):
                    self.pieces.append((language, attrs[name], True))
            if tag == "input" and attrs.get("type") in ("submit", "button", "reset") and attrs.get("value"):
                self.pieces.append((language, attrs["value"], True))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, -1, -1):  # forgiving: close up to the matching open tag
            if self.stack[depth][0] == tag:
                del self.stack[depth:]
                break

    def handle_data(self, data):
        if data.strip() and not self._unseen():
            self.pieces.append((self._lang(), data, any(tag == "title" for tag, _lang, _unseen in self.stack)))


def offences(html: str, page_language: str = "ka") -> tuple[list[str], list[str]]:
    """The runs of text not marked with their language on a page (Latin on a Georgian page, Georgian on an
    English one), and its links."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    if page_language == "en":
        return [run for language, text, whole in parser.pieces if language == "en" and not (whole and LATIN.search(text))
                for run in GEORGIAN_RUN.findall(text)], parser.links
    found = []
    for language, text, whole in parser.pieces:
        if language != "ka":
            continue
        if whole and GEORGIAN.search(text):
            # An attribute or the <title> cannot mark a part of itself: Georgian with a few English words in it
            # („დაცვის პოლიტიკა (safeguarding)“ in an image's alternative text) is as good as it gets there.
            continue
        run: list[str] = []
        for token in text.split() + [""]:
            if token and not allowed(token):
                run.append(token)
            elif run:
                found.append(" ".join(run))
                run = []
    return found, parser.links


def shape(path: str) -> str:
    """The address with organisation codes, numbers and query values taken out: pages of one kind."""
    parts = urlsplit(path)
    address = re.sub(r"/[A-Z]{3}-\d{2}(?=/|$)", "/ORG", parts.path)
    address = re.sub(r"/\d+(?=/|$)", "/N", address)
    keys = sorted(pair.split("=", 1)[0] for pair in parts.query.split("&") if pair)
    return address + ("?" + "&".join(keys) if keys else "")


def seeds(user_id: int) -> list[str]:
    urls = []
    for (_endpoint, method), (url, _data, _expected) in ROUTES.items():
        if method == "GET":
            urls += [url.format(org=ORGANISATION, user=user_id, round=code) for code in ROUNDS]
    return ["/"] + list(dict.fromkeys(urls))


def crawl(app, role: str, language: str = "ka") -> tuple[dict[str, list[str]], int]:
    """{page: [offences]} for every page ``role`` reaches in ``language``, and how many pages were read."""
    client = app.test_client()
    assert login(client, ROLES[role], PASSWORD).status_code == 302
    client.post("/language", data={"language": language, "next": "/"})
    with app.app_context():
        staff_id = db.session.scalar(sa.select(User.id).where(User.email == ROLES["cso"]))
    queue, seen, shapes, found, read = deque(seeds(staff_id)), set(), Counter(), {}, 0
    while queue:
        path = queue.popleft()
        if path in seen or NOT_PAGES.search(urlsplit(path).path):
            continue
        seen.add(path)
        if shapes[shape(path)] >= PER_SHAPE:
            continue
        shapes[shape(path)] += 1
        response = client.get(path)
        if response.status_code in (301, 302, 303) and response.location:
            target = urlsplit(urljoin(path, response.location))
            if not target.netloc or target.netloc == "localhost":
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
            continue
        if not response.content_type.startswith("text/html"):
            continue
        read += 1
        page = response.get_data(as_text=True)
        assert f'<html lang="{language}">' in page, f"{path} is not in {language}"
        runs, links = offences(page, language)
        if runs:
            found[f"{path} ({response.status_code})"] = runs
        for link in links:
            target = urlsplit(urljoin(path, link))
            if target.scheme in ("", "http") and target.netloc in ("", "localhost") and target.path.startswith("/"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return found, read


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with demo_app(tmp_path_factory.mktemp("georgian-pages")) as app:
        yield app


def test_the_checker_tells_marked_and_unmarked_latin_apart():
    page = ('<html lang="ka"><head><title>Home · Capacity</title><script>var x = "Latin";</script></head>'
            '<body><p>კოდი GOV.01, TEL-02, GESI-ის; ფაილი policy.pdf (125 კბ); admin@demo.example.org; '
            'https://example.org/a; 363 300 ₾; 12,5%</p><p>ორგანიზაცია <span lang="en">Telavi Centre</span></p>'
            '<p>Not started yet</p><button aria-label="Remove file">x</button><input type="hidden" value="secret">'
            '<img src="b.png" alt="GESI და დაცვის პოლიტიკა (safeguarding): 1,77">'
            '<p hidden>Hidden text</p><img src="a.png" alt="Chart of levels"><p>რაუნდი endline-2026, '
            '<code>endline</code>, <span class="code">midline</span></p><p>baseline</p>'
            '<template><p>Not shown</p></template><div><template shadowrootmode="open"><p>Shown in a shadow root</p>'
            '</template></div></body></html>')
    runs, _links = offences(page)
    assert runs == ["Home", "Not started yet", "Remove file", "x", "Chart of levels", "baseline", "Shown in a shadow root"]


@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_is_georgian_or_marked(demo, role):
    found, read = crawl(demo, role)
    assert read > 10, f"the crawl read only {read} pages as {role}"
    report = "\n".join(f"{role} {page}: {' | '.join(dict.fromkeys(runs))}" for page, runs in sorted(found.items()))
    print(report)
    assert not found, f"Latin text not marked with its language on {len(found)} of {read} pages:\n{report}"


def test_the_checker_finds_unmarked_georgian_on_an_english_page():
    page = ('<html lang="en"><body><p>Mentor: ნინო ბერიძე, <span lang="ka">თამარ გელაშვილი</span></p>'
            '<button lang="ka">ქართული</button><img alt="Chart: GESI და დაცვის პოლიტიკა"></body></html>')
    assert offences(page, "en")[0] == ["ნინო ბერიძე"]


@pytest.mark.parametrize("role", list(ROLES))
def test_english_pages_mark_their_georgian_text(demo, role):
    """The other way round: people's names and comments typed in Georgian are marked on English pages."""
    found, read = crawl(demo, role, "en")
    assert read > 10, f"the crawl read only {read} pages as {role}"
    report = "\n".join(f"{role} {page}: {' | '.join(dict.fromkeys(runs))}" for page, runs in sorted(found.items()))
    print(report)
    assert not found, f"Georgian text not marked with its language on {len(found)} of {read} pages:\n{report}"
