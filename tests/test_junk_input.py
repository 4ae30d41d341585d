"""Junk on every route, as every kind of user: never a 5xx, and every 4xx is a page (or JSON) with a sentence.

The generated complement of test_hostile_input.py (hand-picked cases that once gave 500s). Routes and actors
come from test_access_matrix, so a route added there is fuzzed here too. Each request starts from the route's
own (the page's form as a user fills it in, or the data in ROUTES) and gets junk: digits that are not ASCII,
numbers too large or not finite, nesting too deep to parse, control characters, invalid UTF-8, over-long,
empty, repeated and unknown values and names, in path parameters, query string, form fields (names read from
the real pages), body encodings (form, raw bytes, multipart, JSON) and headers.

Two passes per route the actor gets through to: a sweep sends each kind of field (one per name and rendering)
each of a few killer values with the rest of the form valid, so that code reading a value only after the form
is accepted meets it too; then Hypothesis combines junk freely. The world is built once per actor and database;
the actor's client is logged in again (their row restored) when junk ended the session. Every failure of every
route is collected, with where it happened and Hypothesis's smallest example.
"""
from __future__ import annotations

import json
import os
import re
import traceback
import zlib
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, quote_from_bytes, urljoin, urlsplit

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import capacity
from capacity.assessments import answering
from capacity.assessments.models import Track
from capacity.auth.models import User
from capacity.extensions import db
from capacity.jobs import services as jobs_services
from capacity.organisations.models import Organisation
from capacity.rounds.definitions import definitions_for
from capacity.rounds.queries import by_code
from tests.conftest import login
from tests.factories import Factory
from tests.test_access_matrix import ACTORS, ROUTES, world  # noqa: F401 (world: a fixture)

# Hypothesis examples per route: (routes the actor gets through to, routes refused at the door: login, 403, 404).
# CAPACITY_TEST_JUNK_EXAMPLES=20 multiplies them and sweeps every hand-picked value, for a longer search than CI's.
EXAMPLES = {"sqlite": (8, 2), "postgres": (3, 1)}
SCALE = int(os.environ.get("CAPACITY_TEST_JUNK_EXAMPLES", "1"))
AGREED = "agreed"  # a second round, in which the consensus page takes the mentor's agreed levels


@dataclass(frozen=True)
class Junk:
    """One value: the bytes sent, and a short label for the failure report (not 100,000 digits)."""

    raw: bytes
    label: str

    def __repr__(self) -> str:
        return self.label

    def _repr_pretty_(self, printer, _cycle) -> None:  # how Hypothesis prints a failing example
        printer.text(self.label)


def junk(value: str | bytes) -> Junk:
    raw = value if isinstance(value, bytes) else value.encode("utf-8", "surrogatepass")  # a lone surrogate: invalid UTF-8
    shown = repr(value)
    if len(shown) > 60:
        shown = f"{value[:12]!r}…({len(value)} {'bytes' if isinstance(value, bytes) else 'characters'})"
    return Junk(raw, shown)


