"""Where the files Capacity reads at run time are, in a checkout and in an installed wheel alike.

The repository keeps ``templates/``, ``reports/`` and ``questionnaires/`` at its top level,
beside ``capacity/``; a wheel carries them inside the package, as
``capacity/_resources/<folder>`` (setup.cfg maps them there with ``package_dir``). Migrations,
translations and static files are inside ``capacity/`` in both. Everything that reads one of
these folders asks this module, so the answer is the same everywhere.

Paths are real folders (Jinja, WeasyPrint, matplotlib and Flask want files on disk): a
wheel installed by pip is unpacked, so they are.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from capacity.config import ConfigError

PACKAGE = Path(__file__).resolve().parent
BUNDLED = PACKAGE / "_resources"  # only in an installed wheel
CHECKOUT = PACKAGE.parent  # the repository, when running from one (make run, the tests, pip install -e .)
MIGRATIONS_DIR = PACKAGE / "migrations"
TRANSLATIONS_DIR = PACKAGE / "translations"
STATIC_DIR = PACKAGE / "static"
INSTALLED_INSTANCE = Path(sys.prefix) / "var" / "capacity-instance"  # Flask's place for an installed package's instance


def from_checkout() -> bool:
    """True when Capacity runs from the repository, False when from an installed wheel."""
    return not BUNDLED.is_dir()


def _folder(name: str) -> Path:
    if not from_checkout():
        return BUNDLED / name
    folder = CHECKOUT / name
    if not (CHECKOUT / "setup.cfg").is_file() or not folder.is_dir():
        raise FileNotFoundError(f"Capacity's {name}/ folder is missing: neither {BUNDLED / name} (an installed wheel) "
                                f"nor {folder} (a checkout) exists. Reinstall Capacity from a wheel built with `make wheel`.")
    return folder


def templates_dir() -> Path:
    """The web pages' Jinja templates."""
    return _folder("templates")


def reports_dir() -> Path:
    """The print templates, their stylesheet and the fonts of the PDF reports and charts."""
    return _folder("reports")


def questionnaires_dir() -> Path:
    """The shipped questionnaire and rubric files (CAPACITY_QUESTIONNAIRES may name another folder)."""
    return _folder("questionnaires")


def instance_path(production: bool) -> tuple[str, str]:
    """The instance folder and where that choice came from (for messages).

    CAPACITY_INSTANCE_PATH when set; else ``instance/`` in a checkout; else, for an installed
    wheel, ``<prefix>/var/capacity-instance`` in development (Flask's convention, so every
    command of one environment finds the same folder whatever the working directory) and no
    default in production: the folder keeps the SQLite database, the report cache and the
    exports, and must not vanish with a virtual environment that is rebuilt on upgrade.
    """
    given = os.environ.get("CAPACITY_INSTANCE_PATH", "").strip()
    if given:
        return os.path.abspath(given), "CAPACITY_INSTANCE_PATH"
    if from_checkout():
        return str(CHECKOUT / "instance"), "the checkout's default"
    if production:
        raise ConfigError(
            "CAPACITY_INSTANCE_PATH is not set: an installed Capacity in production needs a folder of its own for its "
            "SQLite database, report cache and exports, outside the virtual environment, e.g. "
            "export CAPACITY_INSTANCE_PATH=/var/lib/capacity (created when missing; its owner must be the user that runs Capacity)."
        )
    return str(INSTALLED_INSTANCE), "the default for an installed Capacity, <prefix>/var/capacity-instance"


def missing_catalogues(folder: Path, languages) -> list[str]:
    """The languages whose compiled catalogue (``<language>/LC_MESSAGES/messages.mo``) is missing or empty."""
    missing = []
    for language in languages:
        mo = Path(folder) / language / "LC_MESSAGES" / "messages.mo"
        if not mo.is_file() or mo.stat().st_size == 0:
            missing.append(language)
    return missing
