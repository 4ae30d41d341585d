"""``pip install .`` gives a working app: the wheel, installed outside the checkout, runs on its own files.

The wheel is built from a copy of the working tree (building in place would leave build/
in a tree others share, and files left there leak into later wheels), with the catalogues
compiled in the copy as ``make wheel`` does, installed with ``--no-deps`` into a fresh virtual environment in a
temporary folder, and given the dependencies of the project's .venv by one ``.pth`` line.
A path added by a ``.pth`` line has its own ``.pth`` files left alone, so the .venv's
editable-install finder never runs there: the test checks that ``capacity`` is imported
from the new environment. From a folder outside the checkout, the installed ``capacity``
command then upgrades a database, loads the demo and prints a Georgian profile PDF, and
the Georgian login page and a static file are served: migrations, questionnaires,
report templates, fonts, page templates, static files and translations all come from the
wheel. Builds use pip's build isolation (setuptools from the package index, as
``pip install .`` does, so the package index must answer); about 25 s in all.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from capacity.resources import missing_catalogues

CHECKOUT = Path(__file__).resolve().parent.parent
# What a copy of the working tree leaves out: version control, environments, caches, local data, build output.
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", ".cache", "instance", "build", "dist", "*.egg-info",
                                    "__pycache__", ".pytest_cache", ".hypothesis", "out", "node_modules", "*.mo")
GEORGIAN = re.compile("[\u10d0-\u10ff]")


def compile_catalogues(root: Path) -> None:
    """What ``make translations`` (pybabel compile) does: every messages.po to its .mo, fuzzy entries left out."""
    for po in sorted(root.glob("capacity/translations/*/LC_MESSAGES/messages.po")):
        with po.open("rb") as source:
            catalogue = read_po(source, locale=po.parent.parent.name)
        with po.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalogue)


def run(command: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=180, **kwargs)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(CHECKOUT, source, ignore=NOT_COPIED)
    compile_catalogues(source)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", work / "dist", source], cwd=work)
    (built,) = (work / "dist").glob("capacity-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> dict:
    """A virtual environment outside the checkout with the wheel installed, and the environment to run it in."""
    work = tmp_path_factory.mktemp("installed")
    venv = work / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv])
    python = venv / "bin" / "python"
    # Installed first, before the .pth below makes the .venv's editable capacity visible to pip.
    run([sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel], cwd=work)
    site = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (site / "capacity-test-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith("CAPACITY_") and k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    environment.update(PATH=f"{venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
                       CAPACITY_ENV="development", CAPACITY_INSTANCE_PATH=str(work / "instance"))
    return {"venv": venv, "python": python, "capacity": venv / "bin" / "capacity", "site": site, "cwd": work,
            "env": environment}


def in_venv(installed: dict, command: list, **env: str) -> subprocess.CompletedProcess:
    return run(command, cwd=installed["cwd"], env={**installed["env"], **env})


def test_the_wheel_holds_everything_the_app_reads(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = set()
    # Every folder of the package with Python in it (setup.cfg lists the packages: a new one must be added there).
    for module in CHECKOUT.glob("capacity/**/*.py"):
        if "__pycache__" not in module.parts:
            expected.add(module.relative_to(CHECKOUT).as_posix())
    for name in ("alembic.ini", "script.py.mako"):
        expected.add(f"capacity/migrations/{name}")
    for language in ("ka", "en"):
        expected.add(f"capacity/translations/{language}/LC_MESSAGES/messages.mo")
    for path in (CHECKOUT / "capacity" / "static").rglob("*"):
        if path.is_file():
            expected.add(path.relative_to(CHECKOUT).as_posix())
    # The repository's top-level folders travel inside the package, as capacity/_resources/<folder>.
    shipped = [p for p in (CHECKOUT / "templates").rglob("*") if p.is_file()]
    shipped += [p for p in (CHECKOUT / "reports").rglob("*") if p.is_file() and "previews" not in p.parts]
    shipped += list((CHECKOUT / "questionnaires").glob("*.yaml"))
    for path in shipped:
        expected.add("capacity/_resources/" + path.relative_to(CHECKOUT).as_posix())
    missing = sorted(expected - names)
    assert not missing, f"not in {wheel.name}: {missing}"
    assert any(n.startswith("capacity/migrations/versions/0001") for n in names)
    assert any(n.startswith("capacity/_resources/reports/fonts/NotoSansGeorgian") for n in names)
    assert any(n.startswith("capacity/_resources/templates/auth/") for n in names)
    # Nothing at the top level of site-packages but the package, and no README pictures or stray sources.
    name, version = wheel.name.split("-")[:2]
    assert {n.split("/")[0] for n in names} == {"capacity", f"{name}-{version}.dist-info"}
    assert not [n for n in names if n.startswith("capacity/_resources/reports/previews/") or n.endswith((".po", ".pyc"))]


def test_installed_capacity_is_the_wheel_not_the_checkout(installed):
    probe = ("import json, capacity, capacity.resources as r; print(json.dumps({'file': capacity.__file__, "
             "'templates': str(r.templates_dir()), 'reports': str(r.reports_dir()), "
             "'questionnaires': str(r.questionnaires_dir()), 'checkout': r.from_checkout()}))")
    found = json.loads(in_venv(installed, [installed["python"], "-c", probe]).stdout)
    site = installed["site"]
    assert found.pop("checkout") is False
    for what, path in found.items():
        assert Path(path).is_relative_to(site), f"{what} is {path}, not in {site}"
        assert not Path(path).resolve().is_relative_to(CHECKOUT), f"{what} comes from the checkout: {path}"


def test_installed_app_migrates_loads_the_demo_and_prints_a_georgian_profile(installed):
    capacity = installed["capacity"]
    in_venv(installed, [capacity, "db", "upgrade"])
    assert (Path(installed["env"]["CAPACITY_INSTANCE_PATH"]) / "capacity.db").is_file()
    in_venv(installed, [capacity, "demo"])
    pdf = installed["cwd"] / "tel-02.pdf"
    in_venv(installed, [capacity, "report", "profile", "--org", "TEL-02", "--round", "endline", "--lang", "ka", "-o", pdf])
    assert pdf.read_bytes().startswith(b"%PDF-")
    info = run(["pdfinfo", pdf]).stdout
    assert int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1)) >= 2
    text = run(["pdftotext", pdf, "-"]).stdout
    assert "ოჯახის სახლი" in text  # the organisation's Georgian name
    assert len(GEORGIAN.findall(text)) > 200
    fonts = run(["pdffonts", pdf]).stdout
    embedded = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.split()[-5] == "yes"}
    assert {"Noto-Sans", "Noto-Sans-Georgian"} <= embedded, fonts  # the shipped fonts, embedded


def test_installed_app_serves_georgian_pages_and_static_files(installed):
    probe = """