DEEP = 100_000
# One of each kind, swept through every kind of field: "²".isdigit() but int() refuses it; Python's int()
# limit; not finite; JSON nested too deep; invisible characters; an address urlsplit cannot read; invalid UTF-8.
KILLERS = [junk(v) for v in ("²", "9" * DEEP, "1e309", "NaN", "[" * DEEP, "\x01\u202e", "//[")] + [junk(b"\xff\xfe")]
# Where PostgreSQL differs from SQLite: text longer than its column, control characters, NUL, integer overflow.
POSTGRES_KILLERS = [KILLERS[1], KILLERS[5]] + [junk(v) for v in ("a\x00b", str(2**31))]
HAND_PICKED = KILLERS + [junk(v) for v in (
    "", " ", "٣", "໓", "１２", "𝟗", "৩", "Ⅻ", "½", "٣.٥", "-0", "0", "00", "+1", " 1 ", "1.0", "0x1F", "1_000", "1e5",
    "-" + "9" * 5000, "-1e309", "1e-400", "-nan", "Infinity", "-Infinity", "inf", str(2**31), str(2**63),
    "-" + str(2**63), "9" * 20 + ".5", "\x00", "a\x00b", "\x1b[2J", "\x7f", "\ufeff", "\u200b", "\r\n", "\t", "\u2028",
    "\ud800", "a\udcff", "\u0301", "x" * DEEP, "ა" * 20_000, "[" * DEEP + "]" * DEEP, '{"a":' * DEEP,
    '{"path": "/organisations/x", "form": ' + "[" * DEEP + "}", "../../etc/passwd", "//evil.example/",
    "javascript:alert(1)", "http://[::1", "https://[x", "http://[::1]:99999999999/", "https://ex ample.org",
    "http://%zz", "https://" + "a" * 300 + ".org", "https://ö.xn--/", "2026-02-30", "9999-99-99", "0000-01-01",
    "99999-12-31", "-1", "na", "NA", "<script>x</script>", "' OR 1=1 --", "%s%n", "{{7*7}}", "%(x)s", "null", "[]",
    "{}", "a@b", "@", "ka", "en", "none", "pdf",
)] + [junk(b) for b in (b"\x80", b"\xc3\x28", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xc0\xaf", b"a\xffb")]

junk_values = st.one_of(
    st.sampled_from(KILLERS),
    st.sampled_from(HAND_PICKED),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=12).map(junk),  # any code point, surrogates too
    st.binary(max_size=12).map(junk),
    st.integers(-(10**40), 10**40).map(str).map(junk),
    st.floats().map(repr).map(junk),
)
junk_names = st.one_of(
    st.sampled_from([junk(n) for n in (
        "a[b][c]", "level[]", "x" + "[a]" * 5000, "__proto__", "n" * 5000, "", "\x00", "ü", "\xff", "a.b.c", "csrf_token")]),
    st.text(max_size=8).map(junk),
    st.binary(min_size=1, max_size=6).map(junk),
)
# Whole JSON bodies, and JSON values where a field's value goes.
JSON_BODIES = [junk(v) for v in ("[" * DEEP + "]" * DEEP, '{"a":' * DEEP + "1" + "}" * DEEP, "", "{", "\ufeff{}", "[]",
                                 "null", "9" * DEEP, '"\\ud800"', "{}" * 1000)] + [junk(b"\xff\xfe{}"), junk(b'{"level": "\xff"}')]
JSON_VALUES = [junk(v) for v in ("9" * DEEP, "1e309", "-0", "NaN", "Infinity", "[" * DEEP + "]" * DEEP, '"\\u0000"',
                                 '"\\ud800"', '"²"', "{}", "[]", "null", "true", '{"a": [1, {"b": null}]}')]
json_values = st.one_of(
    st.sampled_from(JSON_VALUES),
    st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
                 max_leaves=6).map(lambda v: junk(json.dumps(v))),
)
CONTENT_TYPES = ["text/plain", "multipart/form-data", "application/x-www-form-urlencoded; charset=utf-16",
                 "application/json; charset=latin-1", "application/octet-stream", "\x7f/\x01", ""]
# Uploaded files' names, sent as filename*= (RFC 5987, percent-encoded) and ending in .pdf so that the file is taken.
FILE_NAMES = [junk(v) for v in ("a\x00b", "a\r\nb", "\u202efdp.exe", "x" * 300, "²", "../../etc/passwd", ".")]
ACCEPT = ["text/html", "application/json", "*/*", "application/json;q=NaN, text/html;q=1e309", "\x7f;;q"]
JUNK_HEADERS = ("Referer", "Accept-Language", "Range", "If-Modified-Since", "If-None-Match")
QUERY_NAMES = ["next", "lang", "baseline", "round", "format", "q", "region", "municipality", "mentor", "page"]
# What a careful user types into an empty field, so that junk in one field meets a form that is otherwise valid.
FILLED = {"email": "junk.test@example.org", "password": "tidal orbit crayon 57 lantern", "date": "2026-05-01",
          "number": "0", "url": "https://example.org/evidence", "tel": "+995 555 123 456", "text": "Junk test"}
# The attributes that say how a field is read: fields alike in these (and in their name's first part) are swept once.
KIND_ATTRIBUTES = {"type", "min", "max", "step", "maxlength", "minlength", "pattern", "required", "inputmode", "multiple"}


