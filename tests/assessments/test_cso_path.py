"""The organisation's own path through a round, as its staff see it.

The organisation page starts with the one next step; submitting goes through a summary and a
confirmation and ends on a page that says what happens next; while answering, the organisation's
baseline level (only what the user may see of it) stands beside each indicator; and the autosave
reply keeps the page's status badges right without a reload.
"""
from __future__ import annotations

import html
import re
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import force_locale, format_date

from capacity.assessments.models import Assessment, Status, Track
from capacity.extensions import db
from capacity.timeutil import utcnow
from tests.assessments.helpers import (BASE, RATED, add_earlier_round, answer_everything, client_for,  # noqa: F401
                                       in_english, people, revisions_on, save, set_round, text, with_track)

ORG_PAGE = "/organisations/OWN-01"
RESULTS = "/organisations/OWN-01/results/baseline"
TOTAL = len(RATED)


def next_step_button(response) -> tuple[str, str]:
    """The href and text of the next-step section's button."""
    page = response.get_data(as_text=True)
    section = re.search(r'<section class="next-step".*?</section>', page, re.S)
    assert section, "the organisation page has no next-step section"
    link = re.search(r'<a class="button[^"]*" href="([^"]+)">(.*?)</a>', section.group(0), re.S)
    return html.unescape(link.group(1)), " ".join(html.unescape(re.sub(r"<[^>]+>", "", link.group(2))).split())


# ------------------------------------------------------------------------------------------- the next step

def test_the_organisation_page_starts_with_the_next_step_through_the_whole_round(app, people):
    cso = in_english(client_for(app, people["cso"]))
    page = cso.get(ORG_PAGE)
    assert "Your next step" in text(page)
    assert f"Your organisation has not started its self-assessment yet: {TOTAL} indicators" in text(page)
    assert next_step_button(page) == (f"{BASE}/self/GOV#ind-GOV.01", "Start your self-assessment")
    # The step comes before the organisation's details and the status table.
    body = text(page)
    assert body.index("Your next step") < body.index("Municipality") < body.index("Assessment status by round")

    for code in ("GOV.01", "GOV.02", "GOV.03"):
        save(cso, code)
    assert next_step_button(cso.get(ORG_PAGE)) == (
        f"{BASE}/self/GOV#ind-GOV.04", f"Continue your self-assessment — 3 of {TOTAL} answered")

    answer_everything(cso)
    assert next_step_button(cso.get(ORG_PAGE)) == (f"{BASE}/self/submit", "Review and submit your self-assessment")

    assert cso.post(f"{BASE}/self/submit").status_code == 302
    page = cso.get(ORG_PAGE)
    assert "Submitted: waiting for your mentor." in text(page)
    assert next_step_button(page) == (RESULTS, "See your self-assessment results")

    # The mentor's progress changes nothing staff can see: the same step while the mentor scores and agrees.
    with_track(app, people["mentor"], Track.MENTOR, 4, submit=True)
    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=False)
    waiting = text(cso.get(ORG_PAGE))
    assert "Submitted: waiting for your mentor." in waiting and "Mentor assessment" not in waiting

    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=True)
    page = cso.get(ORG_PAGE)
    assert "The agreed assessment has been validated: it is your organisation's final result for this round." in text(page)
    assert next_step_button(page) == (RESULTS, "See your results")


def test_the_next_step_in_georgian(app, people):
    cso = client_for(app, people["cso"])  # Georgian is the default language
    page = cso.get(ORG_PAGE)
    assert "თქვენი შემდეგი ნაბიჯი" in text(page)
    assert next_step_button(page)[1] == "თვითშეფასების დაწყება"
    save(cso, "GOV.01")
    save(cso, "GOV.02")
    assert next_step_button(cso.get(ORG_PAGE))[1] == f"თვითშეფასების გაგრძელება — შევსებულია 2 / {TOTAL}"


def test_a_closed_round_says_so_instead_of_offering_to_start(app, people):
    cso = in_english(client_for(app, people["cso"]))
    save(cso, "GOV.01")
    set_round(app, is_open=False)
    page = text(cso.get(ORG_PAGE))
    assert "This round is closed: the self-assessment can no longer be changed or submitted." in page
    assert "Continue your self-assessment" not in page and "Start your self-assessment" not in page


