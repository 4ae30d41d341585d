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

# Development plans and mentoring (capacity.demo.development). Texts are written as staff and mentors
# write them, in Georgian; the English after each is for readers of this file only.

# Who has no plan yet, so the plan-status grid and the profile show "no plan yet" (one per mentor but
# Kakheti's; two of them regressed at endline, the others stalled).
WITHOUT_PLAN = {"AKM-03", "KUT-01", "BOR-02", "KHE-03"}
# Plans with actions past their due date (a regressing organisation and slow endlines among them).
STALLED_PLANS = {"GUR-03", "AKH-03", "BAT-03", "BAG-02", "TEL-02"}
# Plans whose every action that was not dropped is done.
COMPLETED_PLANS = {"AKM-01", "BAG-01", "BAT-01", "KHE-02", "BOR-03"}
# Plans where one action was dropped, with the reason.
PLANS_WITH_DROPPED_ACTION = {"GUR-03", "KUT-02", "AKH-01", "BAT-02", "TEL-03"}
# Where a mentoring follow-up became a plan action (TEL-01 is the demo's staff login).
FOLLOW_UP_BECAME_ACTION = {"TEL-01", "BAG-03"}

# indicator -> (support type, what will be done)
ACTIONS: dict[str, tuple[str, str]] = {
    "GOV.01": ("mentoring", "მისიისა და ღირებულებების გადახედვა თანამშრომლებთან და მომსახურების მიმღებებთან ერთად; "
                            "ინკლუზიის პრინციპის ჩაწერა წესდებაში"),  # review mission and values; inclusion in the charter
    "GOV.02": ("coaching", "გამგეობის სხდომების კვარტალში ერთხელ ჩატარება და ოქმების შენახვა"),  # quarterly board meetings, minutes
    "GOV.03": ("mentoring", "გამგეობაში ქალისა და შშმ პირის ჩართვა ღია შერჩევის წესით"),  # a woman and a person with disability on the board
    "GOV.04": ("training", "ინტერესთა კონფლიქტის პოლიტიკისა და ეთიკის კოდექსის მიღება; თანამშრომლები ხელმოწერით ეცნობიან"),  # COI policy, code of ethics
    "GOV.05": ("coaching", "ხელმძღვანელობის მემკვიდრეობითობის გეგმა: დირექტორის მოადგილის როლის განსაზღვრა და მომზადება"),  # succession plan
    "GOV.06": ("mentoring", "სარეგისტრაციო მონაცემების განახლება და კანონმდებლობის მოთხოვნების ჩამონათვალის შედგენა"),  # registration, compliance checklist
    "GOV.07": ("mentoring", "თანამშრომლებისა და მომსახურების მიმღებების საკონსულტაციო საბჭოს შექმნა"),  # advisory council of staff and users
    "STR.01": ("coaching", "სტრატეგიული გეგმის (2026–2028) შემუშავება მონაწილეობითი სემინარით, გენდერული და ინკლუზიის მიზნებით"),  # strategic plan
    "STR.02": ("mentoring", "წლიური სამუშაო გეგმისა და ბიუჯეტის ერთიანი შაბლონის დანერგვა"),  # one template for work plan and budget
    "STR.03": ("mentoring", "შიდა პოლიტიკის სახელმძღვანელოს შედგენა (შვებულება, მივლინება, დოკუმენტბრუნვა)"),  # internal policies manual
    "STR.04": ("training", "რისკების რეესტრის შედგენა, ბავშვებისა და შშმ პირების უსაფრთხოების რისკების ჩათვლით"),  # risk register
    "STR.05": ("training", "პერსონალურ მონაცემთა დაცვის წესის მიღება და ბენეფიციართა საქმეების დაცული შენახვა"),  # data protection
    "STR.06": ("peer_exchange", "ყოველთვიური შიდა შეხვედრები გამოცდილების გასაზიარებლად და საერთო ელექტრონული არქივი"),  # knowledge sharing
    "HR.01": ("mentoring", "ადამიანური რესურსების პოლიტიკის დაწერა თანაბარი შესაძლებლობებისა და გონივრული მისადაგების "
                           "მუხლებით"),  # HR policy with equal opportunities and reasonable accommodation
    "HR.02": ("coaching", "ვაკანსიების ხელმისაწვდომ ფორმატში გამოქვეყნება და შშმ პირთა ორგანიზაციების მეშვეობით გავრცელება"),  # inclusive recruitment
    "HR.03": ("mentoring", "ორგანიზაციული სქემისა და თანამდებობრივი ინსტრუქციების განახლება"),  # organigram, job descriptions
    "HR.04": ("training", "სოციალური მუშაკების პროფესიული ზედამხედველობა თვეში ერთხელ და წლიური შესრულების შეფასება"),  # supervision, appraisal
    "HR.05": ("training", "თანამშრომელთა სწავლების წლიური გეგმა; ტრენინგი შშმ ბავშვებთან მუშაობაზე"),  # staff learning plan
    "HR.06": ("coaching", "ანაზღაურების სქემის გადახედვა და თანამშრომელთა გადაწვის პრევენცია"),  # pay scale, burnout prevention
    "HR.07": ("mentoring", "მოხალისეთა მართვის წესის მიღება, ბავშვებთან მუშაობამდე ნასამართლობის შემოწმებით"),  # volunteer policy, checks
    "FIN.01": ("training", "ბუღალტრული პროგრამის დანერგვა და ბუღალტრის გადამზადება"),  # accounting software and training
    "FIN.02": ("mentoring", "ხარჯების დამტკიცების ორმაგი ხელმოწერის წესის დანერგვა"),  # two signatures on spending
    "FIN.03": ("coaching", "ბიუჯეტის შესრულების კვარტალური ანგარიში, ხელმისაწვდომობის ხარჯების ცალკე მუხლით"),  # quarterly budget report
    "FIN.04": ("small_grant", "დამოუკიდებელი აუდიტის ჩატარება 2025 წლის ფინანსურ ანგარიშგებაზე"),  # independent audit
    "FIN.05": ("mentoring", "დონორებისთვის ფინანსური ანგარიშის ერთიანი ფორმატის შემუშავება"),  # one financial report format
    "FIN.06": ("coaching", "სახსრების მოზიდვის გეგმა: განაცხადი მუნიციპალიტეტისა და ორი ახალი დონორის კონკურსზე"),  # fundraising plan
    "FIN.07": ("mentoring", "შესყიდვების წესის მიღება ხელმისაწვდომობის მოთხოვნების გათვალისწინებით"),  # procurement procedure
    "SRV.01": ("mentoring", "საჭიროებების კვლევა ოჯახებთან და შშმ პირებთან, სქესისა და ასაკის მიხედვით დაყოფილი მონაცემებით"),  # needs study
    "SRV.02": ("training", "მომსახურების სახელმწიფო სტანდარტებთან შესაბამისობის თვითშემოწმება და ხარვეზების გამოსწორება"),  # standards self-check
    "SRV.03": ("training", "ინდივიდუალური მომსახურების გეგმის ფორმის განახლება ბენეფიციარისა და ოჯახის მონაწილეობით"),  # individual plan form
    "SRV.04": ("small_grant", "საჩივრების ყუთი, ცხელი ხაზი და ადვილად წასაკითხი ფორმა ბავშვებისა და შშმ პირებისთვის"),  # complaints mechanism
    "SRV.05": ("peer_exchange", "გადამისამართების შეთანხმება სოციალური მომსახურების სააგენტოსთან და ადგილობრივ სკოლებთან"),  # referral agreements
    "SRV.06": ("mentoring", "მომსახურების ხარისხის ინდიკატორების შერჩევა და ნახევარწლიური მიმოხილვა"),  # quality indicators
    "SRV.07": ("mentoring", "შორეულ სოფლებში მცხოვრები ოჯახების მოსაცავად მობილური ვიზიტების განრიგი"),  # mobile visits to remote villages
    "MEL.01": ("training", "მონიტორინგისა და შეფასების ჩარჩოს შედგენა: ინდიკატორები, წყაროები, პასუხისმგებლები"),  # M&E framework
    "MEL.02": ("training", "მონაცემთა შეგროვების ფორმების გაერთიანება ერთ ელექტრონულ ცხრილში და ყოველთვიური შემოწმება"),  # one data sheet
    "MEL.03": ("training", "ბენეფიციართა აღრიცხვაში სქესის, ასაკისა და შეზღუდული შესაძლებლობის ველების დამატება"),  # disaggregated records
    "MEL.04": ("coaching", "ბავშვთა დღის ცენტრის პროგრამის შედეგების გაზომვა წლის დასაწყისსა და ბოლოს"),  # measure a programme's outcomes
    "MEL.05": ("mentoring", "მონიტორინგის შედეგების განხილვა გუნდთან კვარტალში ერთხელ და გადაწყვეტილებების ჩაწერა"),  # use of findings
    "MEL.06": ("mentoring", "მომსახურების მიმღებებისა და მათი ოჯახების ჩართვა წლიურ შეფასებაში ფოკუს-ჯგუფებით"),  # participatory M&E
    "ADV.01": ("peer_exchange", "მუნიციპალიტეტთან თანამშრომლობის მემორანდუმი და მონაწილეობა სოციალური პროგრამების დაგეგმვაში"),  # municipality
    "ADV.02": ("training", "ადვოკატირების მოკლე დოკუმენტი შშმ ბავშვებისთვის სკოლამდელი განათლების ხელმისაწვდომობაზე"),  # policy brief
    "ADV.03": ("peer_exchange", "რეგიონულ ქსელში გაწევრიანება და ერთობლივ შეხვედრებში მონაწილეობა"),  # join a regional network
    "ADV.04": ("coaching", "მომსახურების მიმღებების თვითადვოკატირების ჯგუფის შექმნა და მხარდაჭერა"),  # self-advocacy group
    "ADV.05": ("training", "კომუნიკაციის გეგმა; ხელმისაწვდომი მასალები ვებგვერდისთვის (ჟესტური ენა, ადვილად წასაკითხი ტექსტი)"),  # communication
    "ADV.06": ("mentoring", "წლიური ანგარიშისა და ფინანსური ინფორმაციის გამოქვეყნება ვებგვერდზე"),  # publish annual report
    "GESI.01": ("mentoring", "GESI-ის პოლიტიკისა და სამოქმედო გეგმის შემუშავება და გამგეობის მიერ დამტკიცება"),  # GESI policy
    "GESI.02": ("coaching", "შშმ პირების დასაქმების ხელშეწყობა: ორი სამუშაო ადგილის მისადაგება და სტაჟირების პროგრამა"),  # employment
    "GESI.03": ("equipment", "ოფისის ხელმისაწვდომობის აუდიტი; პანდუსისა და ადაპტირებული სანიტარიული კვანძის მოწყობა"),  # ramp, toilet
    "GESI.04": ("training", "დაცვის პოლიტიკისა (safeguarding) და PSEA-ის კოდექსის მიღება; ყველა თანამშრომლის ტრენინგი"),  # safeguarding
    "GESI.05": ("training", "ძალადობის შესახებ კონფიდენციალური შეტყობინების წესისა და რეაგირების ალგორითმის დანერგვა"),  # safe reporting
    "GESI.06": ("coaching", "GESI-ის ხარჯების ცალკე კოდით აღრიცხვა ბიუჯეტში"),  # GESI budget code
    "GESI.07": ("training", "ახალი პროექტების დაგეგმვისას GESI-ის ანალიზის შაბლონის გამოყენება"),  # GESI analysis template
    "GESI.08": ("training", "შევიწროების პრევენციის პოლიტიკა და ინკლუზიური კულტურის სემინარი გუნდისთვის"),  # harassment prevention
    "GESI.09": ("peer_exchange", "შშმ პირთა ორგანიზაციასთან თანამშრომლობის შეთანხმება და მისი ჩართვა მომსახურების დაგეგმვაში"),  # OPD
    "GESI.C1": ("coaching", "ხელმძღვანელ გუნდში გენდერული ბალანსის მიზნის დასახვა და შერჩევის წესის გადახედვა"),  # leadership balance
    "GESI.C2": ("coaching", "შშმ პირის დასაქმება ერთ-ერთ ვაკანსიაზე, სამუშაო ადგილის მისადაგებით"),  # hire a person with disability
    "GESI.C3": ("coaching", "წლიურ ბიუჯეტში GESI-ის ღონისძიებებისთვის თანხის გამოყოფა (არანაკლებ 3%)"),  # GESI budget share
    "GESI.C4": ("small_grant", "ხელმისაწვდომობისა და გონივრული მისადაგების ხარჯების დაგეგმვა ბიუჯეტში"),  # accessibility spending
}

