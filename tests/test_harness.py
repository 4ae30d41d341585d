"""The test suite cannot hide: a PostgreSQL that was asked for and does not answer fails, and so does a missing
browser where one is required (CI)."""
from __future__ import annotations

import pytest

import tests.conftest as root
from tests.browser import conftest as browser


def test_a_postgres_url_that_does_not_answer_fails_instead_of_skipping(monkeypatch):
    monkeypatch.setattr(root, "POSTGRES_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(pytest.fail.Exception) as failed:
        root._postgres_schema_or_skip()
    assert "does not answer" in str(failed.value)


def test_no_postgres_url_is_a_skip_with_the_reason(monkeypatch):
    monkeypatch.setattr(root, "POSTGRES_URL", "")
    with pytest.raises(pytest.skip.Exception) as skipped:
        root._postgres_schema_or_skip()
    assert "CAPACITY_TEST_POSTGRES_URL is not set" in str(skipped.value)


def test_a_missing_browser_fails_where_one_is_required(monkeypatch):
    monkeypatch.setattr(browser, "_why_no_browser", lambda: "browser tests skipped: no Chromium at /nowhere")
    monkeypatch.setattr(browser, "browser_required", lambda: True)
    with pytest.raises(pytest.fail.Exception) as failed:
        browser.browser_available.__wrapped__()
    assert "no Chromium at /nowhere" in str(failed.value)
    monkeypatch.setattr(browser, "browser_required", lambda: False)
    with pytest.raises(pytest.skip.Exception):
        browser.browser_available.__wrapped__()