def test_only_staff_get_a_next_step_and_staff_get_no_organisations_crumb(app, people):
    for email in (people["mentor"], people["manager"]):
        page = in_english(client_for(app, email)).get(ORG_PAGE)
        assert page.status_code == 200
        assert "Your next step" not in text(page)
        assert 'class="next-step"' not in page.get_data(as_text=True)
    manager_page = client_for(app, people["manager"]).get(ORG_PAGE).get_data(as_text=True)
    assert '<p class="crumbs"><a href="/organisations/">' in manager_page
    staff_page = client_for(app, people["cso"]).get(ORG_PAGE).get_data(as_text=True)
    assert '<p class="crumbs"><a href="/organisations/">' not in staff_page


def test_the_status_table_becomes_labelled_cards_with_a_results_link(app, people):
    page = in_english(client_for(app, people["cso"])).get(ORG_PAGE).get_data(as_text=True)
    table = re.search(r'<table class="cards">.*?</table>', page, re.S).group(0)
    cells = re.findall(r"<td\b[^>]*>", table)
    assert cells and all("data-label=" in cell for cell in cells), cells
    assert 'data-label="Self-assessment"' in table and 'data-label="Profile data"' in table
    assert f'<a href="{RESULTS}">Results' in table


# ------------------------------------------------------------------------------- the summary before submitting

def test_the_summary_lists_what_is_answered_not_applicable_missing_and_unsupported(app, people):
    cso = in_english(client_for(app, people["cso"]))
    save(cso, "GOV.01", "3", comment="Minutes of the board meeting of 12 May")
    save(cso, "GOV.02", "na")
    save(cso, "GOV.03", "2")                      # a level, and nothing that backs it
    save(cso, "GOV.04", "2", evidence_url="https://example.org/policy.pdf")
    page = cso.get(f"{BASE}/self/submit")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    counts = dict(re.findall(r'<tr><th scope="row">(.*?)</th><td>(\d+)</td></tr>', body))
    assert counts == {"Answered with a level": "3", "Not applicable": "1", "Not answered yet": str(TOTAL - 4),
                      "Level given without a comment or evidence, where the questionnaire names evidence": "1"}

    def listed(list_id: str) -> list[str]:
        block = re.search(rf'<ul class="indicator-links" id="{list_id}">(.*?)</ul>', body, re.S).group(1)
        return re.findall(r'href="[^"]+#ind-([A-Z]+\.\d+)"', block)

    assert listed("unsupported") == ["GOV.03"]
    assert listed("not-applicable") == ["GOV.02"]
    assert listed("unanswered")[:2] == ["GOV.05", "GOV.06"] and len(listed("unanswered")) == TOTAL - 4
    assert f'href="{BASE}/self/STR#ind-STR.01"' in body
    # Not complete: no way to submit from here, and the page says why.
    assert "Yes, submit the assessment" not in body
    assert f"{TOTAL - 4} indicators have no answer yet." in text(page)


def test_the_confirmation_is_a_form_with_its_csrf_token(app, people):
    cso = in_english(client_for(app, people["cso"]))
    answer_everything(cso)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = cso.get(f"{BASE}/self/submit").get_data(as_text=True)
        form = re.search(rf'<form method="post" action="{BASE}/self/submit" class="submit-box">(.*?)</form>', page, re.S)
        assert form and "Yes, submit the assessment" in form.group(1)
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.group(1)).group(1)
        assert cso.post(f"{BASE}/self/submit").status_code == 400  # no token: refused, nothing submitted
        with app.app_context():
            assert db.session.scalar(sa.select(Assessment.status)) == Status.DRAFT
        done = cso.post(f"{BASE}/self/submit", data={"csrf_token": token})
        assert done.status_code == 302 and done.location == f"{BASE}/self/submitted"
        with app.app_context():
            assert db.session.scalar(sa.select(Assessment.status)) == Status.SUBMITTED
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_the_summary_in_georgian(app, people):
    cso = client_for(app, people["cso"])
    answer_everything(cso)
    page = text(cso.get(f"{BASE}/self/submit"))
    assert "თვითშეფასება: გადახედვა და წარდგენა" in page
    assert "დონე მითითებულია კომენტარისა და მტკიცებულების გარეშე" in page
    assert "დიახ, შეფასების წარდგენა" in page


