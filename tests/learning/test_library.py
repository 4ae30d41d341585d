"""The learning-resource library as its readers meet it: in both languages, filtered, with its files."""
from __future__ import annotations

import html as html_lib
import re

import pytest

from tests.conftest import login


@pytest.fixture
def reader(factory):
    factory.org("OWN-01")
    return {"staff": factory.user("cso", org="OWN-01"), "mentor": factory.user("mentor"), "manager": factory.user("manager")}


def titles(html: str) -> list[str]:
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", t)).split()) for t in re.findall(r'<h2 class="resource__title">(.*?)</h2>', html, re.S)]


def status(html: str) -> str:
    return re.search(r'<p role="status">(.*?)</p>', html).group(1)


def english(client, email):
    assert login(client, email).status_code == 302
    assert client.post("/language", data={"language": "en"}).status_code == 302


def get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["staff", "mentor", "manager"])
def test_every_role_reads_the_whole_library_in_english(client, reader, role):
    english(client, reader[role])
    html = get(client, "/resources/")
    assert status(html) == "17 of 17 resources"
    assert "Developing a gender equality plan: EIGE's GEAR tool" in titles(html)
    # Each resource with its indicators (code and title) and a link that opens safely in a new tab.
    assert '<span class="code">GESI.06</span>' in html
    assert 'href="https://eige.europa.eu/gender-mainstreaming/toolkits/gear" rel="noopener noreferrer"' in html
    assert 'href="/resources/gesi-oca-resources/R17/file" download' in html
    assert 'href="/resources/"' in html  # the menu leads here


def test_the_library_in_georgian_by_default(client, reader):
    assert login(client, reader["staff"]).status_code == 302
    html = get(client, "/resources/")
    assert "სასწავლო რესურსები" in html
    assert "გენდერული ბიუჯეტირება: ნაბიჯ-ნაბიჯ სახელმძღვანელო (EIGE)" in titles(html)
    assert "Gender budgeting: step-by-step toolkit (EIGE)" not in html
    assert "სახელმძღვანელო" in html and "ფაილის ჩამოტვირთვა" in html
    # Latin words inside Georgian text are marked with their language.
    assert '<span lang="en">Keeping Children Safe</span>' in html


def test_filter_by_kind(client, reader):
    english(client, reader["mentor"])
    assert titles(get(client, "/resources/?kind=video")) == ["No excuse for abuse: preventing sexual exploitation and abuse (video)"]
    modules = get(client, "/resources/?kind=module")
    assert status(modules) == "1 of 17 resources" and "UNICEF Agora" in titles(modules)[0]
    assert status(get(client, "/resources/?kind=competency_package")) == "1 of 17 resources"


def test_filter_by_indicator_lists_those_naming_it_first_then_by_shared_gesi_tag(client, reader):
    english(client, reader["mentor"])
    found = titles(get(client, "/resources/?topic=GESI.03"))
    named = ["Promoting diversity and inclusion through workplace adjustments: a practical guide (ILO)",
             "Planning and managing web accessibility (W3C WAI)",
             "Accessibility self-check for a service (PDF, in Georgian and English)"]
    assert found[:3] == named
    # GESI.03 is tagged accessibility, disability and budget: the gender budgeting toolkit comes by its tag.
    assert "Gender budgeting: step-by-step toolkit (EIGE)" in found[3:]
    assert "Guide to financial management for NGOs (Mango / Humentum)" not in found


def test_filter_by_domain_and_gesi_topic(client, reader):
    english(client, reader["mentor"])
    finance = titles(get(client, "/resources/?topic=domain:FIN"))
    assert "Guide to financial management for NGOs (Mango / Humentum)" in finance
    assert "Gender budgeting: step-by-step toolkit (EIGE)" in finance  # names FIN.03
    assert all("Safeguarding Standards" not in t for t in finance)
    safeguarding = get(client, "/resources/?gesi=safeguarding&kind=guide")
    assert status(safeguarding) == "2 of 17 resources"
    assert titles(safeguarding) == ["International Child Safeguarding Standards (Keeping Children Safe)",
                                    "Safe feedback and complaints mechanisms: the Core Humanitarian Standard (CHS)"]
    empty = get(client, "/resources/?gesi=budget&kind=video")
    assert "No resource matches these filters." in empty and 'href="/resources/">Show all' in empty


def test_unknown_filter_values_are_ignored(client, reader):
    english(client, reader["staff"])
    assert status(get(client, "/resources/?kind=podcast&topic=GOV.99&gesi=%3Cscript%3E")) == "17 of 17 resources"


def test_the_shipped_file_downloads_as_a_pdf_attachment(client, reader):
    english(client, reader["staff"])
    response = client.get("/resources/gesi-oca-resources/R17/file")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=R17-accessibility-self-check.pdf"
    assert response.data.startswith(b"%PDF-")
    response.close()


@pytest.mark.parametrize("url", [
    "/resources/gesi-oca-resources/R01/file",           # a link, not a file
    "/resources/gesi-oca-resources/R99/file",           # no such resource
    "/resources/other-set/R17/file",                    # no such set
    "/resources/gesi-oca-resources/..%2F..%2Fsetup.cfg/file",
    "/resources/..%2F..%2Fcapacity/R17/file",
])
def test_anything_but_a_shipped_file_is_not_found(client, reader, url):
    english(client, reader["staff"])
    response = client.get(url)
    assert response.status_code == 404
    assert b"%PDF" not in response.data and b"[metadata]" not in response.data


def test_a_file_path_outside_the_resources_folder_is_never_served(app, tmp_path, monkeypatch, reader):
    """Even if the data named a file elsewhere (it cannot load so), the service refuses to serve it."""
    from capacity.learning import services
    from capacity.learning.model import LearningResource, ResourceSet
    from capacity.questionnaires.library import Library, load_directory

    real = load_directory()
    (tmp_path / "resources").mkdir()
    (tmp_path / "secret.txt").write_text("secret")
    forged = ResourceSet("forged", "1.0", None, "gesi-oca", "1.0", (LearningResource(
        "X1", None, "guide", None, file="resources/../secret.txt", indicators=("GOV.01",)),), path=str(tmp_path / "f.yaml"))
    library = Library(questionnaires=real.questionnaires, rubrics=real.rubrics, resources={"forged@1.0": forged})
    with pytest.raises(services.NoFile):
        services.shipped_file(library, "forged", "X1")


def test_anonymous_visitors_are_sent_to_log_in(client, reader):
    for url in ("/resources/", "/resources/gesi-oca-resources/R17/file"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.location
