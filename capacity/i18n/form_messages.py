"""The messages WTForms and Flask-WTF write themselves, listed so that ``make extract-messages`` puts
them in our catalogues.

Neither package's Georgian exists (WTForms ships no ka catalogue; Flask-WTF's CSRF reasons are plain
English), so capacity.forms.FlaskForm looks every one of them up in capacity/translations. The text
of each msgid must be exactly the package's (tests/test_language.py compares them with WTForms'
own template, so an upgrade that adds a message is noticed).

Plural messages use ``ngettext`` as the marker: it is one of pybabel's default keywords, while
``lazy_ngettext`` is not (the Makefile adds only ``_l`` and ``lazy_gettext``).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as ngettext

# wtforms.validators and wtforms.fields, one message per line.
WTFORMS = (
    ngettext("Field must be at least %(min)d character long.",
             "Field must be at least %(min)d characters long.", 2),
    ngettext("Field cannot be longer than %(max)d character.",
             "Field cannot be longer than %(max)d characters.", 2),
    ngettext("Field must be exactly %(max)d character long.",
             "Field must be exactly %(max)d characters long.", 2),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid IP address."),
    _l("Invalid Mac address."),
    _l("Invalid URL."),
    _l("Invalid UUID."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Field must be equal to %(other_name)s."),
    _l("Invalid field name '%s'."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    ngettext("'%(value)s' is not a valid choice for this field.",
             "'%(value)s' are not valid choices for this field.", 2),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)

# WTForms' session-based CSRF (wtforms.csrf.session): not used by Flask-WTF, listed because WTForms'
# template has them and a form could choose that CSRF class.
WTFORMS_CSRF = (
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
)

# flask_wtf.csrf.validate_csrf: the reasons a form's CSRF field is refused.
FLASK_WTF_CSRF = (
    _l("The CSRF token is missing."),
    _l("The CSRF session token is missing."),
    _l("The CSRF token has expired."),
    _l("The CSRF token is invalid."),
    _l("The CSRF tokens do not match."),
)
