"""Every page each role can open, on a phone: nothing scrolls sideways at 360 px, and axe-core finds no
serious or critical violation at 360 px nor at 1366 px.

Which pages: the GET routes of tests/test_access_matrix.py (ROUTES) that answer the role with a page
(200) there, filled in with the demo portfolio (TEL-01, both rounds), and then every page their links
lead to, as the role would click through. One page of each kind is enough for the layout: links that
differ only in the organisation or the account (27 organisation pages, 38 accounts) are visited once,
and the assessment domains once per track and round, except the organisation's own open self-assessment,
every domain of which is visited. A new route in ROUTES, or a new link, is checked without a change here.

"Scrolls sideways" is the page itself, and also any part of it that scrolls sideways by accident (a
table in its scrolling wrapper: on a phone such a table becomes cards, see capacity/static/app.css). A
sheet meant to scroll, like the A4 report preview, says so: a named region the keyboard can scroll.

One browser, one login per role, one visit per page: each page is measured at 360 px and checked with
axe-core; the first page of each kind (route) a role opens is then widened to 1366 px and checked again
(what differs between two pages of one route, their text and data, is checked at 360 px already).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import pytest
import sqlalchemy as sa

from capacity.auth.models import User
from capacity.extensions import db
from tests.browser.conftest import AXE_CORE, AXE_URL, axe, describe, login, set_language
from tests.test_access_matrix import ROUTES

PHONE, DESKTOP = 360, 1366
ORGANISATION = "TEL-01"  # the demo CSO account's organisation, one of the Kakheti mentor's
ROUNDS = ("endline", "baseline")  # open and not started by TEL-01; closed with a validated agreement
# Which actor of the access matrix each demo account is, for the organisation above.
ACTORS = {"visitor": "anonymous", "cso": "cso_own", "mentor": "mentor_assigned", "manager": "manager", "admin": "admin"}
# Accounts whose pages a user administrator opens: one of each form the account pages take.
ACCOUNTS = ("tel-01@demo.example.org", "mentor.kakheti@demo.example.org")
# Pages no route list names: the error pages (not found; forbidden for a CSO).
ERROR_PAGES = {"visitor": ["/no-such-page"], "cso": ["/admin/users/"]}
# Endpoints that answer with a file, not a page: a link to one is not followed.
FILES = re.compile(r"\.(pdf|xlsx|zip|csv|css|js|ico|svg|png)$")
FILE_ENDPOINTS = {"static", "favicon", "assessments.download_evidence", "jobs.download", "jobs.progress", "reports.asset",
                  "learning.file", "plans.download_evidence"}
ORG_CODE = re.compile(r"^[A-Z]{3}-\d{2}$")
# Query arguments that change the order, the language or the way back, not what kind of page it is.
SAME_PAGE_ARGS = {"sort", "order", "lang", "from", "next"}

# The page's width against the window's, the element reaching furthest right (the outermost of
# those that reach equally far: the table, not its last cell), and any part that scrolls sideways
# inside the page by accident (a table in a scrolling wrapper hides its last columns just the same).
MEASURE = """() => {
  const width = window.innerWidth;
  // A deliberate sideways scroll (an A4 report sheet) is a named region the keyboard can scroll; anything else
  // that scrolls sideways (a table in its wrapper) hides part of the page by accident.
  const SCROLL_REGION = '[role=region][tabindex="0"]:is([aria-label], [aria-labelledby])';
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + [...el.classList].map((c) => '.' + c).join('');
  const path = (el) => { const parts = []; for (let e = el; e && e !== document.body; e = e.parentElement) parts.unshift(name(e)); return parts.join(' > '); };
  const text = (el) => (el.innerText || '').trim().replace(/\\s+/g, ' ').slice(0, 80);
  // Inside a part that scrolls or clips, an element widens that part, not the page (reported below).
  const clipped = (el) => { for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    if (getComputedStyle(a).overflowX !== 'visible') return true; } return false; };
  let widest = null, spilling = null;
  const scrolling = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // visually hidden text, empty wrappers
    if (box.right > width + 0.5 && (!widest || box.right > widest.right + 0.5) && !clipped(el)) {
      widest = {right: Math.round(box.right), width: Math.round(box.width), path: path(el), text: text(el)};
    }
    // An element may fit while its text does not (a long e-mail address): the innermost such element.
    const reach = box.left + el.scrollWidth;
    if (reach > width + 0.5 && el.scrollWidth > el.clientWidth && (!spilling || reach >= spilling.right - 0.5) && !clipped(el)) {
      spilling = {right: Math.round(reach), width: el.scrollWidth, path: path(el) + ' (its text)', text: text(el)};
    }
    const overflowX = getComputedStyle(el).overflowX;
    if ((overflowX === 'auto' || overflowX === 'scroll') && !el.matches('input, textarea, select')
        && el.scrollWidth > el.clientWidth + 1 && !el.matches(SCROLL_REGION)) {
      scrolling.push({width: el.clientWidth, content: el.scrollWidth, path: path(el), text: text(el)});
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: width, widest: widest || spilling, scrolling};
}"""

# The header's rows: the brand's and the tools' boxes, the menu's top and its links.
HEADER = """() => {
  const header = document.querySelector('.site-header');
  const box = (selector) => { const el = header.querySelector(selector); if (!el) return null;
    const r = el.getBoundingClientRect(); return {top: Math.round(r.top), bottom: Math.round(r.bottom)}; };
  return {height: Math.round(header.getBoundingClientRect().height), brand: box('.brand'), tools: box('.header-tools'),
          nav: box('.site-nav'), menu: [...header.querySelectorAll('.site-nav a')].map((a) => a.getAttribute('href'))};
}"""


@dataclass
class Visit:
    url: str
    status: int
    measure: dict
    violations: dict[int, list[dict]] = field(default_factory=dict)  # width -> axe-core's serious/critical ones
    links: list[str] = field(default_factory=list)
    header: dict | None = None  # where the header's parts are at 1366 px (HEADER), on the pages checked that wide

    def overflow(self) -> str | None:
        """What scrolls sideways on this page at 360 px, in words; None when nothing does."""
        m = self.measure
        problems = []
        if m["scrollWidth"] > m["innerWidth"]:
            w = m["widest"] or {}
            problems.append(f"the page is {m['scrollWidth']} px wide in a {m['innerWidth']} px window; widest element: "
                            f"{w.get('path')} ({w.get('width')} px wide, reaching {w.get('right')} px) “{w.get('text')}”")
        for s in m["scrolling"]:
            problems.append(f"{s['path']} scrolls sideways ({s['content']} px of content in {s['width']} px) “{s['text']}”")
        return "; ".join(problems) or None


def _kind(app, url: str, role: str) -> tuple | None:
    """What makes a page a different page for the layout, or None for an address that is not a page to visit."""
    parts = urlsplit(url)
    if FILES.search(parts.path):
        return None
    try:
        endpoint, args = app.url_map.bind("localhost").match(parts.path, method="GET")
    except Exception:  # noqa: BLE001 - a 404, a redirect or a POST-only address: the error page is checked once
        return None
    if endpoint in FILE_ENDPOINTS:
        return None
    # Staff answer every domain of their open self-assessment: each of those pages is checked.
    own_domains = role == "cso" and args.get("track") == "self" and args.get("round_code") == ROUNDS[0]

    def same(key: str, value) -> str:
        if isinstance(value, int) or ORG_CODE.match(str(value)) or (key == "domain_code" and not own_domains):
            return "*"
        return str(value)

    query = tuple(sorted({k for k, _v in parse_qsl(parts.query)} - SAME_PAGE_ARGS))
    return (endpoint, tuple(sorted((k, same(k, v)) for k, v in args.items())), query)


def _start_urls(app, role: str) -> list[str]:
    """The role's pages among ROUTES' GET entries, with the demo organisation, both rounds and two accounts."""
    actor = ACTORS[role]
    with app.app_context():
        users = [str(db.session.scalar(sa.select(User.id).where(User.email == email))) for email in ACCOUNTS]
    urls = []
    for (endpoint, method), (url, _data, expected) in ROUTES.items():
        if method != "GET" or expected[actor] != 200:
            continue
        for round_code in ROUNDS:
            for user in users:
                urls.append(url.format(org=ORGANISATION, round=round_code, user=user))
    return list(dict.fromkeys(urls))


def _links(page) -> list[str]:
    """Same-site links on the page that lead to another page (not a download, not a fragment of this one)."""
    return page.evaluate("""() => [...document.querySelectorAll('a[href]')]
        .filter((a) => a.origin === location.origin && !a.hasAttribute('download'))
        .map((a) => a.pathname + a.search)""")


def _crawl(app, browser, live_server, role: str, cookies: dict) -> list[Visit]:
    context = browser.new_context(base_url=live_server, viewport={"width": PHONE, "height": 800})
    context.set_default_timeout(20_000)
    context.route(f"**{AXE_URL}", lambda route: route.fulfill(path=str(AXE_CORE), content_type="text/javascript"))
    page = context.new_page()
    try:
        if role != "visitor":
            if role in cookies:
                context.add_cookies(cookies[role])
            else:
                login(page, role)
                cookies[role] = context.cookies()
            page.goto("/")
            set_language(page, "ka")  # Georgian: the default, and the longer words
        errors = ERROR_PAGES.get(role, [])
        queue = [url for url in _start_urls(app, role) if _kind(app, url, role)] + errors
        seen, wide, visits = set(), set(), []
        while queue:
            url = queue.pop(0)
            kind = ("error page", url) if url in errors else _kind(app, url, role)
            if kind in seen:
                continue
            seen.add(kind)
            response = page.goto(url)
            status = response.status if response else 0
            if not (response and response.headers.get("content-type", "").startswith("text/html")):
                continue
            arrived = urlsplit(page.url)
            if url not in errors and _kind(app, arrived.path + ("?" + arrived.query if arrived.query else ""), role) != kind:
                # Sent on elsewhere (a visitor to the login page): that page is checked as itself.
                queue.append(arrived.path + ("?" + arrived.query if arrived.query else ""))
                continue
            visit = Visit(url, status, page.evaluate(MEASURE), links=_links(page))
            visit.violations[PHONE] = axe(page)
            if kind[0] not in wide:
                wide.add(kind[0])
                page.set_viewport_size({"width": DESKTOP, "height": 800})
                visit.violations[DESKTOP] = axe(page)
                visit.header = page.evaluate(HEADER)
                page.set_viewport_size({"width": PHONE, "height": 800})
            visits.append(visit)
            if status == 200:
                queue.extend(link for link in visit.links if _kind(app, link, role) is not None)
        return visits
    finally:
        context.close()


@pytest.fixture(scope="session")
def site(live_app, browser, live_server, _session_cookies):
    """``site(role)``: the visits of the role's pages (crawled once per run, whichever test asks first)."""
    crawled: dict[str, list[Visit]] = {}

    def visits(role: str) -> list[Visit]:
        if role not in crawled:
            crawled[role] = _crawl(live_app, browser, live_server, role, _session_cookies)
        return crawled[role]
    return visits