from capacity import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
client = app.test_client()
page = client.get("/login")
css = client.get("/static/app.css")
print(page.status_code, css.status_code, len(css.data))
print(page.get_data(as_text=True))
"""
    output = in_venv(installed, [installed["python"], "-c", probe]).stdout
    status, html = output.split("\n", 1)
    page_status, css_status, css_size = map(int, status.split())
    assert (page_status, css_status) == (200, 200) and css_size > 1000
    assert "<h1>შესვლა</h1>" in html  # "Log in" from the compiled Georgian catalogue, in the shipped template
    assert 'href="/static/app.css' in html


def test_installed_app_keeps_its_instance_folder_out_of_site_packages(installed):
    env = {k: v for k, v in installed["env"].items() if k != "CAPACITY_INSTANCE_PATH"}
    probe = "from capacity import create_app; print(create_app().instance_path)"
    result = run([installed["python"], "-c", probe], cwd=installed["cwd"], env=env)
    assert Path(result.stdout.strip()) == installed["venv"] / "var" / "capacity-instance"
    # In production there is no default: the folder holds the SQLite database, so the admin chooses it.
    production = subprocess.run([installed["capacity"], "org", "list"], cwd=installed["cwd"], capture_output=True,
                                text=True, timeout=120, env={**env, "CAPACITY_ENV": "production",
                                                             "CAPACITY_SECRET_KEY": "k" * 64})
    assert production.returncode == 2, production.stderr
    assert production.stderr.startswith("capacity: CAPACITY_INSTANCE_PATH is not set"), production.stderr
    assert "Traceback" not in production.stderr


def test_an_installation_without_compiled_catalogues_is_named(tmp_path):
    for language in ("ka", "en"):
        (tmp_path / language / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "en" / "LC_MESSAGES" / "messages.mo").write_bytes(b"\xde\x12\x04\x95")
    (tmp_path / "ka" / "LC_MESSAGES" / "messages.po").write_text("", encoding="utf-8")  # a source is not enough
    assert missing_catalogues(tmp_path, ("ka", "en")) == ["ka"]
    (tmp_path / "ka" / "LC_MESSAGES" / "messages.mo").write_bytes(b"")
    assert missing_catalogues(tmp_path, ("ka", "en")) == ["ka"]
