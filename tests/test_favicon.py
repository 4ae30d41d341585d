"""The app's icon: linked from every page, and /favicon.ico answers instead of a 404 on every first visit."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from tests.conftest import login

STATIC = Path(__file__).resolve().parents[1] / "capacity" / "static"
ICON_LINK = re.compile(r'<link rel="icon" href="/static/favicon\.svg\?v=([0-9a-f]{12})" type="image/svg\+xml">')


def test_every_page_links_the_icon_at_its_hashed_address(client, factory):
    pages = [client.get("/login").get_data(as_text=True)]
    login(client, factory.user("manager"))
    pages.append(client.get("/").get_data(as_text=True))
    pages.append(client.get("/no-such-page").get_data(as_text=True))  # the error page too
    svg = (STATIC / "favicon.svg").read_bytes()
    for page in pages:
        match = ICON_LINK.search(page)
        assert match, page[:600]
        assert match.group(1) == hashlib.sha256(svg).hexdigest()[:12]
    response = client.get(f"/static/favicon.svg?v={match.group(1)}")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert response.get_data() == svg and b"<svg" in svg
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    response.close()


def test_favicon_ico_is_the_icon_kept_for_a_year_without_anyone_s_cookie(client, factory):
    login(client, factory.user("cso", org=factory.org("ICO-01")))
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
    body = response.get_data()
    assert body == (STATIC / "favicon.ico").read_bytes()
    assert body[:4] == b"\x00\x00\x01\x00"  # an ICO file's header: browsers show it
    # Public for a year, but not immutable: this address cannot change when the icon does.
    assert response.headers["Cache-Control"] == "public, max-age=31536000"
    # A response any cache may keep never carries a logged-in person's session cookie.
    assert "Set-Cookie" not in response.headers
    assert "Cookie" not in response.headers.get("Vary", "")
    # Asked for again with its validator, it is not sent twice.
    again = client.get("/favicon.ico", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304
    again.close()  # a 304 keeps the unread file open until the server closes the response