def test_an_incomplete_submit_comes_back_to_the_summary(app, people):
    cso = in_english(client_for(app, people["cso"]))
    save(cso, "GOV.01")
    refused = cso.post(f"{BASE}/self/submit")
    assert refused.location == f"{BASE}/self/submit"
    page = cso.get(refused.location)
    assert f"The assessment cannot be submitted yet: {TOTAL - 1} indicators have no answer." in text(page)
    assert f'href="{BASE}/self/GOV#ind-GOV.02"' in page.get_data(as_text=True)


def test_the_overview_leads_to_the_summary_not_to_a_one_click_submit(app, people):
    page = in_english(client_for(app, people["cso"])).get(f"{BASE}/self/").get_data(as_text=True)
    assert f'href="{BASE}/self/submit">Review and submit</a>' in page
    assert f'action="{BASE}/self/submit"' not in page


# ------------------------------------------------------------------------------------- what happens next

def test_after_submitting_the_page_says_what_happens_next_and_by_when(app, people):
    cso = in_english(client_for(app, people["cso"]))
    answer_everything(cso)
    ends = date.today() + timedelta(days=40)
    set_round(app, ends_on=ends)
    done = cso.post(f"{BASE}/self/submit")
    assert done.location == f"{BASE}/self/submitted"
    page = text(cso.get(done.location))
    with app.test_request_context(), force_locale("en"):
        ends_text = format_date(ends, "long")
        today_text = format_date(utcnow(), "long")  # the day in the user's time zone, as the page says it
    assert f"Submitted on {today_text} by staff." in page
    for sentence in ("The mentor scores the same indicators independently, with evidence, and sees the self-assessment "
                     "only once their own scoring is submitted.",
                     "wherever the two levels differ, they agree a level together and record why.",
                     "The mentor then validates the agreed assessment.",
                     f"The round ends on {ends_text}: the mentor's scoring and the agreement are planned before then.",
                     "Mentors: mentor",
                     "See the self-assessment results"):
        assert sentence in page, sentence
    # The overview of a submitted assessment points here, no longer to the summary.
    overview = cso.get(f"{BASE}/self/").get_data(as_text=True)
    assert f'href="{BASE}/self/submitted">What happens next</a>' in overview and "Review and submit" not in overview


def test_what_happens_next_in_georgian_when_the_end_date_has_passed(app, people):
    cso = client_for(app, people["cso"])
    answer_everything(cso)
    set_round(app, ends_on=date.today() - timedelta(days=3))
    cso.post(f"{BASE}/self/submit")
    page = text(cso.get(f"{BASE}/self/submitted"))
    assert "შემდეგი ნაბიჯები" in page
    assert "ბოლოს მენტორი შეთანხმებულ შეფასებას ადასტურებს." in page
    assert "რაუნდის დაგეგმილი დასრულების თარიღი:" in page
    assert "რაუნდის დასრულების თარიღი:" not in page


def test_what_happens_next_is_only_for_a_submitted_assessment(app, people):
    cso = client_for(app, people["cso"])
    assert cso.get(f"{BASE}/self/submitted").location == f"{BASE}/self/"
    # Staff of another organisation learn nothing, not even that the page exists.
    assert client_for(app, people["other_cso"]).get(f"{BASE}/self/submitted").status_code == 404
    assert client_for(app, people["other_cso"]).get(f"{BASE}/self/submit").status_code == 404


# --------------------------------------------------------------------------- autosave, badges and clean URLs

def test_the_autosave_reply_says_the_assessment_is_now_a_draft(app, people):
    cso = in_english(client_for(app, people["cso"]))
    page = cso.get(f"{BASE}/self/GOV").get_data(as_text=True)
    assert re.search(r'<span data-assessment-status><span class="badge badge--none">Not started</span></span>', page)
    reply = save(cso, "GOV.01")
    assert reply["status"] == {"value": "draft", "label": "Draft"}
    georgian = client_for(app, people["cso"])
    georgian.post("/language", data={"language": "ka"})
    assert save(georgian, "GOV.02")["status"] == {"value": "draft", "label": "მონახაზი"}
    page = in_english(cso).get(f"{BASE}/self/GOV").get_data(as_text=True)  # the language is the account's: set it again
    assert '<span data-assessment-status><span class="badge badge--draft">Draft</span></span>' in page