# Who is responsible, by domain: (role; None: the organisation's contact person, its director).
RESPONSIBLE_ROLES = {
    "GOV": None, "STR": None, "HR": "ადმინისტრაციული მენეჯერი", "FIN": "ბუღალტერი",
    "SRV": "მომსახურების კოორდინატორი", "MEL": "მონიტორინგის სპეციალისტი", "ADV": "კომუნიკაციის მენეჯერი",
    "GESI": "GESI-ის კონტაქტპირი",
}
STAFF_FIRST_NAMES = ["ნინო", "თამარ", "ანა", "მარიამ", "ეკატერინე", "ნატო", "სალომე", "ლიკა", "ქეთევან", "გიორგი", "ლევან", "დავით"]
STAFF_SURNAMES = ["ჩიქოვანი", "ხარაიშვილი", "სურმანიძე", "ნოზაძე", "ტყეშელაშვილი", "კვარაცხელია", "გოგოლაძე", "ჯავახიშვილი"]

PROGRESS_NOTES = [
    "სამუშაო დავიწყეთ: შევქმენით სამუშაო ჯგუფი და შევადგინეთ განრიგი.",  # started: working group, schedule
    "პირველი ვერსია მზადაა, მენტორთან ერთად განვიხილეთ.",  # first draft reviewed with the mentor
    "შენიშვნები გავითვალისწინეთ; რჩება ხელმძღვანელობის დამტკიცება.",  # comments addressed; approval pending
    "თანამშრომლებთან შეხვედრაზე განვიხილეთ, შენიშვნები ჩავწერეთ.",  # discussed with staff
]
DONE_NOTE = "დასრულდა; შედეგი ყველა თანამშრომელს გავუზიარეთ."  # done, shared with all staff
STALLED_NOTES = [
    "შეფერხება: პასუხისმგებელი თანამშრომელი დიდხანს იყო შვებულებაში.",  # delay: responsible person on long leave
    "დაფინანსება ჯერ არ დაგვიმტკიცდა, ვადის გადატანა გვჭირდება.",  # funding not approved yet, need a new date
]
DROPPED_REASONS = [
    "დონორმა ამ მიმართულების დაფინანსება შეწყვიტა; ქმედებას მომდევნო გეგმაში დავუბრუნდებით.",  # donor stopped funding
    "მუნიციპალიტეტმა ანალოგიური ტრენინგი ყველა ორგანიზაციისთვის ჩაატარა, ცალკე აღარ არის საჭირო.",  # done by the municipality
    "პასუხისმგებელი თანამშრომელი წავიდა ორგანიზაციიდან; ამოცანა სხვა ქმედებას შევუერთეთ.",  # merged into another action
]

