"""A mentor whose login ended while writing up a session loses nothing: every ticked box comes back."""
from __future__ import annotations

import json
import re

from tests.conftest import login
from tests.mentoring.conftest import LOG, VALID


def test_a_session_sent_after_the_login_ended_is_kept_with_every_ticked_indicator_and_action(mw):
    client = mw.app.test_client()  # no session: as after the login expired
    sent = {**VALID, "indicators": ["GOV.01", "GOV.02", "FIN.01"], "action_ids": [str(a) for a in mw.actions]}
    expired = client.post(f"{LOG}/new", data=sent)
    assert expired.status_code == 401
    pending = re.search(r'name="pending" type="hidden" value="([^"]*)"', expired.get_data(as_text=True)).group(1)
    kept = json.loads(pending.replace("&#34;", '"').replace("&quot;", '"').replace("&amp;", "&"))
    assert kept["form"]["indicators"] == ["GOV.01", "GOV.02", "FIN.01"]
    relogin = client.post("/login", data={"email": mw.users["mentor"], "password": "correct horse battery",
                                          "pending": json.dumps(kept)})
    page = relogin.get_data(as_text=True)
    assert relogin.status_code == 200 and f'action="{LOG}/new"' in page
    # The page that offers to save them carries all three indicators and both actions, not only the first of each.
    for code in ("GOV.01", "GOV.02", "FIN.01"):
        assert f'name="indicators" value="{code}"' in page
    assert all(f'name="action_ids" value="{a}"' in page for a in mw.actions)
    assert client.post(f"{LOG}/new", data=kept["form"]).status_code == 302
    session = mw.sessions()[-1]
    assert session.indicators == ["GOV.01", "GOV.02", "FIN.01"]
    assert sorted(a.id for a in session.actions) == sorted(mw.actions)
    assert session.notes == VALID["notes"]


def test_the_expired_login_page_is_not_offered_to_a_mentor_who_is_still_logged_in(mw):
    client = mw.app.test_client()
    assert login(client, mw.users["mentor"]).status_code == 302
    assert client.post(f"{LOG}/new", data=VALID).status_code == 302  # saved at once, no detour
    assert len(mw.sessions()) == 1
