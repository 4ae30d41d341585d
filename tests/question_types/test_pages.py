"""Each question type on the domain page, in the questionnaire's content language: what a user sees and can tick."""
from __future__ import annotations

import re

from capacity.questionnaires.forms import field_name
from capacity.questionnaires.library import load_directory
from tests.question_types.conftest import BASE, client_for, fieldset, text, world  # noqa: F401  (a fixture)


def every_type():
    return load_directory().questionnaire("every-type", "1.0")


def test_each_type_shows_its_choices_in_georgian(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    page = cso.get(f"{BASE}/self/GOV")
    assert page.status_code == 200
    questionnaire = every_type()
    # yes/no: two radio buttons in the interface's words
    yes_no = fieldset(page, "GOV.2")
    assert f'type="radio" name="{field_name("value", "GOV.2")}" value="yes"' in yes_no
    assert "დიახ" in yes_no and "არა" in yes_no
    # multiple choice: a box per option, in Georgian, and "None of these" apart
    multiple = fieldset(page, "GOV.3")
    for option in questionnaire.indicator("GOV.3").options:
        assert f'type="checkbox" name="{field_name("value", "GOV.3")}" value="{option.code}"' in multiple
        assert option.text.ka in multiple
    assert "არცერთი ჩამოთვლილთაგან" in multiple and "data-exclusive" in multiple
    # single choice: one radio per option
    single = fieldset(page, "GOV.4")
    for option in questionnaire.indicator("GOV.4").options:
        assert f'type="radio" name="{field_name("value", "GOV.4")}" value="{option.code}"' in single
        assert option.text.ka in single
    # scale: the level descriptors, as before
    assert questionnaire.indicator("GOV.1").levels[3].ka in fieldset(page, "GOV.1")
    services = cso.get(f"{BASE}/self/SRV")
    number = fieldset(services, "SRV.1")
    assert f'name="{field_name("value", "SRV.1")}"' in number and 'inputmode="numeric"' in number
    assert "(ადამიანი)" in text_of(number)  # the unit, in the content language
    assert "მთელი რიცხვი, ციფრებით 0–9. შეიყვანეთ რიცხვი: არანაკლებ 0." in text_of(number)  # and its bounds
    free = fieldset(services, "SRV.4")
    assert f'<textarea id="{field_name("value", "SRV.4")}"' in free
    assert "(არასავალდებულო)" in text_of(free)  # required: false


def text_of(html_part: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html_part).split())


def test_a_conditional_question_carries_its_rule_and_says_when_to_answer_it(app, world):
    people = world()
    page = client_for(app, people["cso"], "en").get(f"{BASE}/self/GOV")
    multiple = fieldset(page, "GOV.3")
    # Without scripts the question is shown, with the condition in words; the script reads the rule from the page.
    assert "Answer only if the answer to GOV.2 is “Yes”." in text_of(multiple)
    assert 'data-show-if="GOV.2"' in multiple and 'data-show-operator="equals"' in multiple
    assert 'data-show-value="&#34;yes&#34;"' in multiple and 'data-show-met="0"' in multiple
    assert "hidden" not in multiple.split(">")[0]
    services = client_for(app, people["cso"], "en").get(f"{BASE}/self/SRV")
    assert "Answer only if the answer to SRV.1 is at least 1 people." in text_of(fieldset(services, "SRV.3"))
    assert "Answer only if the answer to GOV.4 is one of “Once a year”, “More than once a year”." in text_of(
        fieldset(services, "SRV.5"))
    assert re.search(r'<script src="/static/conditions\.js(\?v=\w+)?" defer></script>', services.get_data(as_text=True))
    assert client_for(app, people["cso"]).get("/static/conditions.js").status_code == 200


