"""What the profile looks like on paper, and that printing all profiles gives the numbers printing one gives."""
from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from capacity.rounds.models import AssessmentRound
from capacity.extensions import db
from capacity.organisations.models import Organisation
from capacity.reporting import batch
from capacity.reporting.batch import render_all
from capacity.reporting.pdf import render_pdf
from capacity.reporting.profile_model import RoundResult, _change_bars, build_profile
from capacity.rounds.queries import subjects_of
from tests.reporting.pdftext import pages_of, words_of

pytestmark = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils (pdfinfo) is not installed")


def _rounds():
    return {r.code: r for r in db.session.scalars(sa.select(AssessmentRound))}


@pytest.mark.filterwarnings("ignore:This process .* is multi-threaded:DeprecationWarning")
@pytest.mark.parametrize("language", ["ka", "en"])
def test_every_demo_profile_fits_on_four_pages(demo_app, tmp_path, language, monkeypatch):
    # On every core, as `capacity report all` prints them: this test process may have idle threads, which would
    # keep the pool from forking (tests/reporting/test_batch.py lifts the same rule).
    monkeypatch.setattr(batch, "may_fork", lambda: True)
    with demo_app.app_context():
        # The endline round's organisations (the demo's services and municipalities have rounds of their own).
        codes = list(db.session.scalars(subjects_of(_rounds()["endline"]).with_only_columns(Organisation.code)))
        files = list(render_all(codes, "endline", "baseline", language, tmp_path))
    assert len(files) == len(codes) == 27
    pages = {path.name: pages_of(path) for path in files}
    assert all(1 < count <= 4 for count in pages.values()), pages


def test_a_profile_printed_with_all_the_others_shows_what_it_shows_alone(demo_app):
    with demo_app.app_context():
        rounds = _rounds()
        shared = (RoundResult(rounds["endline"], None), RoundResult(rounds["baseline"], None))
        for org in db.session.scalars(subjects_of(rounds["endline"])):
            alone = build_profile(org, rounds["endline"], rounds["baseline"], "en")
            together = build_profile(org, rounds["endline"], rounds["baseline"], "en", results=shared)
            assert together == alone, org.code


def test_change_bars_run_from_the_middle_and_the_largest_move_sets_the_scale():
    domains = [{"code": "GOV", "title": "Governance", "change": "+1.50", "raw": (2.0, 3.5, 1.5)},
               {"code": "FIN", "title": "Finance", "change": "−0.75", "raw": (3.0, 2.25, -0.75)},
               {"code": "HR", "title": "People", "change": "—", "raw": (None, 2.0, None)}]
    gov, fin, hr = _change_bars(domains)
    assert (gov["width"], gov["down"]) == (100.0, False)
    assert (fin["width"], fin["down"]) == (50.0, True)
    assert hr["width"] is None
    small = _change_bars([{"code": "GOV", "title": "G", "change": "+0.25", "raw": (2.0, 2.25, 0.25)}])
    assert small[0]["width"] == 25.0  # the axis runs to at least one level each way


def test_the_profile_preview_draws_the_change_bars_in_html(demo_app):
    client = demo_app.test_client()
    assert client.post("/login", data={"email": "manager@demo.example.org", "password": "capacity-demo"}).status_code == 302
    page = client.get(f"/organisations/{demo_app.config['PROFILE_ORG']}/report/endline?lang=en").get_data(as_text=True)
    assert 'class="change-bars"' in page and 'class="bar" style="width:' in page
    assert 'src="data:image/png;base64,' in page  # the radar, inline



def test_the_domain_table_starts_below_the_charts(demo_app, tmp_path):
    """The charts float side by side; the table after them must not run underneath them."""
    with demo_app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == "TEL-02"))
        rounds = _rounds()
        path = tmp_path / "profile.pdf"
        path.write_bytes(render_pdf("profile.html", {"r": build_profile(org, rounds["endline"], rounds["baseline"], "en")}, "en"))
    words = words_of(path, page=1)
    caption_bottom = max(w["yMax"] for w in words if w["text"] == "score")  # "Change in score", under the bars
    table_header = min(w["yMin"] for w in words if w["text"] == "Domain")
    assert table_header > caption_bottom
