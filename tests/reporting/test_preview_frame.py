"""The profile preview inside the app's frame: header, heading, a way back, the PDF link, and the report's own look."""
from __future__ import annotations

import re

import pytest

ENDLINE = "/organisations/{org}/report/endline"


def logged_in(demo_app, email: str, language: str = "en"):
    client = demo_app.test_client()
    assert client.post("/login", data={"email": email, "password": "capacity-demo"}).status_code == 302
    client.post("/language", data={"language": language})
    return client


@pytest.fixture(scope="module")
def org(demo_app) -> str:
    return demo_app.config["PROFILE_ORG"]


def test_the_manager_s_preview_has_the_app_s_frame_and_the_report_in_its_own_sheet(demo_app, org):
    manager = logged_in(demo_app, "manager@demo.example.org")
    response = manager.get(ENDLINE.format(org=org) + "?lang=en&baseline=baseline")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.count("<html") == 1 and page.count("<body") == 1
    name = demo_app.config["PROFILE_NAMES"][1]
    # The app's frame: its header and menu, a heading, the way back, the PDF of the same report.
    assert '<header class="site-header">' in page and ">Rounds</a>" in page
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert heading.startswith("Organisation profile: ") and heading.count(name.split()[0]) == 1
    assert f'<p class="crumbs"><a href="/organisations/{org}">' in page
    assert f'href="/organisations/{org}/report/endline.pdf?lang=en&amp;baseline=baseline">Download the PDF</a>' in page
    # The report itself: in a shadow root that carries its stylesheet and its language, nothing of its <head>.
    sheet = page[page.index('<div class="report-sheet" lang="en"'):]
    assert re.match(r'<div class="report-sheet" lang="en"[^>]*>\s*<template shadowrootmode="open">\s*'
                    r'<link rel="stylesheet" href="/report-assets/print.css">', sheet)
    report = sheet[:sheet.index("</template>")]
    assert 'class="change-bars"' in report and 'src="data:image/png;base64,' in report and "Rounds compared" in report
    assert "<title>" not in report and "<head>" not in report
    assert response.headers["Content-Security-Policy"].endswith("style-src-attr 'unsafe-inline'")


def test_a_preview_in_another_language_is_marked_with_it(demo_app, org):
    manager = logged_in(demo_app, "manager@demo.example.org", language="ka")
    page = manager.get(ENDLINE.format(org=org) + "?lang=en").get_data(as_text=True)
    assert '<html lang="ka">' in page and "ორგანიზაციის პროფილი" in page  # the app in Georgian
    assert '<div class="report-sheet" lang="en"' in page  # the report in English, and says so
    assert "<span lang=\"en\">English</span>" in page


def test_from_the_progress_grid_the_way_back_returns_to_it_with_its_filters(demo_app, org):
    manager = logged_in(demo_app, "manager@demo.example.org")
    grid = "http://localhost/rounds/endline/progress?municipality=telavi&sort=self&order=desc"
    page = manager.get(ENDLINE.format(org=org), headers={"Referer": grid}).get_data(as_text=True)
    assert ('<p class="crumbs"><a href="/rounds/endline/progress?municipality=telavi&amp;sort=self&amp;order=desc">'
            "Progress: Endline assessment 2026</a></p>") in page
    # The grid's own link says where it comes from, for browsers that send no Referer.
    linked = manager.get(ENDLINE.format(org=org) + "?from=progress").get_data(as_text=True)
    assert '<p class="crumbs"><a href="/rounds/endline/progress">Progress: Endline assessment 2026</a></p>' in linked
    grid_page = manager.get("/rounds/endline/progress").get_data(as_text=True)
    assert f'href="/organisations/{org}/report/endline?from=progress"' in grid_page


def test_the_way_back_is_never_another_site_nor_a_page_the_user_cannot_open(demo_app, org):
    manager = logged_in(demo_app, "manager@demo.example.org")
    elsewhere = manager.get(ENDLINE.format(org=org),
                            headers={"Referer": "http://evil.example/rounds/endline/progress"}).get_data(as_text=True)
    assert f'<p class="crumbs"><a href="/organisations/{org}">' in elsewhere and "evil.example" not in elsewhere
    staff = logged_in(demo_app, f"{org.lower()}@demo.example.org")
    page = staff.get(ENDLINE.format(org=org) + "?from=progress",
                     headers={"Referer": "http://localhost/rounds/endline/progress"}).get_data(as_text=True)
    assert f'<p class="crumbs"><a href="/organisations/{org}">' in page and "/rounds/" not in page
    assert '<div class="report-sheet" lang="en"' in page and ">Rounds</a>" not in page


def test_staff_see_their_own_organisation_s_preview_in_the_frame_and_no_other(demo_app, org):
    staff = logged_in(demo_app, f"{org.lower()}@demo.example.org")
    page = staff.get(ENDLINE.format(org=org)).get_data(as_text=True)
    assert '<header class="site-header">' in page and '<template shadowrootmode="open">' in page
    assert demo_app.config["PROFILE_NAMES"][1] in page
    other = "TEL-02" if org != "TEL-02" else "TEL-03"
    assert staff.get(ENDLINE.format(org=other)).status_code == 404


def test_a_mentor_s_preview_leads_back_to_the_grid_they_came_from(demo_app):
    mentor = logged_in(demo_app, "mentor.kakheti@demo.example.org")
    page = mentor.get(ENDLINE.format(org="TEL-02") + "?from=progress").get_data(as_text=True)
    assert '<p class="crumbs"><a href="/rounds/endline/progress">' in page and '<template shadowrootmode="open">' in page