def test_a_complete_domain_is_marked_so_in_the_domain_tabs(app, people):
    cso = in_english(client_for(app, people["cso"]))
    for indicator in RATED:
        if indicator.domain == "GOV":
            reply = save(cso, indicator.code)
    assert reply["progress"]["GOV"] == [7, 7]
    page = cso.get(f"{BASE}/self/STR").get_data(as_text=True)
    tabs = re.search(r'<nav class="domain-tabs".*?</nav>', page, re.S).group(0)
    marked = re.findall(r'data-progress="(\w+)">\d+/\d+</span> <span class="badge badge--validated" data-complete>complete',
                        tabs)
    assert marked == ["GOV"]


def test_save_and_next_leaves_a_clean_address(app, people):
    cso = client_for(app, people["cso"])
    page = cso.get(f"{BASE}/self/GOV").get_data(as_text=True)
    # The form posts to the page's own path: a fragment in the address bar (#ind-GOV.01) is not carried along.
    assert f'<form method="post" action="{BASE}/self/GOV" enctype="multipart/form-data"' in page
    data = {f"level__{code.replace('.', '_')}": "2" for code in (i.code for i in RATED if i.domain == "GOV")}
    revisions = revisions_on(cso, f"{BASE}/self/GOV")
    for code in (i.code for i in RATED if i.domain == "GOV"):
        safe = code.replace(".", "_")
        data.update({f"comment__{safe}": "", f"evidence_url__{safe}": "", f"revision__{safe}": str(revisions.get(code, 0))})
    moved = cso.post(f"{BASE}/self/GOV", data={**data, "then": "next"})
    assert moved.status_code == 302 and moved.location == f"{BASE}/self/STR"


# ----------------------------------------------------------------------------- the baseline beside each indicator

def baseline_lines(response) -> dict[str, str]:
    page = response.get_data(as_text=True)
    found = re.findall(r'<legend><span class="code">([A-Z]+\.\d+)</span>.*?</legend>\s*'
                       r'(?:<p class="baseline-level muted">(.*?)</p>)?', page, re.S)
    return {code: html.unescape(line) for code, line in found}


def test_staff_see_their_own_baseline_self_assessment_labelled_as_such_until_the_agreement_is_validated(app, people):
    add_earlier_round(app)
    with_track(app, people["cso"], Track.SELF, 1, submit=True, round_code="earlier")
    with_track(app, people["mentor"], Track.MENTOR, 4, submit=True, round_code="earlier")
    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=False, round_code="earlier")
    cso = in_english(client_for(app, people["cso"]))
    lines = baseline_lines(cso.get(f"{BASE}/self/GOV"))
    assert lines["GOV.01"] == "Your own self-assessment in Baseline 2025 (not verified): Level 1 — Emerging"
    assert all("Level 4" not in line and "Level 2" not in line for line in lines.values())  # never the mentor's

    with_track(app, people["mentor"], Track.CONSENSUS, 2, submit=True, round_code="earlier")
    lines = baseline_lines(cso.get(f"{BASE}/self/GOV"))
    assert set(lines) == {i.code for i in RATED if i.domain == "GOV"}
    assert all(line == "Agreed result in Baseline 2025: Level 2 — Developing" for line in lines.values()), lines
    assert cso.post("/language", data={"language": "ka"}).status_code == 302
    georgian = baseline_lines(cso.get(f"{BASE}/self/GOV"))
    assert georgian["GOV.01"] == "შეთანხმებული შედეგი (საბაზისო 2025): დონე 2 — განვითარებადი"


def test_a_mentor_sees_the_baseline_the_rules_allow(app, people):
    add_earlier_round(app)
    with_track(app, people["cso"], Track.SELF, 1, submit=True, round_code="earlier")
    with_track(app, people["mentor"], Track.MENTOR, 4, submit=True, round_code="earlier")
    mentor = in_english(client_for(app, people["mentor"]))
    lines = baseline_lines(mentor.get(f"{BASE}/mentor/GOV"))
    assert lines["GOV.01"] == "Mentor assessment in Baseline 2025 (provisional): Level 4 — Mature"


def test_no_earlier_round_no_baseline_line(app, people):
    cso = in_english(client_for(app, people["cso"]))
    page = cso.get(f"{BASE}/self/GOV").get_data(as_text=True)
    assert 'class="baseline-level' not in page
