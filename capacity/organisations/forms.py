from __future__ import annotations

from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import BooleanField, EmailField, SelectChoice, SelectField, StringField, SubmitField, TelField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp

from capacity.forms import MultiCheckboxField, row_id
from capacity.organisations.geography import SERVICE_AREAS, municipality_choices
from capacity.organisations.services import CODE_PATTERN
from capacity.subjects.kinds import DEFAULT_KIND
from capacity.subjects.lookup import all_kinds


class OrganisationForm(FlaskForm):
    """A subject of any configured kind: an organisation, a service (belonging to an organisation), a municipality.

    The kind and "belongs to" choices are checked by the service (capacity.organisations.services), which words
    each refusal; the selects do not refuse an unknown value themselves.
    """

    kind = SelectField(_l("Kind"), default=DEFAULT_KIND, validate_choice=False)
    parent = SelectField(_l("Belongs to"), validate_choice=False,
                         description=_l("Only for a kind that belongs to another, e.g. a service to its organisation."))
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

    def set_choices(self, language: str, parents: list | None = None, current_kind: str | None = None) -> None:
        """``parents``: the subjects something may belong to (of a parent kind), grouped under their kind."""
        kinds = all_kinds()
        self.kind.choices = [SelectChoice(code, kind.name.get(language)) for code, kind in kinds.items()]
        if current_kind and current_kind not in kinds:  # a kind no longer configured: shown as its code
            self.kind.choices.append(SelectChoice(current_kind, current_kind))
        self.parent.choices = [SelectChoice("", str(_l("Belongs to none")))] + [
            SelectChoice(p.code, f"{p.code} — {p.name(language)}",
                         optgroup=kinds[p.kind].plural.get(language) if p.kind in kinds else p.kind)
            for p in parents or []
        ]
        self.municipality.choices = [SelectChoice("", str(_l("Choose…")))] + [
            SelectChoice(code, label, optgroup=group)
            for group, options in municipality_choices(language)
            for code, label in options
        ]
        self.service_areas.choices = [SelectChoice(code, area.label(language)) for code, area in SERVICE_AREAS.items()]

    def values(self) -> dict:
        return {
            "kind": self.kind.data or "",
            "parent": self.parent.data or None,
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
