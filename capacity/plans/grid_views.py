"""The plan-status grid of a round, for programme managers and administrators (404 for everyone else).

It lists the active subjects of the round's kind only, each with the mentors its kind names
(``capacity.rounds.services.mentors_by_subject``); its headings name the kind and the kind's plan.
"""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import to_user_timezone
from flask_login import current_user
from werkzeug.routing import BuildError
from wtforms import SelectChoice, SelectField

from capacity import access
from capacity.extensions import db
from capacity.forms import FlaskForm
from capacity.labels import lang_attribute
from capacity.organisations.geography import REGIONS, municipality_choices
from capacity.plans import grid
from capacity.plans.blueprint import bp
from capacity.plans.queries import PlanState
from capacity.rounds import services as round_services
from capacity.rounds.guards import programme_only
from capacity.rounds.queries import round_or_404
from capacity.templating import current_language
from capacity.timeutil import utcnow


class PlanGridFilterForm(FlaskForm):
    """The grid's filters, read from the query string like the progress grid's (no CSRF: it changes nothing)."""

    class Meta:
        csrf = False

    region = SelectField(_l("Region"))
    municipality = SelectField(_l("Municipality"))
    mentor = SelectField(_l("Mentor"))
    state = SelectField(_l("Plan state"))

    def set_choices(self, language: str, mentors: list) -> None:
        self.region.choices = [SelectChoice("", str(_l("All regions")))] + [
            SelectChoice(code, place.label(language)) for code, place in REGIONS.items()]
        self.municipality.choices = [SelectChoice("", str(_l("All municipalities")))] + [
            SelectChoice(code, label, optgroup=group) for group, options in municipality_choices(language)
            for code, label in options]
        self.mentor.choices = [SelectChoice("", str(_l("All mentors")))] + [
            SelectChoice(str(m.id), m.display_name, render_kw=lang_attribute(m.display_name, language)) for m in mentors]
        self.state.choices = [SelectChoice("", str(_l("All states")))] + [
            SelectChoice(state.value, str(grid.STATE_LABELS[state])) for state in grid.STATE_ORDER]

    def chosen(self) -> dict:
        """The filters chosen among the offered options; unknown values (an edited address) are ignored."""
        def offered(field: SelectField) -> str | None:
            return field.data if field.data and field.data in {c.value for c in field.choices} else None
        mentor = offered(self.mentor)
        state = offered(self.state)
        return {"region": offered(self.region), "municipality": offered(self.municipality),
                "mentor": int(mentor) if mentor else None, "state": PlanState(state) if state else None}


def _plan_url(organisation_code: str, round_code: str) -> str | None:
    """The plan page's address; None while no plan page is registered (the grid still shows)."""
    try:
        return url_for("plans.plan", code=organisation_code, round_code=round_code)
    except BuildError:
        return None


@bp.get("/rounds/<round_code>/plans", endpoint="grid")
@programme_only
def plan_grid(round_code: str):
    round_ = round_or_404(round_code)
    language = current_language()
    everyone = grid.of_round(access.visible_organisations(current_user), round_)
    subjects = list(db.session.scalars(everyone))
    form = PlanGridFilterForm(formdata=request.args)
    form.set_choices(language, round_services.mentors_of_organisations(subjects))
    chosen = form.chosen()
    shown_subjects = round_services.filter_organisations(
        list(db.session.scalars(grid.in_region(everyone, chosen["region"]))), chosen["municipality"], chosen["mentor"])
    today = to_user_timezone(utcnow()).date()  # "overdue" as the programme's calendar says, in Tbilisi
    found = grid.rows(round_, shown_subjects, today)
    # The counts are of the subjects the place and mentor filters leave, whichever state is shown.
    counts = grid.counts(found)
    shown = [row for row in found if chosen["state"] is None or row.state == chosen["state"]]
    filters = {key: value for key, value in chosen.items() if key != "state" and value}
    state_urls = {state: url_for("plans.grid", round_code=round_.code, **filters, state=state.value)
                  for state in grid.STATE_ORDER}
    return render_template(
        "plans/grid.html", round=round_, rows=shown, counts=counts, total=len(found), form=form,
        filtered=any(chosen.values()), state_urls=state_urls, chosen_state=chosen["state"],
        plan_urls={row.organisation.code: _plan_url(row.organisation.code, round_.code) for row in shown},
        labels_state=grid.STATE_LABELS, today=today)