class FormReader(HTMLParser):
    """The forms of a page: where each posts, what a user would send (empty fields filled in), its kinds of field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = {"action": a.get("action", ""), "method": a.get("method", "get").lower(), "fields": [],
                          "kinds": {}, "radios": {}}
            self.forms.append(self._form)
            return
        name = a.get("name")
        if self._form is None or (not name and tag != "option"):
            return
        kind = a.get("type", "text").lower()
        if tag in ("input", "select", "textarea") and kind not in ("submit", "button", "image", "reset"):
            rendering = (name.split("__")[0], tag, tuple(sorted((k, v) for k, v in a.items() if k in KIND_ATTRIBUTES)))
            self._form["kinds"].setdefault(name, rendering)
        if tag == "input" and kind == "radio":  # a group nobody has answered: its first choice
            self._form["radios"].setdefault(name, a.get("value", ""))
            if "checked" in a:
                self._form["radios"][name] = None
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "input" and kind not in ("submit", "button", "image", "reset", "file"):
            if kind != "checkbox" or "checked" in a:
                value = a.get("value", "on" if kind == "checkbox" else "")
                if not value and kind in FILLED:
                    value = "JNK-01" if name == "code" else FILLED[kind]
                self._form["fields"].append((name, value))
        elif tag == "select":
            self._select = [name, None]
        elif tag == "option" and self._select is not None and (self._select[1] is None or "selected" in a):
            self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            if self._select[1] is not None:
                self._form["fields"].append(tuple(self._select))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["fields"].append((self._textarea[0], self._textarea[1].removeprefix("\n")))
            self._textarea = None
        elif tag == "form":
            self._form["fields"] += [(name, value) for name, value in self._form.pop("radios").items() if value is not None]
            self._form = None


@dataclass
class Target:
    """One route as a user requests it: its rule, path parameters, query and form, and the names worth sweeping."""

    endpoint: str
    method: str
    rule: str
    params: dict[str, str]
    query: list[tuple[str, str]]
    form: list[tuple[str, str]]
    names: list[str]
    query_names: list[str]
    sweep: list[tuple[str, str]] = field(default_factory=list)  # ("query" or "form", name): one per kind of field

    def path(self, params: dict[str, bytes]) -> str:
        """PATH_INFO as a WSGI server hands it over: the decoded bytes of the address, as a latin-1 string."""
        raw = re.sub(rb"<(?:[^:<>]+:)?([^<>]+)>", lambda m: params[m.group(1).decode()], self.rule.encode())
        return raw.decode("latin-1")


@dataclass
class Sent:
    """One request: path parameters, query, body and headers, all as bytes where junk can go."""

    params: dict[str, bytes]
    query: list[tuple[bytes, bytes]]
    body: bytes = b""
    content_type: str | None = None
    headers: dict[str, str] = field(default_factory=dict)


def encoded(pairs: list[tuple[bytes, bytes]], raw: bool = False) -> bytes:
    quote = (lambda b: b) if raw else (lambda b: quote_from_bytes(b).encode())
    return b"&".join(quote(k) + b"=" + quote(v) for k, v in pairs)


def multipart(fields: list[tuple[bytes, bytes]], file_name: bytes | None, rfc5987: bool) -> tuple[bytes, str]:
    """A multipart body of ``fields``, and a PDF under the name ``file_name`` + ".pdf" (percent-encoded if ``rfc5987``)."""
    parts = [b'Content-Disposition: form-data; name="%s"\r\n\r\n%s' % (k, v) for k, v in fields]
    if file_name is not None:
        name = b"filename*=UTF-8''" + quote_from_bytes(file_name + b".pdf").encode() if rfc5987 else b'filename="%s.pdf"' % file_name
        parts.append(b'Content-Disposition: form-data; name="file"; %s\r\nContent-Type: application/pdf\r\n\r\n%%PDF-1.4' % name)
    return b"".join(b"--JUNK\r\n" + p + b"\r\n" for p in parts) + b"--JUNK--\r\n", "multipart/form-data; boundary=JUNK"


def _one_kind_each(kinds: dict[str, tuple], names: list[str]) -> list[str]:
    chosen = {}
    for name in names:
        chosen.setdefault(kinds.get(name, (name,)), name)
    return list(chosen.values())


class Fuzzer:
    """Sends junk as one actor, keeping that actor logged in, with the forms of the pages they can open at hand."""

    def __init__(self, app, world, actor: str, backend: str):
        self.app, self.world, self.actor, self.backend = app, world, actor, backend
        self.email = world["users"].get(actor)
        with app.app_context():
            user = db.session.scalar(sa.select(User).where(User.email == self.email)) if self.email else None
            self.user_id = user.id if user else None
            self.row = {k: getattr(user, k) for k in ("email", "password_hash", "role", "organisation_id", "active")} if user else {}
        self.client = self.login()
        self.forms = self.read_forms()

    def login(self):
        client = self.app.test_client()
        if self.email:
            assert login(client, self.email, Factory.PASSWORD).status_code == 302
        return client

    def relogin(self) -> None:
        """Junk may have logged the actor out, changed their password, role or activity: restore the row, log in."""
        with self.app.app_context():
            user = db.session.get(User, self.user_id)
            for key, value in self.row.items():
                setattr(user, key, value)
            db.session.commit()
        self.client = self.login()

    def url(self, template: str, round_code: str) -> str:
        return template.format(org=self.world["org"], user=self.world["user"], round=round_code)

    def read_forms(self) -> dict[str, dict]:
        """Every form on the pages this actor can open (in both rounds), by the path it is sent to."""
        forms: dict[str, dict] = {}
        for (_endpoint, method), (template, _data, _expected) in ROUTES.items():
            for round_code in dict.fromkeys([self.world["round"], AGREED]):
                url = self.url(template, round_code)
                if method != "GET" or re.search(r"\.(pdf|xlsx|zip|json|css)$", urlsplit(url).path):
                    continue
                response = self.client.get(url)
                reader = FormReader()
                reader.feed(response.get_data(as_text=True) if response.mimetype == "text/html" else "")
                response.close()
                for form in reader.forms:
                    path = urlsplit(urljoin(url, form["action"] or url)).path
                    if path == "/login":  # a real login, so that junk in "next" and "pending" is read after it
                        credentials = {"email": self.world["users"]["cso_own"], "password": Factory.PASSWORD}
                        form["fields"] = [(k, credentials.get(k, v)) for k, v in form["fields"]]
                    forms.setdefault(path, form)
        return forms

    def targets(self):
        """(target, Hypothesis examples, whether to sweep it) per route, and in the agreed round if the route names one.

        A route is swept once, as the first actor in ACTORS who gets through (the same code reads the fields for
        every actor); in the agreed round only what opens there alone (the mentor's consensus form).
        """
        through, door = EXAMPLES[self.backend]
        for (endpoint, method), (template, data, expected) in ROUTES.items():
            inside = reaches_view(self.actor, endpoint, expected[self.actor])
            first = next((actor for actor in ACTORS if reaches_view(actor, endpoint, expected[actor])), None)
            yield (self.target(endpoint, method, self.url(template, self.world["round"]), data),
                   through if inside else door, first == self.actor)
            if "{round}" in template:
                url = self.url(template, AGREED)
                shown = self.forms.get(urlsplit(url).path, {}).get("method") == method.lower()
                yield (self.target(endpoint, method, url, data), max(door, through // 2) if inside or shown else door,
                       shown and first is None)

    def target(self, endpoint: str, method: str, url: str, data: dict) -> Target:
        parts = urlsplit(url)
        rule, params = self.app.url_map.bind("localhost").match(parts.path, method=method, return_rule=True)
        empty = {"method": "", "fields": [], "kinds": {}}
        form = self.forms.get(parts.path, empty)
        posted = form if form["method"] == method.lower() == "post" else empty
        filters = form if form["method"] == method.lower() == "get" else empty  # as if its "Filter" were pressed
        sent = [(k, v) for k, v in posted["fields"] if k not in data] + [(k, str(v)) for k, v in data.items()]
        names = list(dict.fromkeys([*posted["kinds"], *data, *(["file"] if method == "POST" else [])]))
        query = parse_qsl(parts.query) + filters["fields"]
        query_names = list(dict.fromkeys([k for k, _v in query] + list(filters["kinds"])))
        sweep = [("query", n) for n in _one_kind_each(filters["kinds"], query_names)]
        sweep += [("form", n) for n in _one_kind_each(posted["kinds"], [n for n in names if n != "file"])]
        return Target(endpoint, method, rule.rule, {k: str(v) for k, v in params.items()}, query, sent, names,
                      query_names or QUERY_NAMES, sweep)

    def start(self, target: Target) -> Sent:
        return Sent({k: v.encode() for k, v in target.params.items()}, [(k.encode(), v.encode()) for k, v in target.query],
                    encoded([(k.encode(), v.encode()) for k, v in target.form]), "application/x-www-form-urlencoded")

    def sweep(self, target: Target):
        """(label, request): each kind of field of the route with each killer value, everything else as a user sends it."""
        for name in FILE_NAMES if "file" in target.names else ():
            sent = self.start(target)
            sent.body, sent.content_type = multipart([(k.encode(), v.encode()) for k, v in target.form], name.raw, True)
            sent.headers["Accept"] = "application/json"  # as the page script asks: the answer links to the stored file
            yield f"file name {name!r}", sent
        for where, name in target.sweep:
            for value in HAND_PICKED if SCALE > 1 else KILLERS if self.backend == "sqlite" else POSTGRES_KILLERS:
                sent = self.start(target)
                if where == "query":
                    sent.query = [(k, v) for k, v in sent.query if k != name.encode()] + [(name.encode(), value.raw)]
                else:
                    fields = [(k.encode(), v.encode()) for k, v in target.form if k != name]
                    sent.body = encoded(fields + [(name.encode(), value.raw)])
                yield f"{where} {name}={value!r}", sent

    def draw(self, target: Target, data: st.DataObject) -> Sent:
        """A request for ``target`` with junk drawn by Hypothesis."""
        sent = self.start(target)
        if sent.params and data.draw(st.sampled_from([False, False, True]), label="junk in the path"):
            name = data.draw(st.sampled_from(sorted(sent.params)), label="path parameter")
            sent.params[name] = data.draw(junk_values | st.sampled_from(self.world["real"]), label=f"<{name}>").raw
        for _ in range(data.draw(st.integers(0, 2), label="junk query parameters")):
            name = data.draw(st.sampled_from(target.query_names).map(junk) | st.sampled_from(QUERY_NAMES).map(junk)
                             | junk_names)
            sent.query.append((name.raw, data.draw(junk_values, label=f"?{name!r}=").raw))
        sent.headers["Accept"] = data.draw(st.sampled_from(ACCEPT), label="Accept")
        if data.draw(st.booleans(), label="junk headers"):
            for header in JUNK_HEADERS if self.email else (*JUNK_HEADERS, "Cookie"):  # a logged-in client sends its own
                value = data.draw(junk_values, label=header).raw.decode("latin-1")
                sent.headers[header] = re.sub(r"[\r\n]", "", f"session={value}; remember_token=1:0|{value}"
                                              if header == "Cookie" else value)
        sent.body, sent.content_type = self.body(target, data)
        return sent

    def body(self, target: Target, data: st.DataObject) -> tuple[bytes, str | None]:
        fields = [(k.encode(), v.encode()) for k, v in target.form]
        names = [junk(n) for n in target.names] or [junk("x")]
        how = data.draw(st.sampled_from(["one field", "some fields", "every field"]), label="junk in")
        chosen = names if how == "every field" else [data.draw(st.sampled_from(names), label="field")
                                                     for _ in range(1 if how == "one field" else 3)]
        if data.draw(st.booleans(), label="unknown field names too"):
            chosen += [data.draw(junk_names, label="name") for _ in range(2)]
        kind = data.draw(st.sampled_from(["form", "form", "raw form", "multipart", "json", "other"]), label="body")
        if kind == "json" and data.draw(st.booleans(), label="a whole JSON body"):
            return data.draw(st.sampled_from(JSON_BODIES), label="JSON").raw, "application/json"
        if kind == "json":
            values = {json.dumps(k.decode()).encode(): json.dumps(v.decode()).encode() for k, v in fields}
            for name in chosen:
                values[json.dumps(name.raw.decode("utf-8", "replace")).encode()] = data.draw(json_values, label=f"{name!r}:").raw
            return b"{" + b", ".join(k + b": " + v for k, v in values.items()) + b"}", "application/json"
        for name in chosen:
            value = data.draw(junk_values, label=f"{name!r}=").raw
            if data.draw(st.booleans(), label="sent twice") or not any(k == name.raw for k, _v in fields):
                fields.append((name.raw, value))
            else:
                fields = [(k, value if k == name.raw else v) for k, v in fields]
        if kind == "multipart":
            file_name = data.draw(junk_values, label="file name").raw if target.method == "POST" else None
            return multipart(fields, file_name, data.draw(st.booleans(), label="file name as filename*="))
        if kind == "other":
            return encoded(fields), data.draw(st.sampled_from(CONTENT_TYPES), label="Content-Type")
        return encoded(fields, raw=kind == "raw form"), "application/x-www-form-urlencoded"

    def check(self, target: Target, sent: Sent) -> None:
        """Send the request: below 500, and a 4xx is a page of the site or JSON with a message."""
        client = self.client if self.email else self.login()  # anonymous: a fresh browser every time
        response = client.open("/", method=target.method, query_string=encoded(sent.query).decode(), data=sent.body,
                               content_type=sent.content_type, headers=sent.headers,
                               environ_overrides={"PATH_INFO": target.path(sent.params)})
        status, mimetype, page, location = response.status_code, response.mimetype, response.get_data(), response.location
        response.close()
        assert status < 500, f"{status}: {page[:300]!r}"
        if status == 200 and mimetype == "application/json" and isinstance(url := json.loads(page).get("url"), str):
            stored = client.get(url)  # what was just stored (an evidence file) must come back too
            stored.close()
            assert stored.status_code < 500, f"{url}: {stored.status_code}"
        if status >= 400 and mimetype == "application/json":
            assert json.loads(page).get("message"), f"{status} JSON without a message: {page[:300]!r}"
        elif status >= 400:
            assert mimetype == "text/html" and b'class="site-header"' in page, f"{status} is not a page: {page[:300]!r}"
        if self.email and (status == 401 or (status == 302 and urlsplit(location or "").path == "/login")):
            probe = self.client.get("/organisations/")  # logged out (logout, a new password or role)? In again.
            probe.close()
            if probe.status_code != 200:
                self.relogin()


def reaches_view(actor: str, endpoint: str, expected: int) -> bool:
    """Whether the matrix lets this actor past the door (a login page, 403 or 404 is the door)."""
    if expected in (403, 404):
        return False
    return actor != "anonymous" or expected == 200 or endpoint == "i18n.set_language"


def describe(exc: BaseException) -> str:
    """The error, where in the application it happened, and Hypothesis's smallest example (each, for several)."""
    if isinstance(exc, BaseExceptionGroup):
        return "\n  ".join(describe(inner) for inner in exc.exceptions)
    package = str(Path(capacity.__file__).parent) + os.sep
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename.startswith(package)]
    where = f" at {frames[-1].filename.removeprefix(package)}:{frames[-1].lineno}" if frames else ""
    notes = "\n    ".join(getattr(exc, "__notes__", []))
    return f"{type(exc).__name__}{where}: {str(exc)[:300]}\n    {notes}"


