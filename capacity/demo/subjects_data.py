"""The demo's services and municipalities: who runs and answers what, and the round of each instrument.

The services are invented, each run by one of the demo organisations (capacity.demo.data) in its
municipality. The municipalities are the programme's four pilot municipalities; everything the demo
says about them (people, answers, scores) is invented.
Texts are written as staff, monitors and facilitators write them, in Georgian; the English after
each is for readers of this file only.
"""
from __future__ import annotations

from datetime import date

# code, organisation that runs it, municipality, Georgian name, English name, service areas
SERVICES: list[tuple[str, str, str, str, str, str]] = [
    ("TEL-01-DC", "TEL-01", "telavi", "შეზღუდული შესაძლებლობის მქონე ბავშვთა დღის ცენტრი „ნაბიჯი“",
     "“Nabiji” day centre for children with disabilities", "disability;children"),
    ("GUR-02-DC", "GUR-02", "gurjaani", "დღის მომსახურება შეზღუდული შესაძლებლობის მქონე ბავშვებისთვის (გურჯაანი)",
     "Gurjaani day care for children with disabilities", "disability;children"),
    ("KUT-02-FS", "KUT-02", "kutaisi", "ოჯახის მხარდაჭერის მომსახურება (ქუთაისი)",
     "Family support service, Kutaisi", "families;children"),
    ("BAG-03-EI", "BAG-03", "baghdati", "ადრეული განვითარების ხელშეწყობის მომსახურება „ნაკადული“",
     "“Nakaduli” early childhood intervention service", "disability;children"),
    ("BAT-01-DC", "BAT-01", "batumi", "შეზღუდული შესაძლებლობის მქონე პირთა დღის ცენტრი „ნათელი გზა“",
     "“Bright Path” day centre for persons with disabilities", "disability"),
    ("BAT-03-FS", "BAT-03", "batumi", "ოჯახის მხარდაჭერის მომსახურება „ოჯახი და საზოგადოება“",
     "“Family and Society” family support service", "families;children"),
]

# code, municipality (geography), Georgian name, English name
MUNICIPALITIES: list[tuple[str, str, str, str]] = [
    ("MUN-BATUMI", "batumi", "ქალაქ ბათუმის მუნიციპალიტეტი", "Batumi City Municipality"),
    ("MUN-CHOKHATAURI", "chokhatauri", "ჩოხატაურის მუნიციპალიტეტი", "Chokhatauri Municipality"),
    ("MUN-MARNEULI", "marneuli", "მარნეულის მუნიციპალიტეტი", "Marneuli Municipality"),
    ("MUN-DMANISI", "dmanisi", "დმანისის მუნიციპალიტეტი", "Dmanisi Municipality"),
]

# The municipal working groups' accounts (staff: the self-assessment): municipality -> display name.
# Their e-mail is municipality.<municipality>@DOMAIN.
MUNICIPAL_STAFF: dict[str, str] = {
    "batumi": "ნანა შერვაშიძე",
    "chokhatauri": "ირმა ჭანტურია",
    "marneuli": "სევინჯ ალიევა",
    "dmanisi": "ზაზა ქავთარაძე",
}
# The programme's facilitator (a mentor account: the independent assessment) of the four municipalities.
FACILITATOR = ("facilitator", "ეკა ჯანაშია")

SERVICE_ROUND = {
    "code": "service-monitoring-2026", "kind": "baseline",
    "name_ka": "მომსახურების ხარისხის მონიტორინგი 2026", "name_en": "Service quality monitoring 2026",
    "starts_on": date(2026, 9, 1), "ends_on": date(2026, 12, 18),
    "questionnaire": ("service-quality", "1.0"), "rubric": ("service-quality-default", "1.0"),
}
MUNICIPAL_ROUND = {
    "code": "municipal-benchmark-2026", "kind": "baseline",
    "name_ka": "მუნიციპალიტეტების შედარება (ბენჩმარკინგი) 2026", "name_en": "Municipal participation benchmark 2026",
    "starts_on": date(2026, 9, 15), "ends_on": date(2026, 12, 18),
    "questionnaire": ("municipal-participation", "1.0"), "rubric": ("municipal-participation-default", "1.0"),
}