ROLES = list(ACTORS)


@pytest.mark.parametrize("role", ROLES)
def test_no_page_scrolls_sideways_on_a_phone(site, role):
    visits = site(role)
    # The crawl reached the pages a role works in, not just its home page.
    assert len(visits) >= {"visitor": 2, "cso": 10, "mentor": 10, "manager": 15, "admin": 20}[role], [v.url for v in visits]
    problems = [f"{v.url}: {v.overflow()}" for v in visits if v.overflow()]
    assert not problems, f"at {PHONE} px as {role} ({len(problems)} of {len(visits)} pages):\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_no_serious_accessibility_violation_on_a_phone_or_a_desktop(site, role):
    problems = [f"{v.url} at {width} px:\n{describe(found)}"
                for v in site(role) for width, found in v.violations.items() if found]
    assert not problems, f"axe-core as {role}:\n" + "\n".join(problems)


def test_one_header_layout_at_1366_px_on_every_page(site):
    """Brand and tools on one row, the menu on a row of its own below: the same height on every page of every role."""
    headers = {f"{role} {v.url}": v.header for role in ROLES if role != "visitor" for v in site(role) if v.header}
    assert len(headers) > 40, headers.keys()
    for where, h in headers.items():
        assert h["tools"]["top"] < h["brand"]["bottom"] and h["brand"]["top"] < h["tools"]["bottom"], f"{where}: {h}"
        assert h["nav"]["top"] >= max(h["brand"]["bottom"], h["tools"]["bottom"]) - 1, f"{where}: {h}"
    heights = {h["height"] for h in headers.values()}
    assert max(heights) - min(heights) <= 1, {where: h["height"] for where, h in headers.items()}
    # Without a login there is no menu: the first row alone.
    login_page = next(v.header for v in site("visitor") if v.url == "/login")
    assert login_page["nav"] is None and login_page["height"] < min(heights)


