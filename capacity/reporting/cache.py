"""Rendered PDFs, kept under a key of everything that shapes them.

The key hashes the report's view model (every number, name, answer and chart it
prints — so any change in answers, profile data, questionnaire or rubric makes a
new key), the template and stylesheet, the language and the template version.
Building the view model takes a fraction of rendering, which the cache skips.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from capacity.reporting.pdf import REPORTS_DIR, TEMPLATE_VERSION, render_pdf


def cache_key(template: str, data: dict, language: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{TEMPLATE_VERSION}|{template}|{language}|".encode())
    for asset in (template, "print.css"):
        digest.update((REPORTS_DIR / asset).read_bytes())
    digest.update(json.dumps(data, sort_keys=True, ensure_ascii=False, default=str).encode())
    return digest.hexdigest()


def cached_pdf(instance_path: str, template: str, context_name: str, data: dict, language: str) -> bytes:
    """The PDF from the cache, or rendered now and stored (written atomically, so readers never see half a file)."""
    folder = Path(instance_path) / "cache" / "reports"
    path = folder / f"{cache_key(template, data, language)}.pdf"
    if path.is_file():
        return path.read_bytes()
    pdf = render_pdf(template, {context_name: data}, language)
    folder.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    partial.replace(path)
    return pdf