@pytest.fixture
def junk_world(app, world, factory):
    """The access matrix's world, and a second round in which OWN-01's self- and mentor assessments are submitted.

    There the consensus page takes the mentor's agreed levels, and the self-assessment is read-only. ``real``:
    codes and ids that exist, sent in path parameters too (another organisation, round, track, domain, user).
    """
    factory.round(AGREED)
    with app.app_context():
        org = db.session.scalar(sa.select(Organisation).where(Organisation.code == world["org"]))
        definitions = definitions_for(by_code(AGREED))
        questionnaire, rated = definitions.questionnaire, [i for i in definitions.questionnaire.indicators if i.computed is None]
        scale = questionnaire.max_level - questionnaire.min_level + 1
        for offset, track in enumerate((Track.SELF, Track.MENTOR)):
            assessment = answering.get_or_create_assessment(org, by_code(AGREED), track, questionnaire, definitions.rubric)
            for index, indicator in enumerate(rated):  # the two tracks differ by one level: every row is a gap
                level = str(questionnaire.min_level + (index + offset) % scale)
                answering.save_answer(None, assessment, questionnaire, indicator.code, answering.AnswerInput(level, revision=0))
            answering.submit(None, assessment, questionnaire)
        db.session.commit()
        real = ["OTH-01", AGREED, *(t.value for t in Track), *(d.code for d in questionnaire.domains),
                *(i.code for i in questionnaire.indicators if i.computed is not None), rated[-1].code,
                *(str(i) for i in db.session.scalars(sa.select(User.id)))]
    return {**world, "real": [junk(value) for value in real]}


@pytest.mark.parametrize("actor", ACTORS)
def test_junk_on_every_route_never_gets_a_server_error(app, junk_world, backend, actor, monkeypatch):
    # Printing every profile is no input handling (tests/jobs): only record the job, never print it.
    monkeypatch.setattr(jobs_services, "dispatch", lambda app, job_id: None)
    fuzzer = Fuzzer(app, junk_world, actor, backend[0])
    failures = []
    for target, examples, swept in fuzzer.targets():
        route = f"{target.method} {target.endpoint} {target.params} as {actor}"
        for label, sent in fuzzer.sweep(target) if swept else ():
            try:
                fuzzer.check(target, sent)
            except Exception as exc:  # every failure is collected, not just the first
                failures.append(f"{route}, {label}: {describe(exc)}")

        @seed(zlib.crc32(route.encode()))
        @settings(max_examples=examples * SCALE, deadline=None, database=None, phases=(Phase.generate, Phase.shrink),
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example])
        @given(st.data())
        def junk_request(data):
            fuzzer.check(target, fuzzer.draw(target, data))

        try:
            junk_request()
        except Exception as exc:
            failures.append(f"{route}: {describe(exc)}")
    assert not failures, "\n".join(failures)
