from __future__ import annotations

from flask_babel import lazy_gettext as _l
from capacity.forms import FlaskForm  # WTForms messages from our catalogues
from wtforms import DateField, SelectChoice, SelectField, StringField, SubmitField, ValidationError
from wtforms.validators import DataRequired, Length, Regexp

from capacity.rounds.models import AssessmentRound, RoundKind
from capacity.assessments.models import Track
from capacity.labels import ROUND_KINDS, TRACKS, lang_attribute
from capacity.organisations.geography import municipality_choices
from capacity.questionnaires.library import Library
from capacity.rounds import services


def _key(identifier: str, version: str) -> str:
    return f"{identifier}@{version}"


def _missing(key: str) -> str:
    return str(_l("%(key)s (not in the questionnaires folder)", key=key))


def _assesses(title: str, library: Library, kind_code: str, language: str) -> str:
    kind = library.kind(kind_code)
    return str(_l("%(questionnaire)s — assesses: %(kind)s", questionnaire=title,
                  kind=kind.plural.get(language) if kind else kind_code))


class RoundForm(FlaskForm):
    """A round's names, kind, dates and the questionnaire and rubric versions it uses."""

    name_ka = StringField(_l("Name in Georgian"), validators=[DataRequired(), Length(max=200)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind of round"), validators=[DataRequired()])
    starts_on = DateField(_l("Start date"), validators=[DataRequired()])
    ends_on = DateField(_l("End date"), validators=[DataRequired()])
    questionnaire = SelectField(_l("Questionnaire version"), validators=[DataRequired()])
    rubric = SelectField(_l("Rubric version"), validators=[DataRequired()],
                         description=_l("The rubric must be made for the chosen questionnaire version."))
    submit = SubmitField(_l("Save"))

    def set_choices(self, library: Library, language: str, current: AssessmentRound | None = None) -> None:
        """Fill the selects from the questionnaires folder (plus the round's own versions, if since removed)."""
        self.library = library
        self.kind.choices = [SelectChoice(kind.value, str(ROUND_KINDS[kind])) for kind in RoundKind]
        questionnaires = sorted(library.questionnaires.values(), key=lambda q: q.key)
        titles = {q.key: str(_l("%(title)s, version %(version)s", title=q.title.get(language), version=q.version))
                  for q in questionnaires}
        # Each questionnaire says what it assesses (the kind's plural as a label): a round covers subjects of that kind.
        self.questionnaire.choices = [SelectChoice(q.key, _assesses(titles[q.key], library, q.subject, language))
                                      for q in questionnaires]
        self.rubric.choices = []
        for rubric in sorted(library.rubrics.values(), key=lambda r: (r.questionnaire_key, r.key)):
            label = _l("%(title)s, version %(version)s", title=rubric.title.get(language), version=rubric.version)
            group = _l("For %(questionnaire)s", questionnaire=titles.get(rubric.questionnaire_key, rubric.questionnaire_key))
            self.rubric.choices.append(SelectChoice(rubric.key, str(label), optgroup=str(group)))
        if current is not None:
            q_key = _key(current.questionnaire_id, current.questionnaire_version)
            r_key = _key(current.rubric_id, current.rubric_version)
            if q_key not in library.questionnaires:
                self.questionnaire.choices.append(SelectChoice(q_key, _missing(q_key)))
            if r_key not in library.rubrics:
                self.rubric.choices.append(SelectChoice(r_key, _missing(r_key)))

    def fill_from(self, round_: AssessmentRound) -> None:
        self.kind.data = round_.kind.value
        self.questionnaire.data = _key(round_.questionnaire_id, round_.questionnaire_version)
        self.rubric.data = _key(round_.rubric_id, round_.rubric_version)

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(services.END_BEFORE_START)

    def validate_rubric(self, field) -> None:
        rubric = self.library.rubrics.get(field.data)
        if rubric is not None and rubric.questionnaire_key != self.questionnaire.data:
            raise ValidationError(services.RUBRIC_MISMATCH)

    def values(self) -> dict:
        questionnaire_id, _, questionnaire_version = self.questionnaire.data.rpartition("@")
        rubric_id, _, rubric_version = self.rubric.data.rpartition("@")
        return {
            "name_ka": self.name_ka.data.strip(),
            "name_en": self.name_en.data.strip(),
            "kind": RoundKind(self.kind.data),
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "questionnaire_id": questionnaire_id,
            "questionnaire_version": questionnaire_version,
            "rubric_id": rubric_id,
            "rubric_version": rubric_version,
        }


class NewRoundForm(RoundForm):
    code = StringField(
        _l("Code"),
        description=_l("2–32 lower-case Latin letters, digits or hyphens, e.g. endline-2026. It cannot be changed later."),
        validators=[DataRequired(), Regexp(services.CODE_PATTERN, message=services.BAD_CODE)],
    )


class RoundActionForm(FlaskForm):
    """An empty form: the open and close buttons with their CSRF token."""


class ProgressFilterForm(FlaskForm):
    """The progress grid's filters, read from the query string (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    municipality = SelectField(_l("Municipality"))
    mentor = SelectField(_l("Mentor"))
    # The same choices as the column headers' links: on a phone the table becomes cards without headers.
    sort = SelectField(_l("Sort by"), choices=[
        SelectChoice("code", _l("Code")), SelectChoice("organisation", _l("Organisation")),
        SelectChoice("municipality", _l("Municipality")),
        *[SelectChoice(track.value, TRACKS[track]) for track in Track],
        SelectChoice("activity", _l("Last activity"))], default="code")
    order = SelectField(_l("Order"), choices=[
        SelectChoice("asc", _l("Ascending (A–Z, not started first, oldest first)")),
        SelectChoice("desc", _l("Descending (Z–A, furthest along first, newest first)"))], default="asc")

    def set_choices(self, language: str, mentors: list, subject_name: str | None = None) -> None:
        """The municipalities and mentors to filter by; ``subject_name``: what the round's subjects are called
        (its kind's name: "Service"), for the sort choice that orders them by name."""
        if subject_name is not None:
            self.sort.choices = [SelectChoice("organisation", subject_name) if choice.value == "organisation" else choice
                                 for choice in self.sort.choices]
        self.municipality.choices = [SelectChoice("", str(_l("All municipalities")))] + [
            SelectChoice(code, label, optgroup=group)
            for group, options in municipality_choices(language)
            for code, label in options
        ]
        self.mentor.choices = [SelectChoice("", str(_l("All mentors")))] + [
            SelectChoice(str(m.id), m.display_name, render_kw=lang_attribute(m.display_name, language)) for m in mentors
        ]

    def chosen(self) -> tuple[str | None, int | None]:
        """(municipality code, mentor id) chosen among the offered options; unknown values are ignored."""
        municipalities = {choice.value for choice in self.municipality.choices}
        mentors = {choice.value for choice in self.mentor.choices}
        municipality = self.municipality.data if self.municipality.data in municipalities else ""
        mentor = self.mentor.data if self.mentor.data in mentors else ""
        return municipality or None, int(mentor) if mentor else None