# Self-assessment and the monitor's (facilitator's) assessment are submitted for every subject; the agreed
# assessment is validated for all but these: one service still agreeing, one municipality not started on it.
CONSENSUS_DRAFT = {"KUT-02-FS"}
CONSENSUS_NOT_STARTED = {"MUN-DMANISI"}

# Where a subject's answer is "not applicable" (the questions that allow it).
NOT_APPLICABLE: dict[str, set[str]] = {
    "TEL-01-DC": {"ACC.4"},             # no waiting list this year
    "GUR-02-DC": {"ACC.3"},             # nobody who does not speak Georgian applied
    "BAG-03-EI": {"OUT.5"},             # nobody left the service in the last twelve months
    "MUN-CHOKHATAURI": {"INC.4"},       # no ethnic minority community lives there
}
# How good each subject is, on the 1–4 scale, before noise: the story the numbers tell.
BASE_LEVEL: dict[str, float] = {
    "TEL-01-DC": 2.7, "GUR-02-DC": 2.1, "KUT-02-FS": 2.4, "BAG-03-EI": 3.0, "BAT-01-DC": 2.3, "BAT-03-FS": 1.9,
    "MUN-BATUMI": 2.8, "MUN-CHOKHATAURI": 1.8, "MUN-MARNEULI": 2.2, "MUN-DMANISI": 1.7,
}
# Weaker domains: the inclusion of vulnerable groups in municipalities, participation and outcomes in services.
DOMAIN_OFFSET: dict[str, float] = {"INC": -0.5, "PB": -0.3, "PAR": -0.4, "OUT": -0.3, "SAF": 0.2, "INF": 0.3}

# Answers to the free-text questions (self-assessment, then the monitor's / facilitator's).
TEXTS: dict[str, tuple[str, str]] = {
    # Voice of service users: what they value and what they would change.
    "PAR.6": ("მშობლებს მოსწონთ, რომ ბავშვები სიამოვნებით დადიან ცენტრში და პედაგოგები ყოველდღე უზიარებენ "
              "ინფორმაციას; ითხოვენ ტრანსპორტს შორეული სოფლებიდან და შაბათობით მუშაობას.",
              # parents value that children like coming and that staff share news daily; want transport and Saturdays
              "ექვს მშობელთან და ოთხ მომსახურების მიმღებთან გასაუბრებით: მომსახურებას აფასებენ, თუმცა საჩივრის "
              "მექანიზმის შესახებ ნაკლებად იციან და ენობრივი ბარიერი ორ ოჯახს აწუხებს."),
              # monitor: talked to six parents and four users; they value it, know little of complaints, language
    # Ideas for the action plan for citizen participation.
    "RES.5": ("სოფლებში მონაწილეობითი ბიუჯეტირების პილოტი და ახალგაზრდული საბჭოს შექმნა; ინფორმაცია "
              "უმცირესობების ენებზე.",  # a participatory budgeting pilot in villages, a youth council, minority languages
              "პრიორიტეტად შშმ პირების ორგანიზაციებთან რეგულარული კონსულტაციები და საკრებულოს სხდომების "
              "ხელმისაწვდომობა."),  # regular consultations with organisations of persons with disabilities
}
# The monitor's notes on what service users and families said (the service-quality participation domain).
VOICE_NOTES = [
    "ფოკუს-ჯგუფი ხუთ მშობელთან: მონაწილეობენ ინდივიდუალური გეგმის განხილვაში, თუმცა გადაწყვეტილებას ხშირად "
    "სპეციალისტები იღებენ.",  # focus group with five parents: involved in reviews, but specialists decide
    "ბავშვებთან სათამაშო მეთოდით გასაუბრება (მშობლების თანხმობით): ყველაზე მეტად მუსიკისა და ხატვის "
    "მეცადინეობები მოსწონთ.",  # talked with children through play, with consent: they like music and drawing
    "სატელეფონო გამოკითხვა რვა ოჯახთან: შვიდი კმაყოფილია, ერთს სურს ინფორმაცია აზერბაიჯანულ ენაზე.",
    # phone survey of eight families: seven satisfied, one wants information in Azerbaijani
]
AGREED_TYPED_NOTE = "სხვაობა განვიხილეთ შეხვედრაზე; დოკუმენტების გადახედვის შემდეგ შევთანხმდით ამ პასუხზე."
# differences discussed at the meeting; after reviewing the documents we agreed on this answer
