"""Configuration read from the environment, with documented defaults.

Every setting can be given as an environment variable named ``CAPACITY_<NAME>``;
README.md lists them.
"""
from __future__ import annotations

import os
import secrets
from datetime import timedelta

# The key earlier versions used by default: published, so it is refused in production even
# when someone sets it explicitly. Development now uses a random key (instance_secret_key).
DEFAULT_SECRET_KEY = "capacity-development-key-do-not-use-in-production"
SECRET_KEY_FILE = "secret_key"
LANGUAGES = ("ka", "en")


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says how to fix it."""


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _minutes(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ConfigError(f"{name} must be a whole number of minutes (at least 1), not {value!r}.")
    return int(value)


def from_environment() -> dict:
    """Return the settings given by ``CAPACITY_*`` variables (and defaults)."""
    env = os.environ.get("CAPACITY_ENV", "production").strip().lower()
    production = env == "production"
    settings = {
        "CAPACITY_ENV": env,
        # None: create_app() uses instance_secret_key(), except in production (check_production refuses).
        "SECRET_KEY": os.environ.get("CAPACITY_SECRET_KEY") or None,
        "SQLALCHEMY_DATABASE_URI": os.environ.get("CAPACITY_DATABASE_URL") or None,
        "BABEL_DEFAULT_LOCALE": os.environ.get("CAPACITY_DEFAULT_LANGUAGE", "ka"),
        "BABEL_DEFAULT_TIMEZONE": os.environ.get("CAPACITY_TIMEZONE", "Asia/Tbilisi"),
        "SESSION_COOKIE_SECURE": _flag("CAPACITY_COOKIE_SECURE", production),
        # Background report jobs go to RQ on this Redis when set; otherwise a thread of each web process runs them.
        "CAPACITY_REDIS_URL": os.environ.get("CAPACITY_REDIS_URL") or None,
        "REMEMBER_COOKIE_SECURE": _flag("CAPACITY_COOKIE_SECURE", production),
        "CAPACITY_SESSION_IDLE_MINUTES": _minutes("CAPACITY_SESSION_IDLE_MINUTES", 120),
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
    CAPACITY_SESSION_IDLE_MINUTES = 120  # a login unused this long ends (capacity.auth.sessions)
    # Login throttling (capacity.auth.throttling): a lock lasts until the oldest counted failure
    # leaves the window; a storage failure (Redis down) lets logins through rather than giving a 500.
    RATELIMIT_STRATEGY = "moving-window"
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_KEY_PREFIX = "capacity"


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


def instance_secret_key(instance_path: str) -> str:
    """The random secret key kept in ``<instance>/secret_key`` (mode 0600), created on first use.

    Written to a private temporary file and linked into place, so two processes starting
    at once both end up with the same key and nobody ever reads a half-written file.
    """
    path = os.path.join(instance_path, SECRET_KEY_FILE)
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}.{secrets.token_hex(4)}"
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass  # another process was first: use its key
        except OSError:
            os.replace(temporary, path)  # a filesystem without hard links: last writer wins
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
    with open(path, encoding="ascii") as f:
        key = f.read().strip()
    if not key:
        raise ConfigError(f"The secret key file {path} is empty: delete it and Capacity makes a new one.")
    return key


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
