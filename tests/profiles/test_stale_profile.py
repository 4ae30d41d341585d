"""Profile data (counts) is guarded like answers: a save made after someone else's is refused, both shown."""
from __future__ import annotations

import re
import threading

import sqlalchemy as sa

from capacity.extensions import db
from capacity.profiles.models import ProfileValue
from tests.assessments.helpers import client_for, people  # noqa: F401

URL = "/organisations/OWN-01/profile/baseline"


def staff(total: int, female: int, male: int, revision: int | str) -> dict:
    return {"profile__staff__total": str(total), "profile__staff__female": str(female),
            "profile__staff__male": str(male), "sheet_revision": str(revision)}


def stored(app) -> dict[str, float]:
    with app.app_context():
        return dict(db.session.execute(sa.select(ProfileValue.category, ProfileValue.value)
                                       .where(ProfileValue.code == "staff")).all())


def revision_on(page: str) -> str:
    return re.search(r'name="sheet_revision" value="(\d+)"', page).group(1)


def test_a_stale_profile_save_is_refused_with_both_versions_and_nothing_overwritten(app, people):
    me, mentor = client_for(app, people["cso"]), client_for(app, people["mentor"])
    for client in (me, mentor):
        client.post("/language", data={"language": "en", "next": "/"})
    opened = revision_on(me.get(URL).get_data(as_text=True))  # I open the page ...
    assert opened == "0"
    assert mentor.post(URL, data=staff(12, 7, 5, revision_on(mentor.get(URL).get_data(as_text=True)))).status_code == 302
    refused = me.post(URL, data=staff(10, 6, 4, opened))  # ... and save after the mentor did
    assert refused.status_code == 409
    page = refused.get_data(as_text=True)
    assert "someone else saved this profile data after you opened the page" in page
    # My numbers stay in the form; the mentor's are shown beside each one that differs.
    total = re.search(r'<input[^>]*name="profile__staff__total"[^>]*>', page).group(0)
    assert 'value="10"' in total and 'aria-describedby="profile__staff__total-theirs"' in total
    assert re.search(r'id="profile__staff__total-theirs">Saved by someone else: 12<', page)
    assert re.search(r'id="profile__staff__female-theirs">Saved by someone else: 7<', page)
    assert stored(app) == {"total": 12, "female": 7, "male": 5}  # nothing overwritten
    # "Save" again on that page means: keep mine, knowingly.
    kept = me.post(URL, data=staff(10, 6, 4, revision_on(page)))
    assert kept.status_code == 302
    assert stored(app) == {"total": 10, "female": 6, "male": 4}
    # The mentor's page is now the old one: refused the same way.
    assert mentor.post(URL, data=staff(11, 6, 5, 1)).status_code == 409


def test_a_profile_save_without_a_valid_revision_is_refused_and_the_numbers_kept(app, people):
    me = client_for(app, people["cso"])
    for junk in ("", "²", "9" * 5000, "abc"):
        response = me.post(URL, data=staff(10, 6, 4, junk))
        assert response.status_code == 400
        assert 'value="10"' in response.get_data(as_text=True)
    response = me.post(URL, data={k: v for k, v in staff(10, 6, 4, 0).items() if k != "sheet_revision"})
    assert response.status_code == 400
    assert stored(app) == {}


def test_first_saves_of_the_profile_at_the_same_moment_give_one_saved_and_conflicts_not_errors(app, people):
    clients = [client_for(app, people["cso"] if i % 2 else people["mentor"]) for i in range(8)]
    barrier, statuses = threading.Barrier(len(clients)), [None] * len(clients)

    def save(i: int) -> None:
        barrier.wait(timeout=30)
        statuses[i] = clients[i].post(URL, data=staff(20 + i, 10 + i, 10, 0)).status_code

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(clients))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert sorted(statuses) == [302] + [409] * (len(clients) - 1), statuses
    winner = statuses.index(302)
    assert stored(app) == {"total": 20 + winner, "female": 10 + winner, "male": 10}
