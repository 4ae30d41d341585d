"""What every template may use: the language, labels and place names."""
from __future__ import annotations

from flask import Flask
from flask_login import current_user
from flask_babel import get_locale

from capacity import access, labels
from capacity.organisations.geography import MUNICIPALITIES, REGIONS, SERVICE_AREAS
from capacity.subjects.lookup import kind_of


def current_language() -> str:
    return str(get_locale() or "ka")


def _kind_text(subject, key: str, language: str) -> str:
    kind = kind_of(subject)
    return getattr(kind, key).get(language) if kind is not None else ""


def register_template_helpers(app: Flask) -> None:
    @app.context_processor
    def inject() -> dict:
        language = current_language()
        return {
            "lang": language,
            # What menus and headings may offer this user: templates ask this, never the role.
            "can": access.capabilities(current_user),
            "labels": labels,
            "language_names": labels.LANGUAGE_NAMES,
            "municipality_name": lambda code: MUNICIPALITIES[code].label(language) if code in MUNICIPALITIES else code,
            "region_name": lambda code: REGIONS[code].label(language) if code in REGIONS else code,
            "service_area_name": lambda code: SERVICE_AREAS[code].label(language) if code in SERVICE_AREAS else code,
            "localised": lambda obj: obj.name(language),
            # kind_text(subject, "profile"): a text of the subject's kind (questionnaires/subjects.yaml) in the
            # page's language, e.g. "Service profile"; "" for a kind no longer configured.
            "kind_text": lambda subject, key: _kind_text(subject, key, language),
        }
