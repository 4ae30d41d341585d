"""Speed at the edges: what a page weighs on the wire, how fast the command line starts, an export, printing
every profile from the web, and one user's page and save times.

Everything runs against the demo portfolio on SQLite, the web parts under gunicorn
(4 workers) as in production. Page weight is what Debian's Chromium reports through
the DevTools protocol (bytes received, headers included), cold (a new browser
profile) and warm (the same page visited again). Each figure is the median of
several runs with its range: this shared machine varies from minute to minute.
"""
from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.web import Browser, gunicorn, percentile

PASSWORD = "capacity-demo"
TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
CHROMIUM = os.environ.get("CAPACITY_TEST_CHROMIUM", "/usr/bin/chromium")
CAPACITY = str(Path(sys.executable).parent / "capacity")
DOMAIN_PAGE = "/organisations/TEL-01/assessments/endline/self/GOV"


def _spread(values: list[float]) -> dict:
    return {"median": statistics.median(values), "low": min(values), "high": max(values), "n": len(values)}


def _command(env: dict, *args: str, repeat: int) -> dict:
    """A ``capacity`` command in a new process, as a person types it: median and range of wall times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([CAPACITY, *args], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return _spread(times)


class _Visitor(Browser):
    """One person on one keep-alive connection, sending forms."""

    def send(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        return self.request(method, path, urlencode(form) if form is not None else None, headers)

    def login(self, email: str) -> "_Visitor":
        _, page, _ = self.send("GET", "/login")
        status, _, _ = self.send("POST", "/login", {"email": email, "password": PASSWORD,
                                                     "csrf_token": TOKEN.search(page.decode()).group(1)})
        assert status == 302, f"login of {email}: {status}"
        return self


def _one_user(port: int) -> dict:
    """One person alone: 100 loads of a domain page, 100 autosaves (HTML and JSON as a browser asks for them)."""
    person = _Visitor(port).login("tel-01@demo.example.org")
    accept = {"Accept-Encoding": "gzip, deflate, br"}
    pages, saves, revision = [], [], 0
    for i in range(100):
        status, page, elapsed = person.send("GET", DOMAIN_PAGE, headers=accept)
        assert status == 200
        pages.append(elapsed)
    token = TOKEN.search(person.send("GET", DOMAIN_PAGE)[1].decode()).group(1)
    for i in range(100):
        status, data, elapsed = person.send(
            "POST", DOMAIN_PAGE.rsplit("/", 1)[0] + "/answers/GOV.02",
            {"level": str(1 + i % 4), "comment": f"save {i}", "evidence_url": "", "revision": str(revision)},
            {**accept, "X-CSRFToken": token, "Accept": "application/json"})
        assert status == 200, data[:200]
        revision += 1
        saves.append(elapsed)
    pages.sort()
    saves.sort()
    return {"page_p95": percentile(pages, 0.95), "page_p50": statistics.median(pages),
            "save_p95": percentile(saves, 0.95), "save_p50": statistics.median(saves)}


def _page_weight(port: int, runs: int = 3) -> dict:
    """Bytes on the wire and requests for the domain page, cold and warm, as Chromium counts them."""
    from playwright.sync_api import sync_playwright

    cold, warm = {"bytes": [], "requests": []}, {"bytes": [], "requests": []}
    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox",
                                             "--disable-background-networking", "--disable-component-update"])
        for _ in range(runs):
            login = browser.new_context()
            page = login.new_page()
            page.goto(base + "/login")
            page.fill("input[name=email]", "tel-01@demo.example.org")
            page.fill("input[name=password]", PASSWORD)
            page.press("input[name=password]", "Enter")  # the header's language buttons are submit buttons too
            page.wait_for_load_state("networkidle")
            assert "/login" not in page.url, "the benchmark's login failed"
            # A new context with the login's cookies only: an empty cache, as a person's first visit to the page.
            context = browser.new_context(storage_state=login.storage_state())
            login.close()
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            bucket: dict[str, dict] = {"now": {}}
            cdp.on("Network.loadingFinished", lambda event: bucket["now"].__setitem__(
                event["requestId"], event["encodedDataLength"]))
            for target in (cold, warm):
                bucket["now"] = {}
                page.goto(base + DOMAIN_PAGE)
                page.wait_for_load_state("networkidle")
                on_the_wire = [size for size in bucket["now"].values() if size > 0]  # a cache hit transfers nothing
                target["bytes"].append(sum(on_the_wire))
                target["requests"].append(len(on_the_wire))
            context.close()
        browser.close()
    return {"cold_bytes": _spread(cold["bytes"]), "cold_requests": max(cold["requests"]),
            "warm_bytes": _spread(warm["bytes"]), "warm_requests": max(warm["requests"])}


def _print_all_from_the_web(port: int) -> dict:
    """A manager presses "Print all profiles" (cold PDF cache) and waits until the ZIP can be downloaded."""
    manager = _Visitor(port).login("manager@demo.example.org")
    token = TOKEN.search(manager.send("GET", "/rounds/")[1].decode()).group(1)
    start = time.perf_counter()
    status, _, _ = manager.send("POST", "/rounds/endline/profiles.zip", {"lang": "ka", "csrf_token": token})
    assert status == 302, status
    job = manager.headers["Location"]
    while True:
        state = json.loads(manager.send("GET", job + ".json")[1])
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    seconds = time.perf_counter() - start
    assert state["status"] == "done", state
    return {"seconds": seconds, "profiles": state["total"]}


def run() -> list[dict]:
    with tempfile.TemporaryDirectory() as tmp:
        instance = Path(tmp)
        env = {**os.environ, "CAPACITY_ENV": "development", "CAPACITY_INSTANCE_PATH": str(instance)}
        subprocess.run([CAPACITY, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([CAPACITY, "demo"], env=env, check=True, capture_output=True)
        results = {
            "help": _command(env, "--help", repeat=5),
            "org_list": _command(env, "org", "list", repeat=5),
            "profile": _command(env, "report", "profile", "--org", "TEL-02", "--round", "endline", "--lang", "ka",
                                "-o", str(instance / "profile.pdf"), repeat=3),
            "xlsx": _command(env, "export", "round", "--round", "endline", "--format", "xlsx",
                             "-o", str(instance / "endline.xlsx"), repeat=3),
            "csv": _command(env, "export", "round", "--round", "endline", "--format", "csv",
                            "-o", str(instance / "endline.zip"), repeat=3),
        }
        server_env = {**env, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": "benchmark-" + "x" * 40,
                      "CAPACITY_COOKIE_SECURE": "0"}
        with gunicorn(server_env) as port:
            results["one_user"] = _one_user(port)
            results["weight"] = _page_weight(port)
            prints = [_print_all_from_the_web(port)]
            for cached in (instance / "cache" / "reports").glob("*.pdf"):
                cached.unlink()  # cold again for the next run
            prints.append(_print_all_from_the_web(port))
            results["print_all"] = {**_spread([p["seconds"] for p in prints]), "profiles": prints[0]["profiles"]}
    return [results]


def _mark(value: float, target: float) -> str:
    return "✓" if value <= target else "✗"


def _seconds(s: dict) -> str:
    return f"{s['median']:.2f} s ({s['low']:.2f}–{s['high']:.2f}, n={s['n']})"


def markdown(results: list[dict]) -> str:
    r = results[0]
    weight, user = r["weight"], r["one_user"]
    kb = 1024
    rows = [
        ("questionnaire domain page, cold cache: bytes on the wire (Chromium) and requests",
         f"{weight['cold_bytes']['median'] / kb:.1f} KB ({weight['cold_bytes']['low'] / kb:.1f}–"
         f"{weight['cold_bytes']['high'] / kb:.1f}), {weight['cold_requests']} requests",
         f"≤ 25 KB, ≤ 4 requests {_mark(weight['cold_bytes']['median'], 25 * kb) if weight['cold_requests'] <= 4 else '✗'}"),
        ("same page, repeat visit (cache warm)",
         f"{weight['warm_bytes']['median'] / kb:.1f} KB ({weight['warm_bytes']['low'] / kb:.1f}–"
         f"{weight['warm_bytes']['high'] / kb:.1f}), {weight['warm_requests']} requests",
         f"≤ 10 KB {_mark(weight['warm_bytes']['median'], 10 * kb)}"),
        ("`capacity --help`, new process", _seconds(r["help"]), f"≤ 0.6 s {_mark(r['help']['median'], 0.6)}"),
        ("`capacity org list`, new process", _seconds(r["org_list"]), f"≤ 0.6 s {_mark(r['org_list']['median'], 0.6)}"),
        ("`capacity report profile` (one profile, ka), new process", _seconds(r["profile"]),
         f"≤ 1.5 s {_mark(r['profile']['median'], 1.5)}"),
        ("`capacity export round --format xlsx` (demo endline: long + wide + profile), new process", _seconds(r["xlsx"]),
         f"≤ 1.0 s {_mark(r['xlsx']['median'], 1.0)}"),
        ("`capacity export round --format csv`, new process", _seconds(r["csv"]), ""),
        (f"print all {r['print_all']['profiles']} profiles from the web, cold cache, until the ZIP is ready",
         _seconds(r["print_all"]), f"≤ 8 s {_mark(r['print_all']['median'], 8.0)}"),
        ("page HTML p95, one user (100 loads)", f"{user['page_p95'] * 1000:.1f} ms (p50 {user['page_p50'] * 1000:.1f})",
         f"≤ 15 ms {_mark(user['page_p95'], 0.015)}"),
        ("autosave p95, one user (100 saves)", f"{user['save_p95'] * 1000:.1f} ms (p50 {user['save_p50'] * 1000:.1f})",
         f"≤ 10 ms {_mark(user['save_p95'], 0.010)}"),
    ]
    lines = ["## Speed at the edges", "",
             "Demo portfolio on SQLite; web figures under gunicorn (4 workers) on 127.0.0.1; commands in a new process "
             "each, as typed. Page weight as Debian's Chromium counts it (bytes received, headers included); cold = an "
             "emptied browser cache, warm = the same page again.", "",
             "| what | measured | target |", "|---|---|---|"]
    lines += [f"| {what} | {value} | {target} |" for what, value, target in rows]
    return "\n".join(lines) + "\n"
