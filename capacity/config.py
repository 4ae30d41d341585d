"""Configuration read from the environment, with documented defaults.

Every setting can be given as an environment variable named ``CAPACITY_<NAME>``;
README.md lists them.
"""
from __future__ import annotations

import os
from datetime import timedelta

DEFAULT_SECRET_KEY = "capacity-development-key-do-not-use-in-production"
LANGUAGES = ("ka", "en")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says how to fix it."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def from_environment() -> dict:
    """Return the settings given by ``CAPACITY_*`` variables (and defaults)."""
    env = os.environ.get("CAPACITY_ENV", "production").strip().lower()
    production = env == "production"
    settings = {
        "CAPACITY_ENV": env,
        "SECRET_KEY": os.environ.get("CAPACITY_SECRET_KEY") or DEFAULT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("CAPACITY_DATABASE_URL") or None,
        "BABEL_DEFAULT_LOCALE": os.environ.get("CAPACITY_DEFAULT_LANGUAGE", "ka"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("CAPACITY_TIMEZONE", "Asia/Tbilisi"),
        "SESSION_COOKIE_SECURE": _flag("CAPACITY_COOKIE_SECURE", production),
        # Background report jobs go to RQ on this Redis when set; otherwise a thread of each web process runs them.
        "CAPACITY_REDIS_URL": os.environ.get("CAPACITY_REDIS_URL") or None,
        "REMEMBER_COOKIE_SECURE": _flag("CAPACITY_COOKIE_SECURE", production),
    }
    return settings


class Config:
    """Defaults shared by every environment."""

    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    WTF_CSRF_TIME_LIMIT = None  # tied to the session, so a long questionnaire never fails on an old token
    LANGUAGES = LANGUAGES
    MAX_CONTENT_LENGTH = 25 * 1024 * 1024


def check_production(config: dict) -> None:
    """Refuse to run in production with the public development secret key."""
    if config.get("TESTING") or config.get("CAPACITY_ENV") != "production":
        return
    if config.get("SECRET_KEY") in (None, "", DEFAULT_SECRET_KEY):
        raise ConfigError(
            "CAPACITY_SECRET_KEY is not set: in production Capacity refuses to start "
            "with the default key. Set it to a long random value, e.g. "
            "export CAPACITY_SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))') "
            "(or set CAPACITY_ENV=development on a developer machine)."
        )


def sqlite_url_problem(url: str) -> str | None:
    """Say what is wrong with a SQLite URL whose folder does not exist."""
    if not url.startswith("sqlite:///") or url in ("sqlite://", "sqlite:///:memory:"):
        return None
    path = url[len("sqlite:///"):].split("?", 1)[0]
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        return (
            f"The database folder {folder} does not exist: create it or point "
            "CAPACITY_DATABASE_URL at another place."
        )
    return None