def test_staff_of_one_organisation_are_not_offered_a_list_of_organisations(site):
    cso = site("cso")
    menus = {tuple(v.header["menu"]) for v in cso if v.header and v.status == 200}
    # Home, which is their organisation's page, and the learning resources (which hold no organisation's data).
    assert menus == {("/", "/resources/")}, menus
    # The list itself still answers a typed address (with their one organisation), but nothing leads there.
    offered = [v.url for v in cso if "/organisations/" in v.links and v.url != "/organisations/"]
    assert not offered, f"pages linking staff to the list of organisations (menu or breadcrumb): {offered}"
    for role in ("mentor", "manager", "admin"):
        home = next(v for v in site(role) if v.url == "/")
        assert "/organisations/" in home.header["menu"], (role, home.header)


def test_tables_are_labelled_cards_on_a_phone_and_tables_on_a_desktop(page, log_in_as):
    log_in_as("manager")
    page.goto("/")
    row = """() => { const table = document.querySelector('main table.cards'), tr = table.tBodies[0].rows[0];
        const cells = [...tr.querySelectorAll('td[data-label]')];
        return {row: getComputedStyle(tr).display, head: table.tHead.getBoundingClientRect().height,
                width: Math.round(tr.getBoundingClientRect().width), title: tr.querySelector('th').innerText,
                first: tr.querySelector('th').getBoundingClientRect().top < cells[0].getBoundingClientRect().top,
                labels: cells.map((td) => getComputedStyle(td, '::before').content),
                wanted: cells.map((td) => JSON.stringify(td.dataset.label))}; }"""
    page.set_viewport_size({"width": PHONE, "height": 800})
    card = page.evaluate(row)
    # One card per organisation, as wide as the screen allows, each value beside its column's name.
    assert card["row"] == "flex" and card["head"] <= 1 and card["width"] <= PHONE, card
    assert card["labels"] == card["wanted"] and '"კოდი"' in card["labels"], card
    assert card["first"] and card["title"].startswith("ახალციხის"), card  # the organisation's name is the card's title
    page.set_viewport_size({"width": DESKTOP, "height": 800})
    table = page.evaluate(row)
    assert table["row"] == "table-row" and table["head"] > 20, table
    assert set(table["labels"]) == {"none"}, table  # the column headings say it once, above


