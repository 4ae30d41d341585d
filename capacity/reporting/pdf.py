"""Rendering report templates from reports/ to HTML and PDF, with the fonts shipped beside them.

WeasyPrint fetches URLs; its fetcher here serves only files inside reports/ and
the charts this report drew, so text a user typed can never make the server read
a file or call a host.
"""
from __future__ import annotations

import contextlib
import gc
import re
import threading
from pathlib import Path
from urllib.parse import unquote
from xml.etree import ElementTree

import cssselect2

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Re-exported: callers that print import them from here.
from capacity.reporting.html import (CHART_SCHEME, REPORTS_DIR, STYLESHEET, TEMPLATE_VERSION,  # noqa: F401
                                     data_uri, environment, render_for_print, render_html)


class RefusedURL(ValueError):
    """A report tried to load something from outside the report assets."""


class RestrictedFetcher(URLFetcher):
    """Serve only files under reports/ (fonts, CSS) and this report's charts; refuse every other URL."""

    def __init__(self, charts: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False)
        self.charts = charts or {}

    def fetch(self, url, headers=None):
        if url.startswith(CHART_SCHEME):
            if url not in self.charts:
                raise RefusedURL(f"no chart {url[:80]} in this report")
            return URLFetcherResponse(url, self.charts[url], {"Content-Type": "image/png"})
        if not url.startswith("file://"):
            raise RefusedURL(f"refused to fetch {url[:80]}")
        path = Path(unquote(url[len("file://"):].split("?", 1)[0])).resolve()
        if REPORTS_DIR not in path.parents:
            raise RefusedURL(f"refused to read {path}")
        return super().fetch(url, headers)


def warm_up(template: str) -> None:
    """Compile ``template`` and parse the stylesheet and fonts now (before forking workers that inherit them)."""
    environment().get_template(template)
    stylesheet()


def render_pdf(template: str, context: dict, language: str) -> bytes:
    """The report as PDF; charts reach WeasyPrint through the fetcher, not as megabytes of base64 in the HTML."""
    html, charts = render_for_print(template, context, language)
    return write_pdf(html, charts)


def write_pdf(html: str, charts: dict[str, bytes]) -> bytes:
    """A report's HTML (from ``render_for_print``) as PDF."""
    with collector_paused():
        return _write_pdf(html, charts)


# Tagged PDF/UA-1: a structure tree (headings, tables with their header cells, figures with the charts'
# text alternatives), /MarkInfo, the language and title from <html lang> and <title>; backgrounds, borders
# and the running headers are artifacts. The programme serves persons with disabilities: its reports must
# be readable with a screen reader. Tagging costs about 8% of WeasyPrint's part of a profile (25 ms, mostly
# writing and compressing the tree's objects); the radar's cached legend and the headline's table layout pay for it.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "pdf_tags": True}


def _write_pdf(html: str, charts: dict[str, bytes]) -> bytes:
    # A function of its own, so that the document's boxes are freed before the collector runs again.
    css, fonts = stylesheet()
    return _document(html, RestrictedFetcher(charts)).write_pdf(stylesheets=[css], font_config=fonts, **PDF_OPTIONS)


class _ParsedHTML(HTML):
    """A WeasyPrint document from an element tree we parsed ourselves (see ``_document``)."""

    def __init__(self, root: ElementTree.Element, url_fetcher: URLFetcher):
        # What HTML.__init__ sets after parsing (weasyprint 70–71, pinned in setup.cfg).
        self.base_url = str(REPORTS_DIR) + "/"
        self.url_fetcher = url_fetcher
        self.media_type = "print"
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


# White space before a block or table tag never prints, but WeasyPrint builds a box for each run of it
# and then throws it away: the templates' indentation cost about 6% of a profile (measured A/B).
_BEFORE_BLOCK = re.compile(r">\s+<(?=/?(?:html|head|body|meta|link|title|section|div|p|h[1-6]|table|caption|colgroup|col"
                           r"|thead|tbody|tr|th|td|ul|ol|li)\b)")


def _document(html: str, url_fetcher: URLFetcher) -> HTML:
    """The report's HTML as a WeasyPrint document.

    The report templates are well-formed XML, and the standard library's XML
    parser reads them about fifty times faster than WeasyPrint's pure-Python
    HTML5 parser (a twentieth of a profile's rendering). Text XML cannot carry
    (control characters pasted into a comment) falls back to the HTML5 parser.
    """
    html = _BEFORE_BLOCK.sub("><", html)
    try:
        root = ElementTree.fromstring(html.removeprefix("<!DOCTYPE html>"))
    except ElementTree.ParseError:
        return HTML(string=html, base_url=str(REPORTS_DIR) + "/", url_fetcher=url_fetcher)
    return _ParsedHTML(root, url_fetcher)


_local = threading.local()


def stylesheet() -> tuple[CSS, FontConfiguration]:
    """print.css and its four fonts, parsed and loaded once per thread (reloaded when the file changes).

    Loading the fonts took a fifth of a profile's rendering. Per thread, because
    a font configuration wraps fontconfig and Pango objects not meant to be shared
    between threads rendering at the same time.
    """
    stamp = STYLESHEET.stat().st_mtime_ns
    cached = getattr(_local, "stylesheet", None)
    if cached is None or cached[0] != stamp:
        fonts = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=fonts, url_fetcher=RestrictedFetcher())
        cached = _local.stylesheet = (stamp, css, fonts)
    return cached[1], cached[2]


_renders = 0
_renders_lock = threading.Lock()
_collector_was_enabled = True


@contextlib.contextmanager
def collector_paused():
    """Pause Python's cycle collector while WeasyPrint builds a document.

    A render allocates hundreds of thousands of small objects, which set off
    collections that walk the whole heap (pandas, matplotlib, SQLAlchemy): about
    a sixth of the rendering time. Memory is still freed by reference counting;
    cycles are collected once the last render running in this process ends.
    """
    global _renders, _collector_was_enabled
    with _renders_lock:
        _renders += 1
        if _renders == 1:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _renders_lock:
            _renders -= 1
            if _renders == 0 and _collector_was_enabled:
                gc.enable()
