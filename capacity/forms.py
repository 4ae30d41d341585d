"""The base form of every form in the app, and form fields shared by several features.

Every form class derives from ``FlaskForm`` below, not from Flask-WTF's: WTForms' own messages
("This field is required.", "Not a valid choice.", …) and Flask-WTF's CSRF messages then come from
our catalogues (capacity/translations), in the page's language. WTForms ships no Georgian, and
Flask-WTF would look only in WTForms' catalogues. The msgids are listed for extraction in
capacity/i18n/form_messages.py.
"""
from __future__ import annotations

import flask_wtf
from flask_babel import get_translations
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from capacity.parsing import ascii_int


class CatalogueTranslations:
    """WTForms' translations object, answered by Flask-Babel's catalogue of the current request.

    WTForms formats the returned string itself (``% dict(min=…, max=…)``), so the lookups go to the
    catalogue directly: Flask-Babel's ``ngettext`` would format with ``num`` first and fail on ``%(min)d``.
    """

    def gettext(self, string: str) -> str:
        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return get_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()


class _TranslatedCSRF(_FlaskFormCSRF):
    """Flask-WTF's CSRF check, its (English) reasons translated through the catalogue."""

    def validate_csrf_token(self, form, field):
        try:
            super().validate_csrf_token(form, field)
        except ValidationError as error:
            raise ValidationError(TRANSLATIONS.gettext(str(error.args[0]))) from error


class FlaskForm(flask_wtf.FlaskForm):
    """Flask-WTF's form, speaking the page's language in every message (tests/test_language.py)."""

    class Meta(flask_wtf.FlaskForm.Meta):
        csrf_class = _TranslatedCSRF

        def get_translations(self, form):
            return TRANSLATIONS


def row_id(value: int | str) -> int:
    """``coerce`` for choices that are row ids: 1–9 ASCII digits (``int`` would also take "٣" and "1_000")."""
    number = value if isinstance(value, int) else ascii_int(value)
    if number is None:
        raise ValueError(value)
    return number


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes: keyboard- and screen-reader-friendly, unlike a multiple <select>."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
