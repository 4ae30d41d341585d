from __future__ import annotations

from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import EmailField, PasswordField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional

from capacity.auth.models import Role
from capacity.forms import MultiCheckboxField, row_id
from capacity.labels import LANGUAGE_NAMES, ROLES
from capacity.auth.passwords import MIN_PASSWORD_LENGTH
from capacity.organisations.geography import municipality_choices


class UserForm(FlaskForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    role = SelectField(_l("Role"), validators=[DataRequired(message=_l("Choose the role of this account."))])
    organisation = SelectField(
        _l("Organisation"), description=_l("Only for organisation staff accounts."), validators=[Optional()]
    )
    language = SelectField(_l("Language"), choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGE_NAMES.items()])
    mentor_organisations = MultiCheckboxField(
        _l("Organisations this mentor supports"), description=_l("Only for mentor accounts."), coerce=row_id
    )
    # A municipal working group member (staff) or a facilitator (mentor) works on a municipality's assessments.
    municipalities = MultiCheckboxField(
        _l("Municipalities"),
        description=_l("Only for staff and mentor accounts: they work on the assessments of these municipalities "
                       "(a staff account of a municipal working group needs no organisation)."),
        validate_choice=False,  # the service says what is wrong with a code
    )
    submit = SubmitField(_l("Save"))

    def set_choices(self, organisations: list, language: str) -> None:
        """``organisations``: the subjects an account can belong to or a mentor be assigned to."""
        self.municipality_groups = municipality_choices(language)  # [(region, [(code, name)])]: one box per region
        self.municipalities.choices = [SelectChoice(code, name) for _region, options in self.municipality_groups
                                       for code, name in options]
        self.role.choices = self.role_choices()
        self.organisation.choices = [SelectChoice("", str(_l("Choose…")))] + [
            SelectChoice(o.code, f"{o.code} — {o.name(language)}") for o in organisations]
        self.mentor_organisations.choices = [SelectChoice(o.id, f"{o.code} — {o.name(language)}") for o in organisations]

    def role_choices(self) -> list[SelectChoice]:
        return [SelectChoice(role.value, str(ROLES[role])) for role in Role]


class NewUserForm(UserForm):
    # A new account starts with no role chosen: the first role in the list is the administrator's,
    # which nobody should get by overlooking the field.
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)d characters; a few words in a row make a good password. "
                       "Give it to the person in a safe way.", n=MIN_PASSWORD_LENGTH),
    )

    def role_choices(self) -> list[SelectChoice]:
        return [SelectChoice("", str(_l("Choose…")))] + super().role_choices()


class PasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=200)],
        description=_l("At least %(n)d characters; a few words in a row make a good password.", n=MIN_PASSWORD_LENGTH),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("password", message=_l("The two passwords are not the same."))],
    )
    submit = SubmitField(_l("Set password"))


class ConfirmForm(FlaskForm):
    """An empty form: a POST button with its CSRF token."""

    submit = SubmitField(_l("Confirm"))
