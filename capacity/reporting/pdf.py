"""Rendering report templates from reports/ to HTML and PDF, with fonts shipped in the repository.

WeasyPrint fetches URLs; its fetcher here serves only files inside reports/,
so text a user typed can never make the server read a file or call a host.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from flask import current_app
from flask_babel import force_locale
from jinja2 import FileSystemLoader
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from capacity import PROJECT_ROOT

REPORTS_DIR = (PROJECT_ROOT / "reports").resolve()
TEMPLATE_VERSION = "1"  # bump when a report template changes, so cached PDFs are rebuilt


class RefusedURL(ValueError):
    """A report tried to load something from outside the report assets."""


class RestrictedFetcher(URLFetcher):
    """Serve only files under reports/ (fonts, CSS); refuse every other URL, scheme and host."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, allow_redirects=False)

    def fetch(self, url, headers=None):
        if url.startswith("data:image/png;base64,"):  # the charts we drew: self-contained, nothing to fetch
            return super().fetch(url, headers)
        if not url.startswith("file://"):
            raise RefusedURL(f"refused to fetch {url[:80]}")
        path = Path(unquote(url[len("file://"):].split("?", 1)[0])).resolve()
        if REPORTS_DIR not in path.parents:
            raise RefusedURL(f"refused to read {path}")
        return super().fetch(url, headers)


def render_html(template: str, context: dict, language: str) -> str:
    """The report as HTML in ``language`` (templates live in reports/)."""
    environment = current_app.jinja_env.overlay(loader=FileSystemLoader(str(REPORTS_DIR)))
    with force_locale(language):
        return environment.get_template(template).render(**context, lang=language)


def render_pdf(template: str, context: dict, language: str) -> bytes:
    html = render_html(template, context, language)
    return HTML(string=html, base_url=str(REPORTS_DIR) + "/", url_fetcher=RestrictedFetcher()).write_pdf()
