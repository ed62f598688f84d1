"""The demo's organisation as data: three counties, their service areas and units.

scenario/organisation.py builds the `Organisation` from these tables.
"""

from __future__ import annotations

# The demo's counties -> service areas -> units. County: (code, name fi, name sv, diary prefix of its
# decisions, relative feedback volume). Unit: (code, name fi, name sv, who writes feedback there:
# fi, sv, bilingual or sami, relative volume within its service area).
AREA_NAMES: dict[str, tuple[str, str]] = {
    "perusterveydenhuolto": ("Perusterveydenhuolto", "Primärvård"),
    "ikaantyneiden-palvelut": ("Ikääntyneiden palvelut", "Tjänster för äldre"),
    "sosiaalipalvelut": ("Sosiaalipalvelut", "Socialservice"),
    "mielenterveys-ja-paihde": ("Mielenterveys- ja päihdepalvelut", "Mentalvårds- och missbrukartjänster"),
    "lapsiperheiden-palvelut": ("Lapsiperheiden palvelut", "Tjänster för barnfamiljer"),
}
COUNTIES: dict[tuple[str, str, str, str, float], dict[str, tuple[tuple[str, str, str, str, float], ...]]] = {
    ("lappi", "Lapin hyvinvointialue", "Lapplands välfärdsområde", "LAPHA", 28): {
        "perusterveydenhuolto": (
            ("rovaniemen-terveysasema", "Rovaniemen terveysasema", "Rovaniemi hälsostation", "fi", 3),
            ("kemin-terveysasema", "Kemin terveysasema", "Kemi hälsostation", "fi", 2),
            ("inarin-terveysasema", "Inarin terveysasema", "Enare hälsostation", "sami", 1),
            ("utsjoen-terveysasema", "Utsjoen terveysasema", "Utsjoki hälsostation", "sami", 0.5)),
        "ikaantyneiden-palvelut": (
            ("rovaniemen-kotihoito", "Rovaniemen kotihoito", "Rovaniemi hemvård", "fi", 2),
            ("kemin-kotihoito", "Kemin kotihoito", "Kemi hemvård", "fi", 1.5),
            ("tornion-palvelutalo", "Tornion palvelutalo", "Torneå servicehus", "fi", 1)),
        "sosiaalipalvelut": (
            ("rovaniemen-aikuissosiaalityo", "Rovaniemen aikuissosiaalityö", "Vuxensocialarbetet i Rovaniemi",
             "fi", 2),
            ("lapin-vammaispalvelut", "Lapin vammaispalvelut", "Handikappservice i Lappland", "fi", 1)),
        "mielenterveys-ja-paihde": (
            ("rovaniemen-mielenterveyskeskus", "Rovaniemen mielenterveyskeskus",
             "Mentalvårdscentralen i Rovaniemi", "fi", 2),
            ("kemijarven-paihdepalvelut", "Kemijärven päihdepalvelut", "Missbrukarvården i Kemijärvi", "fi", 1)),
    },
    ("pirkanmaa", "Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde", "PIRHA", 45): {
        "perusterveydenhuolto": (
            ("hervannan-terveysasema", "Hervannan terveysasema", "Hervanta hälsostation", "fi", 3),
            ("tampereen-keskustan-terveysasema", "Tampereen keskustan terveysasema",
             "Tammerfors centrums hälsostation", "fi", 3),
            ("nokian-terveysasema", "Nokian terveysasema", "Nokia hälsostation", "fi", 2),
            ("valkeakosken-terveysasema", "Valkeakosken terveysasema", "Valkeakoski hälsostation", "fi", 2)),
        "ikaantyneiden-palvelut": (
            ("tampereen-kotihoito", "Tampereen kotihoito", "Tammerfors hemvård", "fi", 3),
            ("ylojarven-kotihoito", "Ylöjärven kotihoito", "Ylöjärvi hemvård", "fi", 1.5),
            ("kangasalan-palvelukeskus", "Kangasalan palvelukeskus", "Kangasala servicecenter", "fi", 1)),
        "sosiaalipalvelut": (
            ("tampereen-aikuissosiaalityo", "Tampereen aikuissosiaalityö", "Vuxensocialarbetet i Tammerfors",
             "fi", 2),
            ("pirkanmaan-vammaispalvelut", "Pirkanmaan vammaispalvelut", "Handikappservice i Birkaland", "fi", 1)),
        "mielenterveys-ja-paihde": (
            ("tampereen-mielenterveysasema", "Tampereen mielenterveysasema", "Mentalvårdsstationen i Tammerfors",
             "fi", 2),
            ("nokian-paihdeklinikka", "Nokian päihdeklinikka", "A-kliniken i Nokia", "fi", 1),
            ("tampereen-nuorisoasema", "Tampereen nuorisoasema", "Ungdomsstationen i Tammerfors", "fi", 1)),
        "lapsiperheiden-palvelut": (
            ("hervannan-neuvola", "Hervannan neuvola", "Rådgivningen i Hervanta", "fi", 1.5),
            ("tampereen-lastensuojelu", "Tampereen lastensuojelu", "Barnskyddet i Tammerfors", "fi", 1)),
    },
    ("pohjanmaa", "Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde", "POHJHVA", 27): {
        "perusterveydenhuolto": (
            ("vaasan-terveysasema", "Vaasan terveysasema", "Vasa hälsostation", "bilingual", 3),
            ("pietarsaaren-terveysasema", "Pietarsaaren terveysasema", "Jakobstads hälsostation", "sv", 2),
            ("mustasaaren-terveysasema", "Mustasaaren terveysasema", "Korsholms hälsostation", "sv", 1.5),
            ("laihian-terveysasema", "Laihian terveysasema", "Laihela hälsostation", "fi", 1)),
        "ikaantyneiden-palvelut": (
            ("vaasan-kotihoito", "Vaasan kotihoito", "Vasa hemvård", "bilingual", 2),
            ("narpion-palvelukeskus", "Närpiön palvelukeskus", "Närpes servicecenter", "sv", 1),
            ("kristiinankaupungin-kotihoito", "Kristiinankaupungin kotihoito", "Kristinestads hemvård",
             "bilingual", 1)),
        "sosiaalipalvelut": (
            ("vaasan-aikuissosiaalityo", "Vaasan aikuissosiaalityö", "Vuxensocialarbetet i Vasa", "bilingual", 1.5),
            ("pietarsaaren-perhetyo", "Pietarsaaren perhetyö", "Familjearbetet i Jakobstad", "sv", 1)),
        "mielenterveys-ja-paihde": (
            ("vaasan-mielenterveystoimisto", "Vaasan mielenterveystoimisto", "Mentalvårdsbyrån i Vasa",
             "bilingual", 1.5),
            ("pietarsaaren-paihdepalvelut", "Pietarsaaren päihdepalvelut", "Missbrukarvården i Jakobstad", "sv", 1)),
        "lapsiperheiden-palvelut": (
            ("vaasan-neuvola", "Vaasan neuvola", "Rådgivningen i Vasa", "bilingual", 1),
            ("mustasaaren-neuvola", "Mustasaaren neuvola", "Korsholms rådgivning", "sv", 1)),
    },
}