def test_the_questions_can_be_read_in_armenian_and_the_page_says_so(app, world):
    people = world()
    cso = client_for(app, people["cso"])
    page = cso.get(f"{BASE}/self/GOV")
    body = page.get_data(as_text=True)
    # The switch names each content language in its own name.
    assert 'name="language" value="hy" lang="hy"' in body and "Հայերեն" in body
    assert not re.search(r'class="flash flash--info"', body)  # Georgian content on a Georgian page: nothing to say
    response = cso.post("/assessments/content-language", data={"language": "hy", "next": f"{BASE}/self/GOV"})
    assert response.status_code == 302 and response.location.endswith(f"{BASE}/self/GOV")
    page = cso.get(f"{BASE}/self/GOV")
    shown = text(page)
    questionnaire = every_type()
    assert "კითხვები ნაჩვენებია თქვენ მიერ არჩეულ ენაზე: სომხური. გვერდის დანარჩენი ნაწილის ენაა: ქართული." in shown
    multiple = fieldset(page, "GOV.3")
    for option in questionnaire.indicator("GOV.3").options:
        assert f'<span lang="hy">{option.text.get("hy")}</span>' in multiple
    assert f'<span lang="hy">{questionnaire.indicator("GOV.2").text.get("hy")}</span>' in fieldset(page, "GOV.2")
    assert "დიახ" in fieldset(page, "GOV.2")  # yes and no stay in the interface's language
    assert questionnaire.indicator("GOV.1").levels[2].get("hy") in fieldset(page, "GOV.1")
    assert 'aria-pressed="true">Հայերեն' in page.get_data(as_text=True)
    assert ': <span lang="hy">Կառավարում</span></h1>' in page.get_data(as_text=True)  # the heading is content too
    # The choice is this user's: a colleague in another browser still reads Georgian.
    assert "სომხური" not in text(client_for(app, people["colleague"]).get(f"{BASE}/self/GOV"))
    # The overview and review pages follow the same choice.
    assert "Կառավարում" in text(cso.get(f"{BASE}/self/"))
    assert "სომხური" in text(cso.get(f"{BASE}/self/submit"))


def test_a_language_the_questionnaire_lacks_is_said_and_a_draft_is_marked(app, world):
    people = world(variant=True)
    cso = client_for(app, people["cso"], "en")
    cso.post("/assessments/content-language", data={"language": "ru", "next": "/"})
    page = cso.get(f"{BASE}/self/GOV")
    shown = text(page)
    assert "Русский (draft translation)" in shown
    assert "The questions are shown in Russian, as you chose; the rest of the page is in English." in shown
    assert "Russian is a draft translation: texts not translated yet are shown in English." in shown
    assert "Управление" in shown  # the one text translated
    assert "The organisation has a written strategy." in shown  # the others from English, as said
    # A language the questionnaire does not declare at all falls back, and says so too.
    cso.post("/assessments/content-language", data={"language": "az", "next": "/"})
    assert "Governance" in text(cso.get(f"{BASE}/self/GOV"))
    assert cso.post("/assessments/content-language", data={"language": "xx"}).status_code == 400


def test_a_questionnaire_without_the_interface_language_says_which_language_it_shows(app, world, questionnaire_dir):
    people = world()
    # A copy declaring Armenian and English only: a Georgian page must say the questions are in English.
    source = (questionnaire_dir / "every-type.yaml").read_text(encoding="utf-8")
    without_ka = re.sub(r"ka: (\"[^\"]*\"|[^,}\n]+)(, |\n\s*)", "", source)
    assert "ka:" not in without_ka
    without_ka = without_ka.replace("languages: [ka, en, hy]", "languages: [en, hy]").replace(
        "id: every-type\n", "id: every-type-noka\n")
    (questionnaire_dir / "every-type-noka.yaml").write_text(without_ka, encoding="utf-8")
    rubric = (questionnaire_dir / "every-type.rubric.yaml").read_text(encoding="utf-8")
    rubric = re.sub(r"ka: (\"[^\"]*\"|[^,}\n]+)(, |\n\s*)", "", rubric).replace(
        "id: every-type-default", "id: every-type-noka-default").replace("{id: every-type,", "{id: every-type-noka,")
    (questionnaire_dir / "every-type-noka.rubric.yaml").write_text(rubric, encoding="utf-8")
    from tests.questionnaire_fixtures import make_round
    from datetime import date
    make_round(app, "noka", "every-type-noka", "1.0", "every-type-noka-default", "1.0", date(2026, 2, 1))
    page = client_for(app, people["cso"]).get("/organisations/OWN-01/assessments/noka/self/GOV")
    assert page.status_code == 200, page.get_data(as_text=True)[:2000]
    shown = text(page)
    assert "ამ კითხვარს არ აქვს ვერსია ენაზე: ქართული. მისი კითხვები ნაჩვენებია ენაზე: ინგლისური." in shown
    assert '<span lang="en">' in fieldset(page, "GOV.1")
