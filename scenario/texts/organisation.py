"""The demo scenario's side of the organisation: how much feedback each county and unit gets
and in what language, and the diary prefix of a county's decisions. The names of counties,
service areas and units are the demo organisation registry's (kokemusvirta/organisations.yaml).

scenario/organisation.py builds the `Organisation` from the registry and these tables.
"""

from __future__ import annotations

# County: (diary prefix of its decisions, relative feedback volume).
COUNTY_MIX: dict[str, tuple[str, float]] = {
    "lappi": ("LAPHA", 28),
    "pirkanmaa": ("PIRHA", 45),
    "pohjanmaa": ("POHJHVA", 27),
}
# Unit: (who writes feedback there: fi, sv, bilingual or sami; relative volume within its service
# area).
UNIT_MIX: dict[str, tuple[str, float]] = {
    "rovaniemen-terveysasema": ("fi", 3),
    "kemin-terveysasema": ("fi", 2),
    "inarin-terveysasema": ("sami", 1),
    "utsjoen-terveysasema": ("sami", 0.5),
    "rovaniemen-kotihoito": ("fi", 2),
    "kemin-kotihoito": ("fi", 1.5),
    "tornion-palvelutalo": ("fi", 1),
    "rovaniemen-aikuissosiaalityo": ("fi", 2),
    "lapin-vammaispalvelut": ("fi", 1),
    "rovaniemen-mielenterveyskeskus": ("fi", 2),
    "kemijarven-paihdepalvelut": ("fi", 1),
    "hervannan-terveysasema": ("fi", 3),
    "tampereen-keskustan-terveysasema": ("fi", 3),
    "nokian-terveysasema": ("fi", 2),
    "valkeakosken-terveysasema": ("fi", 2),
    "tampereen-kotihoito": ("fi", 3),
    "ylojarven-kotihoito": ("fi", 1.5),
    "kangasalan-palvelukeskus": ("fi", 1),
    "tampereen-aikuissosiaalityo": ("fi", 2),
    "pirkanmaan-vammaispalvelut": ("fi", 1),
    "tampereen-mielenterveysasema": ("fi", 2),
    "nokian-paihdeklinikka": ("fi", 1),
    "tampereen-nuorisoasema": ("fi", 1),
    "hervannan-neuvola": ("fi", 1.5),
    "tampereen-lastensuojelu": ("fi", 1),
    "vaasan-terveysasema": ("bilingual", 3),
    "pietarsaaren-terveysasema": ("sv", 2),
    "mustasaaren-terveysasema": ("sv", 1.5),
    "laihian-terveysasema": ("fi", 1),
    "vaasan-kotihoito": ("bilingual", 2),
    "narpion-palvelukeskus": ("sv", 1),
    "kristiinankaupungin-kotihoito": ("bilingual", 1),
    "vaasan-aikuissosiaalityo": ("bilingual", 1.5),
    "pietarsaaren-perhetyo": ("sv", 1),
    "vaasan-mielenterveystoimisto": ("bilingual", 1.5),
    "pietarsaaren-paihdepalvelut": ("sv", 1),
    "vaasan-neuvola": ("bilingual", 1),
    "mustasaaren-neuvola": ("sv", 1),
}
