"""Imports on demand: starting the command line or the app does not load the report, chart and export stacks.

Each check runs in a fresh Python process, since this test process has long
imported everything. The stacks are named in HEAVY; the first command or request
that needs one loads it (the last test shows a report still works). Times belong
in the benchmarks, not here.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from capacity import create_app
from capacity.extensions import db
from tests.factories import Factory

REPOSITORY = Path(__file__).resolve().parent.parent
# pandas and numpy (scoring), matplotlib (charts), WeasyPrint (PDF), XlsxWriter (XLSX; openpyxl only reads them in
# tests), Alembic (migrations).
HEAVY = ("pandas", "numpy", "matplotlib", "weasyprint", "xlsxwriter", "openpyxl", "alembic")


def _environment(instance: Path) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CAPACITY_")}
    environment.update(CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(instance))
    return environment


def _python(code: str, instance: Path) -> dict:
    """Run ``code`` in a new interpreter; it prints one JSON object, returned here."""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPOSITORY,
                            env=_environment(instance), timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _loaded(names) -> list[str]:
    return sorted({name.split(".")[0] for name in names} & set(HEAVY))


def _console_script(*args: str, instance: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    """Run the ``capacity`` console script; return its result and the heavy packages it imported.

    ``-X importtime`` lists every module the process imports (on stderr), without touching the app.
    """
    script = Path(sys.executable).with_name("capacity")
    command = [str(script)] if script.is_file() else ["-c", "from capacity.cli import main; main()"]
    result = subprocess.run([sys.executable, "-X", "importtime", *command, *args], capture_output=True, text=True,
                            cwd=REPOSITORY, env=_environment(instance), timeout=120)
    imported = [line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert imported, result.stderr  # -X importtime worked: an empty list would prove nothing
    return result, _loaded(imported)


def test_importing_the_command_line_and_creating_the_app_loads_no_heavy_stack(tmp_path):
    loaded = _python("import json, sys\n"
                     "import capacity.cli\n"
                     "from capacity import create_app\n"
                     "create_app()\n"
                     "print(json.dumps(sorted(sys.modules)))", tmp_path)
    assert "capacity.cli" in loaded and "capacity.reporting.views" in loaded  # the blueprints are registered
    assert _loaded(loaded) == []


def test_capacity_help_and_org_list_load_no_heavy_stack(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})  # the database the commands below use: instance/capacity.db
    with app.app_context():
        db.create_all()
    Factory(app).org("TEL-01")

    helped, loaded = _console_script("--help", instance=tmp_path)
    assert helped.returncode == 0 and "report" in helped.stdout, helped.stderr[-2000:]
    assert loaded == []
    listed, loaded = _console_script("org", "list", instance=tmp_path)
    assert listed.returncode == 0 and "TEL-01" in listed.stdout, listed.stderr[-2000:]
    assert loaded == []


def test_commands_build_the_app_without_its_pages_except_the_commands_about_them(tmp_path, monkeypatch):
    """Registering the pages (views, forms, URL rules, the login limiter) is a tenth of a second no command needs."""
    monkeypatch.setenv("CAPACITY_INSTANCE_PATH", str(tmp_path))
    app = create_app({"TESTING": True})
    with app.app_context():
        db.create_all()
    Factory(app).org("TEL-01")

    listed, _ = _console_script("org", "list", instance=tmp_path)
    modules = {line.rsplit("|", 1)[1].strip() for line in listed.stderr.splitlines() if line.startswith("import time:")}
    assert listed.returncode == 0 and "TEL-01" in listed.stdout
    assert not {"capacity.assessments.views", "capacity.auth.views", "flask_limiter", "yaml"} & modules
    routes, _ = _console_script("routes", instance=tmp_path)
    assert routes.returncode == 0, routes.stderr[-2000:]
    assert "/organisations/<code>/assessments/<round_code>/<track>/answers/<indicator>" in routes.stdout
    assert "auth.login" in routes.stdout


WARM = """
import gc, json
from capacity import create_app
from capacity.questionnaires import library

app = create_app()
templates = [name for name in app.jinja_env.list_templates(extensions=["html"])]
compiled = [name for name in templates if any(key[1] == name for key in app.jinja_env.cache.keys())]
print(json.dumps({"templates": templates, "compiled": compiled, "questionnaires": len(library._cache),
                  "frozen": gc.get_freeze_count()}))
"""


@pytest.mark.parametrize("environment", ["production", "development"])
def test_a_production_web_worker_is_warm_before_its_first_request(tmp_path, environment):
    """Each gunicorn worker parses the questionnaires and compiles its page templates when it starts, not when
    the first person of the day opens a page; a developer's app and the tests start without that."""
    code = (f"import os\nos.environ.update(CAPACITY_ENV={environment!r}, CAPACITY_SECRET_KEY='w' * 40)\n" + WARM)
    seen = _python(code, tmp_path)
    assert "assessments/domain.html" in seen["templates"]
    if environment == "production":
        assert sorted(seen["compiled"]) == sorted(seen["templates"])
        assert seen["questionnaires"] == 1 and seen["frozen"] > 0
    else:
        assert seen["compiled"] == [] and seen["questionnaires"] == 0 and seen["frozen"] == 0


WEB = """
import json, sys
from capacity import create_app
from capacity.extensions import db
from tests.factories import Factory

app = create_app({"TESTING": True, "SECRET_KEY": "test", "WTF_CSRF_ENABLED": False})
with app.app_context():
    db.create_all()
factory = Factory(app)
manager = factory.user("manager")
factory.org("TEL-01")
factory.round("baseline")
client = app.test_client()
first = client.get("/login")
after_first = sorted(sys.modules)
client.post("/login", data={"email": manager, "password": Factory.PASSWORD})
report = client.get("/organisations/TEL-01/report/baseline?lang=en")
after_report = sorted(sys.modules)
printed = client.get("/organisations/TEL-01/report/baseline.pdf?lang=en")
print(json.dumps({"first": first.status_code, "after_first": after_first, "report": report.status_code,
                  "report_has_org": "TEL-01" in report.get_data(as_text=True), "after_report": after_report,
                  "pdf": printed.get_data()[:5].decode("latin-1"), "after_pdf": sorted(sys.modules)}))
"""


def test_the_first_request_loads_no_heavy_stack_and_a_report_loads_what_it_needs_on_demand(tmp_path):
    seen = _python(WEB, tmp_path)
    assert seen["first"] == 200
    assert _loaded(seen["after_first"]) == []
    assert seen["report"] == 200 and seen["report_has_org"]
    # The preview is HTML: scores and charts, but no WeasyPrint, which only a PDF needs.
    assert {"pandas", "matplotlib"} <= set(_loaded(seen["after_report"]))
    assert "weasyprint" not in _loaded(seen["after_report"])
    assert seen["pdf"] == "%PDF-" and "weasyprint" in _loaded(seen["after_pdf"])


@pytest.mark.parametrize("module", ["capacity.reporting.views", "capacity.exports.views", "capacity.jobs.views",
                                    "capacity.reporting.cli", "capacity.exports.cli", "capacity.assessments.cli",
                                    "capacity.access", "capacity.errors", "capacity.assessments.results"])
def test_modules_every_page_or_command_imports_load_no_heavy_stack(module, tmp_path):
    """One module at a time: says which one broke the rule when the tests above fail."""
    loaded = _python(f"import json, sys, {module}\nprint(json.dumps(sorted(sys.modules)))", tmp_path)
    assert _loaded(loaded) == []
