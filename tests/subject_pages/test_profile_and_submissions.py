"""Profile data of a service and of a municipality, and KoboToolbox/ODK submissions in a round of services: a row
is matched to a subject of the round's kind only."""
from __future__ import annotations

import io

from openpyxl import load_workbook

from capacity.extensions import db
from capacity.questionnaires.library import load_directory
from tests.assessments.helpers import text
from tests.submissions import kobo
from tests.subject_pages.conftest import client_for

SERVICE_QUESTIONNAIRE = load_directory().questionnaire("service-quality", "1.0")
FIRST = next(i for i in SERVICE_QUESTIONNAIRE.indicators if i.has_levels and i.show_if is None)


def test_a_service_enters_its_profile_data_and_a_municipality_is_told_it_has_none(app, world):
    staff = client_for(app, "org_staff")
    page = text(staff.get("/organisations/SRV-01/profile/svc-base"))
    assert "Counted facts on the day of the assessment. They are not rated." in page
    assert "Current service users" in page and "GESI" not in page
    saved = staff.post("/organisations/SRV-01/profile/svc-base", data={
        "sheet_revision": "0", "profile__service_users__total": "12", "profile__staff__total": "4"},
        follow_redirects=True)
    assert "The profile data has been saved." in text(saved)
    municipal = client_for(app, "working_group").get("/organisations/MUN-BAT/profile/mun-base")
    assert "This round's questionnaire asks for no profile data." in text(municipal)
    assert 'type="submit"' not in municipal.get_data(as_text=True).split("<form method=\"post\" novalidate>")[1]


def _upload(client, round_code: str, data: bytes, track: str = "self"):
    return client.post(f"/rounds/{round_code}/submissions", data={"file": (io.BytesIO(data), "kobo.xlsx"),
                                                                  "track": track},
                       content_type="multipart/form-data")


def _answers_stored(app) -> int:
    with app.app_context():
        return db.session.execute(db.text("SELECT count(*) FROM answers")).scalar()


def test_a_service_round_imports_service_rows_and_refuses_an_organisations_row_by_its_number(app, world):
    manager = client_for(app, "manager")
    table = kobo.rows(SERVICE_QUESTIONNAIRE, [("SRV-01", {FIRST.code: "2"}), ("ORG-01", {FIRST.code: "3"})])
    page = _upload(manager, "svc-base", kobo.xlsx(table))
    body = text(page)
    assert "The file cannot be imported" in body
    assert ("3 capacity_organisation ORG-01 “ORG-01” is not assessed in this round: it is of another kind "
            "(Organisation; the round assesses: Service). Nothing is imported into it.") in body
    assert 'name="token"' not in page.get_data(as_text=True) and _answers_stored(app) == 0
    # The same file without the organisation's row is checked clean, its rows named as services.
    clean = _upload(manager, "svc-base", kobo.xlsx(table[:2]))
    assert "Services found in the file, and their answers on this track" in text(clean)
    assert "Telavi Day Centre" in text(clean) and 'name="token"' in clean.get_data(as_text=True)


def test_the_command_line_refuses_the_organisations_row_too(app, runner, world, tmp_path):
    from capacity.cli import cli

    path = tmp_path / "kobo.xlsx"
    path.write_bytes(kobo.xlsx(kobo.rows(SERVICE_QUESTIONNAIRE, [("ORG-01", {FIRST.code: "3"})])))
    result = runner.invoke(cli, ["submissions", "import", "--round", "svc-base", "--track", "self", str(path)],
                           catch_exceptions=False)
    assert result.exit_code == 1
    assert "row 2, column capacity_organisation, value 'ORG-01': “ORG-01” is not assessed in this round" in result.output
    assert _answers_stored(app) == 0


def _first_question_and_choices(data: bytes) -> tuple[dict, list[str]]:
    book = load_workbook(io.BytesIO(data))
    survey, choices = book["survey"], book["choices"]
    heads = [c.value for c in next(survey.iter_rows(max_row=1))]
    first = dict(zip(heads, next(survey.iter_rows(min_row=2, max_row=2, values_only=True))))
    names = [c.value for c in next(choices.iter_rows(max_row=1))]
    listed = [dict(zip(names, row)) for row in choices.iter_rows(min_row=2, values_only=True)]
    return first, [row["name"] for row in listed if row["list_name"] == "capacity_organisations"]


def test_the_collection_form_of_a_round_lists_its_kind_and_names_it(app, world):
    manager = client_for(app, "manager")
    first, listed = _first_question_and_choices(manager.get("/rounds/svc-base/collection-form.xlsx").data)
    assert listed == ["SRV-01"]
    assert first["name"] == "capacity_organisation"
    assert first["label::English (en)"] == "Service" and first["label::Georgian (ka)"] == "მომსახურება"
    first, listed = _first_question_and_choices(manager.get("/rounds/mun-base/collection-form.xlsx").data)
    assert listed == ["MUN-BAT", "MUN-DMA"] and first["label::English (en)"] == "Municipality"
    first, listed = _first_question_and_choices(manager.get("/rounds/org-base/collection-form.xlsx").data)
    assert listed == ["ORG-01", "ORG-02"] and first["label::English (en)"] == "Organisation"
    upload = text(manager.get("/rounds/mun-base/submissions"))
    assert "with a choice for each active one this round assesses (Municipalities)" in upload
