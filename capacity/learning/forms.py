"""The library's filters, read from the query string (no CSRF: they change nothing)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectChoice, SelectField

from capacity.forms import FlaskForm
from capacity.learning import services
from capacity.questionnaires.library import Library


class LibraryFilterForm(FlaskForm):
    class Meta:
        csrf = False

    kind = SelectField(_l("Kind"))
    topic = SelectField(_l("Domain or indicator"))
    gesi = SelectField(_l("GESI topic"))

    def set_choices(self, library: Library, language: str) -> None:
        self.kind.choices = [SelectChoice("", str(_l("All kinds")))] + [
            SelectChoice(kind, str(label)) for kind, label in services.KIND_LABELS.items()]
        self.topic.choices = [SelectChoice("", str(_l("All domains and indicators")))] + [
            SelectChoice(value, label, optgroup=group)
            for group, options in services.topic_choices(library, language) for value, label in options]
        self.gesi.choices = [SelectChoice("", str(_l("All GESI topics")))] + [
            SelectChoice(tag, str(label)) for tag, label in services.GESI_TAG_LABELS.items()]

    def chosen(self) -> services.Filters:
        """The filters chosen among the offered options; anything else (an edited address) is ignored."""
        def offered(field: SelectField) -> str | None:
            values = {choice.value for choice in field.choices}
            return field.data if field.data and field.data in values else None
        return services.Filters(kind=offered(self.kind), topic=offered(self.topic), gesi=offered(self.gesi))