@pytest.mark.parametrize("width", [PHONE, 390])
def test_the_save_bar_is_one_compact_row_on_a_phone(page, log_in_as, width):
    """The sticky bar of a domain page keeps most of an 844 px screen for the questions (it took ~130 px)."""
    log_in_as("cso")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/organisations/{ORGANISATION}/assessments/{ROUNDS[0]}/self/GOV")
    page.evaluate("() => document.getElementById('ind-GOV.02').scrollIntoView()")  # answering, mid-page
    bar = page.evaluate("""() => { const bar = document.querySelector('.form-actions');
        const buttons = [...bar.querySelectorAll('button')].map((b) => b.getBoundingClientRect());
        return {height: bar.getBoundingClientRect().height, bottom: bar.getBoundingClientRect().bottom,
                tops: buttons.map((b) => b.top), bottoms: buttons.map((b) => b.bottom), rights: buttons.map((b) => b.right),
                labels: [...bar.querySelectorAll('button')].map((b) => b.innerText)}; }""")
    assert len(bar["tops"]) == 2 and max(bar["tops"]) < min(bar["bottoms"]), bar  # side by side, not one above the other
    assert bar["height"] <= 64, bar
    assert max(bar["rights"]) <= width and 843 <= bar["bottom"] <= 844, bar  # whole, on the bottom of the screen
    assert bar["labels"][0] == "შენახვა", bar


def test_the_phone_check_names_what_scrolls_sideways(page):
    """The measurement itself: text wider than its box, a page made too wide, and a table scrolling inside its
    wrapper are each named."""
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto("/login")
    assert Visit("/login", 200, page.evaluate(MEASURE)).overflow() is None
    page.evaluate("""() => {
        const label = document.createElement('label'); label.id = 'long-word'; label.style.display = 'flex';
        label.textContent = 'someone.with.a.very.long.address.indeed@organisation.example.org';
        document.querySelector('main').append(label);
    }""")
    found = Visit("/login", 200, page.evaluate(MEASURE)).overflow()
    assert found and "label#long-word (its text)" in found, found
    page.evaluate("""() => {
        document.querySelector('#long-word').remove();
        const main = document.querySelector('main');
        const wide = document.createElement('p'); wide.id = 'too-wide'; wide.style.width = '500px'; wide.textContent = 'wide';
        const wrap = document.createElement('div'); wrap.className = 'table-wrap';
        wrap.innerHTML = '<table><tr><td>one</td></tr></table>'; wrap.querySelector('table').style.minWidth = '900px';
        main.append(wide, wrap);
    }""")
    found = Visit("/login", 200, page.evaluate(MEASURE)).overflow()
    assert found and "the page is 5" in found and "p#too-wide (500 px wide" in found, found
    assert "div.table-wrap scrolls sideways (900 px of content" in found, found
    # A sheet meant to scroll sideways, named and reachable with the keyboard, is not an accident.
    page.evaluate("""() => { document.querySelector('#too-wide').remove();
        const wrap = document.querySelector('.table-wrap');
        wrap.setAttribute('role', 'region'); wrap.setAttribute('tabindex', '0'); wrap.setAttribute('aria-label', 'A4'); }""")
    assert Visit("/login", 200, page.evaluate(MEASURE)).overflow() is None
