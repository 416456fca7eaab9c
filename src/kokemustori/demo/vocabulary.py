"""Vocabulary for a new installation and the demo: (slug, fi, sv, en)."""

AREAS = [
    ("mental-health", "Mielenterveys", "Psykisk hälsa", "Mental health"),
    ("substance-use", "Päihteet", "Missbruk", "Substance use"),
    ("long-term-illness", "Pitkäaikaissairaus", "Långvarig sjukdom", "Long-term illness"),
    ("cancer", "Syöpä", "Cancer", "Cancer"),
    ("brain-injury", "Aivovamma", "Hjärnskada", "Brain injury"),
    ("disability", "Vammaisuus", "Funktionsnedsättning", "Disability"),
    ("child-welfare", "Lastensuojelu", "Barnskydd", "Child welfare"),
    ("poverty", "Köyhyys", "Fattigdom", "Poverty"),
    ("homelessness", "Asunnottomuus", "Hemlöshet", "Homelessness"),
    ("refugee", "Pakolaisuus", "Flyktingskap", "Refugee background"),
    ("discrimination", "Syrjintä", "Diskriminering", "Discrimination"),
    (
        "services",
        "Sosiaali- ja terveyspalvelujen käyttö",
        "Att använda social- och hälsovårdstjänster",
        "Using social and health services",
    ),
]

TOPICS = [
    ("recovery", "Toipuminen", "Återhämtning", "Recovery"),
    ("stigma", "Stigma ja häpeä", "Stigma och skam", "Stigma and shame"),
    ("peer-support", "Vertaistuki", "Kamratstöd", "Peer support"),
    ("everyday-life", "Arjen sujuminen", "Vardagen", "Coping with everyday life"),
    ("work-and-study", "Työ ja opiskelu", "Arbete och studier", "Work and study"),
    ("parenthood", "Vanhemmuus", "Föräldraskap", "Parenthood"),
    ("being-met", "Kohtaaminen palveluissa", "Bemötande i tjänsterna", "How services meet people"),
    ("relatives", "Läheisten jaksaminen", "Anhörigas ork", "Relatives' coping"),
    ("crises", "Kriisit", "Kriser", "Crises"),
    ("housing", "Asuminen", "Boende", "Housing"),
    ("debt", "Velat ja toimeentulo", "Skulder och försörjning", "Debt and income"),
    ("youth", "Nuoruus", "Ungdom", "Youth"),
    ("digital-services", "Digitaaliset palvelut", "Digitala tjänster", "Digital services"),
    (
        "service-development",
        "Palvelujen kehittäminen",
        "Utveckling av tjänster",
        "Developing services",
    ),
    ("rehabilitation", "Kuntoutus", "Rehabilitering", "Rehabilitation"),
]

LANGUAGES = [
    ("fi", "suomi", "finska", "Finnish"),
    ("sv", "ruotsi", "svenska", "Swedish"),
    ("en", "englanti", "engelska", "English"),
    ("se", "pohjoissaame", "nordsamiska", "Northern Sámi"),
    ("fse", "suomalainen viittomakieli", "finskt teckenspråk", "Finnish Sign Language"),
    ("ru", "venäjä", "ryska", "Russian"),
    ("ar", "arabia", "arabiska", "Arabic"),
    ("so", "somali", "somaliska", "Somali"),
]

REGIONS = [
    ("helsinki", "Helsinki", "Helsingfors", "Helsinki"),
    ("vantaa-kerava", "Vantaa ja Kerava", "Vanda och Kervo", "Vantaa and Kerava"),
    ("lansi-uusimaa", "Länsi-Uusimaa", "Västra Nyland", "Western Uusimaa"),
    ("ita-uusimaa", "Itä-Uusimaa", "Östra Nyland", "Eastern Uusimaa"),
    ("varsinais-suomi", "Varsinais-Suomi", "Egentliga Finland", "Southwest Finland"),
    ("pirkanmaa", "Pirkanmaa", "Birkaland", "Pirkanmaa"),
    ("keski-suomi", "Keski-Suomi", "Mellersta Finland", "Central Finland"),
    ("pohjanmaa", "Pohjanmaa", "Österbotten", "Ostrobothnia"),
    ("pohjois-savo", "Pohjois-Savo", "Norra Savolax", "North Savo"),
    ("pohjois-pohjanmaa", "Pohjois-Pohjanmaa", "Norra Österbotten", "North Ostrobothnia"),
    ("lappi", "Lappi", "Lappland", "Lapland"),
]
