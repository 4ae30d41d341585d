"""A new web worker does at start what its first requests would otherwise do.

Each gunicorn worker builds its own app; left cold, the first page each one served
parsed the questionnaire files and compiled its templates: 50–120 ms more than the
8 ms of a warm page, paid by whoever came first after every restart (and, with
four workers, in a twentieth of the first hundred pages). So a production web app
does that work when it is created, before it accepts a request.

It never touches the database (create_app's habit): files, templates and
translation catalogues only.
"""
from __future__ import annotations

import gc

from flask import Flask
from flask_babel import force_locale, get_translations

from capacity.config import LANGUAGES


def warm_up(app: Flask) -> None:
    """Load the questionnaires, compile every page template and read both catalogues, then freeze the heap."""
    from capacity.questionnaires.checker import DefinitionError
    from capacity.questionnaires.library import load_directory

    with app.app_context():
        try:
            load_directory()
        except DefinitionError:
            # Invalid files: the pages that need them say which and why; the worker still starts.
            app.logger.warning("questionnaires/ has invalid files: not preloaded")
        environment = app.jinja_env
        for name in environment.list_templates(extensions=["html"]):
            environment.get_template(name)
        with app.test_request_context():
            for language in LANGUAGES:
                with force_locale(language):
                    get_translations()
    # What exists now lives as long as the worker: moved out of the collector's sight, later
    # collections walk only what requests allocate (fewer and shorter pauses).
    gc.collect()
    gc.freeze()
