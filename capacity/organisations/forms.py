from __future__ import annotations

from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from capacity.forms import MultiCheckboxField, row_id
from capacity.organisations.geography import SERVICE_AREAS, municipality_choices
from capacity.organisations.services import CODE_PATTERN


class OrganisationForm(FlaskForm):
    code = StringField(
        _l("Code"),
        description=_l("2–16 capital Latin letters, digits or hyphens, e.g. TEL-01. It cannot be changed later."),
        validators=[DataRequired(), Regexp(CODE_PATTERN, message=_l("Use 2–16 capital Latin letters, digits or hyphens, e.g. TEL-01."))],
    )
    name_ka = StringField(_l("Name in Georgian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    # No municipality is chosen in advance: a pre-selected first one was saved unnoticed.
    municipality = SelectField(_l("Municipality"), validators=[DataRequired(message=_l("Choose the municipality."))])
    service_areas = MultiCheckboxField(_l("Service areas"))
    contact_name = StringField(_l("Contact person"), validators=[Optional(), Length(max=120)])
    contact_email = EmailField(_l("Contact e-mail"), validators=[Optional(), Email(), Length(max=254)])
    contact_phone = TelField(_l("Contact phone"), validators=[Optional(), Length(max=40)])
    active = BooleanField(_l("Active in the programme"), default=True)
    submit = SubmitField(_l("Save"))

    def set_choices(self, language: str) -> None:
        self.municipality.choices = [SelectChoice("", str(_l("Choose…")))] + [
            SelectChoice(code, label, optgroup=group)
            for group, options in municipality_choices(language)
            for code, label in options
        ]
        self.service_areas.choices = [SelectChoice(code, area.label(language)) for code, area in SERVICE_AREAS.items()]

    def values(self) -> dict:
        return {
            "name_ka": self.name_ka.data.strip(),
            "name_en": self.name_en.data.strip(),
            "municipality": self.municipality.data,
            "service_areas": list(self.service_areas.data or []),
            "contact_name": (self.contact_name.data or "").strip(),
            "contact_email": (self.contact_email.data or "").strip().lower(),
            "contact_phone": (self.contact_phone.data or "").strip(),
            "active": bool(self.active.data),
        }


class MentorsForm(FlaskForm):
    """Which mentors support one organisation: a checkbox per mentor account."""

    mentors = MultiCheckboxField(_l("Mentors of this organisation"), coerce=row_id,
                                 description=_l("A mentor sees and scores only the organisations assigned to them."))
    submit = SubmitField(_l("Save"))

    def set_choices(self, mentors: list) -> None:
        self.mentors.choices = [
            SelectChoice(m.id, m.display_name + ("" if m.active else " — " + str(_l("deactivated"))) + f" ({m.email})")
            for m in mentors
        ]
