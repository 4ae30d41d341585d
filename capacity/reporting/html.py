"""Report templates (reports/) rendered to HTML: the half of printing that needs no WeasyPrint.

The web preview shows this HTML; ``capacity.reporting.pdf`` turns it into a PDF.
Kept apart so that a process can build a report's HTML while another loads
WeasyPrint (``capacity.reporting.printer``), and so the preview never imports it.
"""
from __future__ import annotations

import base64
from typing import Callable

from flask import current_app
from flask_babel import force_locale
from jinja2 import FileSystemLoader
from markupsafe import Markup, escape

from capacity import resources
from capacity.i18n.scripts import lang_to_mark, mark_other_script

REPORTS_DIR = resources.reports_dir().resolve()
STYLESHEET = REPORTS_DIR / "print.css"
TEMPLATE_VERSION = "7"  # bump when a report template changes, so cached PDFs are rebuilt
CHART_SCHEME = "chart:"


def data_uri(png: bytes) -> str:
    """A chart inline in an HTML page (the web preview)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii") if png else ""


def environment():
    """The report templates' Jinja environment: one per app, so templates are compiled once, not on every report."""
    reports = current_app.extensions.get("capacity.reports")
    if reports is None:
        reports = current_app.extensions["capacity.reports"] = current_app.jinja_env.overlay(
            loader=FileSystemLoader(str(REPORTS_DIR)))
    return reports


def render_html(template: str, context: dict, language: str, chart: Callable[[bytes], str] = data_uri) -> str:
    """The report as HTML in ``language`` (templates live in reports/); ``chart`` turns a chart's PNG into an image URL.

    In the templates, ``marked(text)`` wraps the words in the other language of a questionnaire's text
    („დაცვის პოლიტიკა (safeguarding)“) in a ``lang`` span, and ``typed(text)`` wraps the whole of what a
    person typed (a mentor's name, a rationale) when it is written in the other script, so that the
    preview's screen readers say them right (WCAG 3.1.2). Both escape the text.
    """
    with force_locale(language):
        return environment().get_template(template).render(
            **context, lang=language, chart=chart, marked=lambda text: mark_other_script(text, language),
            typed=lambda text: _typed(text, language))


def _typed(text: str, language: str) -> Markup:
    other = lang_to_mark(text or "", language)
    return Markup('<span lang="{}">{}</span>').format(other, text) if other else escape(text)


def render_for_print(template: str, context: dict, language: str) -> tuple[str, dict[str, bytes]]:
    """The report's HTML for WeasyPrint, and its charts by URL: they reach it through the fetcher, not as
    megabytes of base64 in the HTML."""
    charts: dict[str, bytes] = {}

    def chart(png: bytes) -> str:
        url = f"{CHART_SCHEME}{len(charts)}"
        charts[url] = png
        return url

    return render_html(template, context, language, chart), charts
