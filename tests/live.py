"""Live servers for tests that need real processes: gunicorn (killable as a group) and a logged-in visitor."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

TOKEN = re.compile(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"')
SECRET_KEY = "live-test-" + "k" * 48  # shared by every server of a test, as several servers of a deployment must


class Visitor:
    """One person's cookie against a live server; each request opens its own connection."""

    def __init__(self, port: int):
        self.port, self.cookie = port, ""

    def login(self, email: str, password: str) -> "Visitor":
        status, page = self.request("GET", "/login")
        status, _ = self.request("POST", "/login", {"email": email, "password": password,
                                                     "csrf_token": TOKEN.search(page).group(1)})
        assert status == 302, f"login of {email} answered {status}"
        return self

    def token(self, path: str) -> str:
        """The CSRF token of the page at ``path``."""
        status, page = self.request("GET", path)
        assert status == 200, f"{path} answered {status}"
        return TOKEN.search(page).group(1)

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None,
                body: bytes | None = None, raw: bool = False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            headers = {**(headers or {}), **({"Cookie": self.cookie} if self.cookie else {})}
            if form is not None:
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body = urlencode(form).encode()
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie" and value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
            self.last_headers = dict(response.getheaders())
            return response.status, data if raw else data.decode()
        finally:
            conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn in its own process group (so kill -9 reaches the master and every worker)."""

    def __init__(self, database_url: str, instance: Path, env: dict | None = None, workers: int = 4):
        self.database_url, self.instance, self.process, self.port, self.log = database_url, instance, None, 0, None
        self.extra_env, self.workers = env or {}, workers

    def start(self) -> None:
        self.port = free_port()
        self._close_log()
        self.log = open(self.instance / "gunicorn.log", "ab")
        env = {**os.environ, "CAPACITY_ENV": "production", "CAPACITY_SECRET_KEY": SECRET_KEY,
               "CAPACITY_COOKIE_SECURE": "0", "CAPACITY_INSTANCE_PATH": str(self.instance),
               "CAPACITY_DATABASE_URL": self.database_url, **self.extra_env}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--preload", "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "capacity:create_app()"],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
            try:
                conn.request("GET", "/login")
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    return
            except OSError:
                time.sleep(0.1)
            finally:
                conn.close()
            assert self.process.poll() is None, (self.instance / "gunicorn.log").read_text()[-2000:]
        raise AssertionError("gunicorn did not answer within 20 s")

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self._close_log()

    def _close_log(self) -> None:
        if self.log is not None:
            self.log.close()
            self.log = None

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._close_log()
