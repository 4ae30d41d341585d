"""The fictional demo portfolio: 27 CSOs in the nine programme municipalities.

Every name here is invented; any likeness to a real organisation is chance.
Service areas: children, disability (persons with disabilities), families (at risk).
"""
from __future__ import annotations

from datetime import date

# code, municipality, Georgian name, English name, service areas, contact person
ORGANISATIONS: list[tuple[str, str, str, str, str, str]] = [
    ("TEL-01", "telavi", "ასოციაცია „ნაბიჯი“", "Association “Nabiji” (Step)", "disability;children", "ნინო ჯაფარიძე"),
    ("TEL-02", "telavi", "კავშირი „ოჯახის სახლი“", "Union “Family House”", "families;children", "ლევან ხატიაშვილი"),
    ("TEL-03", "telavi", "ფონდი „ალაზნის ველი“", "Alazani Valley Foundation", "children", "ეკა მაისურაძე"),
    ("AKM-01", "akhmeta", "ახმეტის ქალთა ინიციატივა", "Akhmeta Women’s Initiative", "families", "მაკა ბორჩაშვილი"),
    ("AKM-02", "akhmeta", "ასოციაცია „მზიანი დილა“", "Association “Sunny Morning”", "children;disability", "თეა ქადაგიძე"),
    ("AKM-03", "akhmeta", "თემის განვითარების ცენტრი „პანკისი“", "Community Development Centre “Pankisi”", "families;children", "ლია მარგოშვილი"),
    ("GUR-01", "gurjaani", "კავშირი „ერთად“", "Union “Together”", "disability", "ზურაბ ნადირაძე"),
    ("GUR-02", "gurjaani", "გურჯაანის ბავშვთა დღის ცენტრი", "Gurjaani Children’s Day Centre", "children", "ხათუნა ჭიკაიძე"),
    ("GUR-03", "gurjaani", "ფონდი „იმედის სხივი“", "Foundation “Ray of Hope”", "families", "ირაკლი გოგიაშვილი"),
    ("KUT-01", "kutaisi", "ასოციაცია „ხელი ხელს“", "Association “Hand in Hand”", "disability", "ნანა წიკლაური"),
    ("KUT-02", "kutaisi", "ქუთაისის სოციალური მომსახურების ცენტრი", "Kutaisi Social Services Centre", "families;children", "გიორგი ლორთქიფანიძე"),
    ("KUT-03", "kutaisi", "კავშირი „თანადგომა“", "Union “Solidarity”", "families", "მანანა კიკნაძე"),
    ("BAG-01", "baghdati", "ბაღდათის თემის ფონდი", "Baghdati Community Foundation", "families", "დავით ჩხეიძე"),
    ("BAG-02", "baghdati", "ასოციაცია „აკვანი“", "Association “Akvani” (Cradle)", "children", "სოფო გაბუნია"),
    ("BAG-03", "baghdati", "ინკლუზიური განვითარების ცენტრი „ნაკადული“", "Inclusive Development Centre “Nakaduli”", "disability;children", "ქეთევან რუხაძე"),
    ("BOR-01", "borjomi", "ასოციაცია „ბორჯომის ხეობა“", "Borjomi Gorge Association", "families", "ვახტანგ ბერიძე"),
    ("BOR-02", "borjomi", "კავშირი „მწვანე სახლი“", "Union “Green House”", "children", "ნათია მაღრაძე"),
    ("BOR-03", "borjomi", "ფონდი „სათნოება“", "Foundation “Satnoeba” (Kindness)", "disability", "ლელა ტაბატაძე"),
    ("AKH-01", "akhaltsikhe", "ახალციხის ახალგაზრდული ცენტრი", "Akhaltsikhe Youth Centre", "children", "არმენ პეტროსიანი"),
    ("AKH-02", "akhaltsikhe", "ასოციაცია „მესხეთის ოჯახები“", "Association “Families of Meskheti”", "families", "მარინე ბაღდავაძე"),
    ("AKH-03", "akhaltsikhe", "კავშირი „თანასწორი შესაძლებლობები“", "Union “Equal Opportunities”", "disability", "ნუგზარ მამულაშვილი"),
    ("BAT-01", "batumi", "ასოციაცია „ნათელი გზა“", "Association “Bright Path”", "disability", "ნესტან ბოლქვაძე"),
    ("BAT-02", "batumi", "ბათუმის ბავშვთა უფლებების ცენტრი", "Batumi Children’s Rights Centre", "children", "თამაზ ხიმშიაშვილი"),
    ("BAT-03", "batumi", "კავშირი „ოჯახი და საზოგადოება“", "Union “Family and Society”", "families;children", "ინგა დიასამიძე"),
    ("KHE-01", "khelvachauri", "ხელვაჩაურის ქალთა კავშირი", "Khelvachauri Women’s Union", "families", "ლამარა ბერიძე"),
    ("KHE-02", "khelvachauri", "ასოციაცია „ჭოროხი“", "Association “Chorokhi”", "children;families", "ემზარ ცეცხლაძე"),
    ("KHE-03", "khelvachauri", "ფონდი „ერთი სამყარო“", "Foundation “One World”", "disability", "რუსუდან შავაძე"),
]

# e-mail local part, display name, region the mentor covers
MENTORS: list[tuple[str, str, str]] = [
    ("mentor.kakheti", "ნინო ბერიძე", "kakheti"),
    ("mentor.imereti", "გიორგი კაპანაძე", "imereti"),
    ("mentor.samtskhe", "მარიამ ლომიძე", "samtskhe-javakheti"),
    ("mentor.adjara", "დავით ცინცაძე", "adjara"),
]

DOMAIN = "demo.example.org"  # reserved for examples: no real mailbox is ever addressed

ROUNDS = [
    {
        "code": "baseline", "kind": "baseline", "is_open": False,
        "name_ka": "საბაზისო შეფასება 2025", "name_en": "Baseline assessment 2025",
        "starts_on": date(2025, 3, 1), "ends_on": date(2025, 4, 30),
    },
    {
        "code": "endline", "kind": "endline", "is_open": True,
        "name_ka": "საბოლოო შეფასება 2026", "name_en": "Endline assessment 2026",
        "starts_on": date(2026, 10, 1), "ends_on": date(2026, 12, 15),
    },
]
QUESTIONNAIRE = ("gesi-oca", "1.0")
RUBRIC = ("gesi-oca-default", "1.0")
