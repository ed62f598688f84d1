"""The organisation registry's names: wellbeing services counties (hyvinvointialueet), their
service areas and units, by code, in Finnish and Swedish.

This is the demo deployment's registry; a deployment brings its own (the county's register of
its units) in place of these tables. The codes are the ones events carry (`county`, `unit`,
`service_area`); the names are what people read. English pages use the Finnish names, as the
organisations themselves do.
"""

from __future__ import annotations

Names = tuple[str, str]  # (Finnish, Swedish)

COUNTIES: dict[str, Names] = {
    "lappi": ("Lapin hyvinvointialue", "Lapplands välfärdsområde"),
    "pirkanmaa": ("Pirkanmaan hyvinvointialue", "Birkalands välfärdsområde"),
    "pohjanmaa": ("Pohjanmaan hyvinvointialue", "Österbottens välfärdsområde"),
}
SERVICE_AREAS: dict[str, Names] = {
    "perusterveydenhuolto": ("Perusterveydenhuolto", "Primärvård"),
    "ikaantyneiden-palvelut": ("Ikääntyneiden palvelut", "Tjänster för äldre"),
    "sosiaalipalvelut": ("Sosiaalipalvelut", "Socialservice"),
    "mielenterveys-ja-paihde": (
        "Mielenterveys- ja päihdepalvelut", "Mentalvårds- och missbrukartjänster"),
    "lapsiperheiden-palvelut": ("Lapsiperheiden palvelut", "Tjänster för barnfamiljer"),
}
# county -> service area -> unit -> names, in the registry's order
UNITS: dict[str, dict[str, dict[str, Names]]] = {
    "lappi": {
        "perusterveydenhuolto": {
            "rovaniemen-terveysasema": ("Rovaniemen terveysasema", "Rovaniemi hälsostation"),
            "kemin-terveysasema": ("Kemin terveysasema", "Kemi hälsostation"),
            "inarin-terveysasema": ("Inarin terveysasema", "Enare hälsostation"),
            "utsjoen-terveysasema": ("Utsjoen terveysasema", "Utsjoki hälsostation"),
        },
        "ikaantyneiden-palvelut": {
            "rovaniemen-kotihoito": ("Rovaniemen kotihoito", "Rovaniemi hemvård"),
            "kemin-kotihoito": ("Kemin kotihoito", "Kemi hemvård"),
            "tornion-palvelutalo": ("Tornion palvelutalo", "Torneå servicehus"),
        },
        "sosiaalipalvelut": {
            "rovaniemen-aikuissosiaalityo": (
                "Rovaniemen aikuissosiaalityö", "Vuxensocialarbetet i Rovaniemi"),
            "lapin-vammaispalvelut": ("Lapin vammaispalvelut", "Handikappservice i Lappland"),
        },
        "mielenterveys-ja-paihde": {
            "rovaniemen-mielenterveyskeskus": (
                "Rovaniemen mielenterveyskeskus", "Mentalvårdscentralen i Rovaniemi"),
            "kemijarven-paihdepalvelut": (
                "Kemijärven päihdepalvelut", "Missbrukarvården i Kemijärvi"),
        },
    },
    "pirkanmaa": {
        "perusterveydenhuolto": {
            "hervannan-terveysasema": ("Hervannan terveysasema", "Hervanta hälsostation"),
            "tampereen-keskustan-terveysasema": (
                "Tampereen keskustan terveysasema", "Tammerfors centrums hälsostation"),
            "nokian-terveysasema": ("Nokian terveysasema", "Nokia hälsostation"),
            "valkeakosken-terveysasema": ("Valkeakosken terveysasema", "Valkeakoski hälsostation"),
        },
        "ikaantyneiden-palvelut": {
            "tampereen-kotihoito": ("Tampereen kotihoito", "Tammerfors hemvård"),
            "ylojarven-kotihoito": ("Ylöjärven kotihoito", "Ylöjärvi hemvård"),
            "kangasalan-palvelukeskus": ("Kangasalan palvelukeskus", "Kangasala servicecenter"),
        },
        "sosiaalipalvelut": {
            "tampereen-aikuissosiaalityo": (
                "Tampereen aikuissosiaalityö", "Vuxensocialarbetet i Tammerfors"),
            "pirkanmaan-vammaispalvelut": (
                "Pirkanmaan vammaispalvelut", "Handikappservice i Birkaland"),
        },
        "mielenterveys-ja-paihde": {
            "tampereen-mielenterveysasema": (
                "Tampereen mielenterveysasema", "Mentalvårdsstationen i Tammerfors"),
            "nokian-paihdeklinikka": ("Nokian päihdeklinikka", "A-kliniken i Nokia"),
            "tampereen-nuorisoasema": ("Tampereen nuorisoasema", "Ungdomsstationen i Tammerfors"),
        },
        "lapsiperheiden-palvelut": {
            "hervannan-neuvola": ("Hervannan neuvola", "Rådgivningen i Hervanta"),
            "tampereen-lastensuojelu": ("Tampereen lastensuojelu", "Barnskyddet i Tammerfors"),
        },
    },
    "pohjanmaa": {
        "perusterveydenhuolto": {
            "vaasan-terveysasema": ("Vaasan terveysasema", "Vasa hälsostation"),
            "pietarsaaren-terveysasema": ("Pietarsaaren terveysasema", "Jakobstads hälsostation"),
            "mustasaaren-terveysasema": ("Mustasaaren terveysasema", "Korsholms hälsostation"),
            "laihian-terveysasema": ("Laihian terveysasema", "Laihela hälsostation"),
        },
        "ikaantyneiden-palvelut": {
            "vaasan-kotihoito": ("Vaasan kotihoito", "Vasa hemvård"),
            "narpion-palvelukeskus": ("Närpiön palvelukeskus", "Närpes servicecenter"),
            "kristiinankaupungin-kotihoito": (
                "Kristiinankaupungin kotihoito", "Kristinestads hemvård"),
        },
        "sosiaalipalvelut": {
            "vaasan-aikuissosiaalityo": ("Vaasan aikuissosiaalityö", "Vuxensocialarbetet i Vasa"),
            "pietarsaaren-perhetyo": ("Pietarsaaren perhetyö", "Familjearbetet i Jakobstad"),
        },
        "mielenterveys-ja-paihde": {
            "vaasan-mielenterveystoimisto": (
                "Vaasan mielenterveystoimisto", "Mentalvårdsbyrån i Vasa"),
            "pietarsaaren-paihdepalvelut": (
                "Pietarsaaren päihdepalvelut", "Missbrukarvården i Jakobstad"),
        },
        "lapsiperheiden-palvelut": {
            "vaasan-neuvola": ("Vaasan neuvola", "Rådgivningen i Vasa"),
            "mustasaaren-neuvola": ("Mustasaaren neuvola", "Korsholms rådgivning"),
        },
    },
}

# Every code the registry knows -> its names (county, service area and unit codes never clash).
NAMES: dict[str, Names] = {
    **COUNTIES,
    **SERVICE_AREAS,
    **{unit: names for areas in UNITS.values() for units in areas.values()
       for unit, names in units.items()},
}