# Session notes and follow-ups; {title} is an indicator's short title (quoted, so no case ending is needed).
SESSION_NOTES = [
    "განვიხილეთ ინდიკატორი „{title}“: რა არის უკვე გაკეთებული და რომელი დოკუმენტები გვაკლია.",  # what is done, what is missing
    "გეგმის ქმედებების მიმოხილვა; „{title}“ — მოვამზადეთ დოკუმენტის სამუშაო ვერსია.",  # reviewed actions, drafted a document
    "პროფესიული ზედამხედველობის შეხვედრა სოციალურ მუშაკებთან; რთული შემთხვევების განხილვა და „{title}“.",  # supervision
    "გუნდთან ერთად შევავსეთ შაბლონი, „{title}“ — შემდეგი ნაბიჯები და ვადები შევათანხმეთ.",  # filled a template, next steps
]
PHONE_NOTE = "სატელეფონო კონსულტაცია: „{title}“ — ვადები და პასუხისმგებლები დავაზუსტეთ."  # phone: dates and owners
FOLLOW_UPS = [
    "დოკუმენტის სამუშაო ვერსია მენტორს მომდევნო შეხვედრამდე გაეგზავნება.",  # draft to the mentor before the next session
    "დირექტორი შეხვდება შშმ პირთა ადგილობრივ ორგანიზაციას.",  # the director meets the local OPD
]
# A follow-up that became a plan action (the action keeps its text).
FOLLOW_UP_ACTION = ("training", "თანამშრომლებისთვის შიდა ტრენინგის ორგანიზება: „{title}“")  # in-house training on ...
