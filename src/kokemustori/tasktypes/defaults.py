"""The task types every installation starts with (administrators may add more).

Each row: slug, nature, allowed kinds, usual minutes, fee basis, names (fi, sv, en).
The allowed kinds equal what the eligibility rule permits for the nature; a test checks that.
"""

T, A, D, P = "trained_expert", "experience_actor", "developer_client", "experience_partner"

DEFAULT_TASK_TYPES = [
    (
        "lecture",
        "talk",
        [T, A, P],
        90,
        "per_event",
        ("Luento tai puheenvuoro", "Föreläsning eller anförande", "Lecture or talk"),
    ),
    (
        "first-info-lecture",
        "talk",
        [T, A, P],
        90,
        "per_event",
        (
            "Ensitietoluento potilaille tai läheisille",
            "Första informationen för patienter eller anhöriga",
            "First-information lecture for patients or relatives",
        ),
    ),
    (
        "training",
        "talk",
        [T, A, P],
        180,
        "per_event",
        (
            "Ammattilaisten tai opiskelijoiden koulutus",
            "Utbildning av yrkesfolk eller studerande",
            "Training of professionals or students",
        ),
    ),
    (
        "working-group",
        "development",
        [T, A, D, P],
        120,
        "per_meeting",
        (
            "Kehittämistyö työryhmässä",
            "Utvecklingsarbete i en arbetsgrupp",
            "Development work in a working group",
        ),
    ),
    (
        "workshop",
        "development",
        [T, A, D, P],
        180,
        "per_event",
        ("Työpaja", "Workshop", "Workshop"),
    ),
    (
        "client-panel",
        "development",
        [T, A, D, P],
        120,
        "per_meeting",
        ("Asiakasraati", "Klientråd", "Client panel"),
    ),
    (
        "resident-panel",
        "development",
        [T, A, D, P],
        120,
        "per_meeting",
        ("Asukas- tai asiakaspaneeli", "Invånar- eller klientpanel", "Resident or client panel"),
    ),
    (
        "interview",
        "development",
        [T, A, D, P],
        60,
        "per_event",
        ("Haastattelu", "Intervju", "Interview"),
    ),
    (
        "advocacy",
        "advocacy",
        [T, A],
        120,
        "per_hour",
        ("Vaikuttamistyö", "Påverkansarbete", "Advocacy work"),
    ),
    (
        "peer-group",
        "peer_group",
        [T],
        90,
        "per_hour",
        (
            "Vertaistukiryhmän ohjaaminen",
            "Att leda en kamratstödsgrupp",
            "Leading a peer-support group",
        ),
    ),
    (
        "client-work",
        "client_work",
        [T],
        60,
        "per_hour",
        (
            "Asiakas- tai tukihenkilötyö",
            "Klient- eller stödpersonsarbete",
            "Client or support-person work",
        ),
    ),
    (
        "peer-partnership",
        "peer_partnership",
        [P],
        60,
        "per_meeting",
        (
            "Kokemuskumppanuus (vertaissuhde asiakkaan kanssa)",
            "Erfarenhetspartnerskap (kamratrelation med en klient)",
            "Peer partnership with a client",
        ),
    ),
]
