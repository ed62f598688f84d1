"""The organisation registry a deployment provides, read from YAML or CSV
(schemas/organisations.py): the same registry from either format, and a file that is not a
registry named by its line or key."""

from __future__ import annotations

import pytest

from schemas.organisations import (
    Names,
    OrganisationRegistry,
    RegistryProblem,
    parse_csv,
    parse_yaml,
)

YAML = """\
# Lapin hyvinvointialueen rekisteri
counties:
  - code: lappi
    oid: 1.2.246.10.3292779.10.0
    fi: Lapin hyvinvointialue
    sv: Lapplands välfärdsområde
    en: Wellbeing services county of Lapland
service_areas:
  - {code: perusterveydenhuolto, county: lappi, fi: Perusterveydenhuolto, sv: Primärvård}
  - {code: sosiaalipalvelut, county: lappi, fi: Sosiaalipalvelut, sv: Socialservice}
units:
  - code: inarin-terveysasema
    county: lappi
    service_area: perusterveydenhuolto
    oid: 1.2.246.10.3292779.10.17
    fi: Inarin terveysasema
    sv: Enare hälsostation
    languages: [fi, se]
  - code: lapin-vammaispalvelut
    county: lappi
    service_area: sosiaalipalvelut
    fi: Lapin vammaispalvelut
    sv: Handikappservice i Lappland
"""

CSV = """\
kind,code,county,service_area,fi,sv,en,oid,languages
county,lappi,,,Lapin hyvinvointialue,Lapplands välfärdsområde,Wellbeing services county of Lapland,1.2.246.10.3292779.10.0,
service_area,perusterveydenhuolto,lappi,,Perusterveydenhuolto,Primärvård,,,
service_area,sosiaalipalvelut,lappi,,Sosiaalipalvelut,Socialservice,,,
unit,inarin-terveysasema,lappi,perusterveydenhuolto,Inarin terveysasema,Enare hälsostation,,1.2.246.10.3292779.10.17,fi se
unit,lapin-vammaispalvelut,lappi,sosiaalipalvelut,Lapin vammaispalvelut,Handikappservice i Lappland,,,
"""  # noqa: E501


def _same(a: OrganisationRegistry, b: OrganisationRegistry) -> None:
    assert (a.counties, a.service_areas, a.units) == (b.counties, b.service_areas, b.units)


def test_yaml_and_csv_give_the_same_registry() -> None:
    registry = parse_yaml(YAML)
    _same(registry, parse_csv(CSV))
    _same(registry, parse_csv(CSV.replace(",", ";")))  # a spreadsheet's semicolons
    _same(registry, parse_csv("\ufeff" + CSV))  # a spreadsheet's byte order mark
    county = registry.county("lappi")
    assert county is not None and county.oid == "1.2.246.10.3292779.10.0"
    unit = registry.unit("lappi", "inarin-terveysasema")
    assert unit is not None and unit.service_area == "perusterveydenhuolto"
    assert unit.languages == ("fi", "se") and unit.oid == "1.2.246.10.3292779.10.17"
    assert registry.unit("lappi", "lapin-vammaispalvelut").languages == ()  # type: ignore[union-attr]
    assert registry.service_area("lappi", "sosiaalipalvelut") is not None
    assert registry.service_area("lappi", "lapsiperheiden-palvelut") is None
    assert [u.code for u in registry.units_of("lappi", "perusterveydenhuolto")] == [
        "inarin-terveysasema"]


def test_names_in_finnish_swedish_and_english_when_given() -> None:
    registry = parse_yaml(YAML)
    lappi = registry.names("lappi")
    assert lappi is not None
    assert [lappi.in_language(lang) for lang in ("fi", "sv", "en")] == [
        "Lapin hyvinvointialue", "Lapplands välfärdsområde",
        "Wellbeing services county of Lapland"]
    inari = registry.names("inarin-terveysasema")
    assert inari == Names("Inarin terveysasema", "Enare hälsostation")
    assert inari.in_language("en") == "Inarin terveysasema"  # the Finnish name, as they do
    assert registry.names("atlantis") is None


def test_only_the_fields_columns_are_optional() -> None:
    minimal = parse_csv("kind,code,county,service_area,fi,sv\n"
                        "county,lappi,,,Lappi,Lappland\n"
                        "service_area,perusterveydenhuolto,lappi,,P,P\n"
                        "unit,kemin-terveysasema,lappi,perusterveydenhuolto,K,K\n")
    assert minimal.unit("lappi", "kemin-terveysasema") is not None


def test_staff_addresses_of_units_areas_and_counties_from_yaml_and_csv() -> None:
    """The notifier's addresses (kokemusvirta/notify/staff.py): a unit's managers', a service
    area's leadership's (per county: one area code may serve several counties) and a county's
    decision-makers' secretary's; optional, and the same from either format."""
    yaml_text = (YAML.replace("    en: Wellbeing services county of Lapland\n",
                              "    en: Wellbeing services county of Lapland\n"
                              "    email: kirjaamo@lappi.example.fi\n")
                 .replace("sv: Primärvård}", "sv: Primärvård, "
                          "email: johto.perusterveydenhuolto@lappi.example.fi}")
                 .replace("    languages: [fi, se]\n", "    languages: [fi, se]\n"
                          "    email: esihenkilot.inarin-terveysasema@lappi.example.fi\n"))
    csv_text = ("kind,code,county,service_area,fi,sv,email\n"
                "county,lappi,,,Lapin hyvinvointialue,Lapplands välfärdsområde,"
                "kirjaamo@lappi.example.fi\n"
                "service_area,perusterveydenhuolto,lappi,,Perusterveydenhuolto,Primärvård,"
                "johto.perusterveydenhuolto@lappi.example.fi\n"
                "unit,inarin-terveysasema,lappi,perusterveydenhuolto,Inarin terveysasema,"
                "Enare hälsostation,esihenkilot.inarin-terveysasema@lappi.example.fi\n"
                "unit,kemin-terveysasema,lappi,perusterveydenhuolto,K,K,\n")
    from_yaml, from_csv = parse_yaml(yaml_text), parse_csv(csv_text)
    for registry in (from_yaml, from_csv):
        assert registry.county("lappi").email == "kirjaamo@lappi.example.fi"  # type: ignore[union-attr]
        area = registry.service_area("lappi", "perusterveydenhuolto")
        assert area is not None and area.email == "johto.perusterveydenhuolto@lappi.example.fi"
        unit = registry.unit("lappi", "inarin-terveysasema")
        assert unit is not None
        assert unit.email == "esihenkilot.inarin-terveysasema@lappi.example.fi"
    assert from_csv.unit("lappi", "kemin-terveysasema").email is None  # type: ignore[union-attr]
    assert from_yaml.unit("lappi", "lapin-vammaispalvelut").email is None  # type: ignore[union-attr]


def test_a_unit_code_in_another_county_is_not_that_countys() -> None:
    two = parse_yaml(YAML.replace("counties:\n", "counties:\n"
                                  "  - {code: pirkanmaa, fi: Pirkanmaa, sv: Birkaland}\n"))
    assert two.unit("pirkanmaa", "inarin-terveysasema") is None
    assert two.service_area("pirkanmaa", "perusterveydenhuolto") is None


BAD_YAML = [
    ("counties: [\n", "line 2", "not valid YAML"),
    ("- just a list\n", "line 1", "expected a mapping"),
    ("counties: []\n", "", "no counties"),
    ("countys:\n  - {code: lappi, fi: L, sv: L}\n", "", "unknown key 'countys'"),
    ("counties:\n  - {code: lappi, fi: L}\n", "line 2", "missing sv"),
    ("counties:\n  - {code: lappi, fi: L, sv: L, colour: red}\n", "line 2", "unknown key 'colour'"),
    ("counties:\n  - {code: Lappi, fi: L, sv: L}\n", "line 2", "code 'Lappi' is not a code"),
    ("counties:\n  - {code: lappi, fi: L, sv: ''}\n", "line 2", "has no sv name"),
    ("counties:\n  - {code: lappi, fi: L, sv: L, oid: 'x.1'}\n", "line 2", "is not an OID"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\n  - {code: lappi, fi: L, sv: L}\n",
     "line 3", "county 'lappi' is given twice"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: perus, county: pirkanmaa, fi: P, sv: P}\n",
     "line 4", "county 'pirkanmaa' is not one of the registry's counties"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: lappi, county: lappi, fi: P, sv: P}\n",
     "line 4", "has the code of a county"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\n  - {code: kainuu, fi: K, sv: K}\n"
     "service_areas:\n  - {code: perus, county: lappi, fi: P, sv: P}\n"
     "  - {code: perus, county: kainuu, fi: Q, sv: P}\n",
     "line 6", "other names than in another county"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: perus, county: lappi, fi: P, sv: P}\nunits:\n"
     "  - {code: u, county: lappi, service_area: sosiaali, fi: U, sv: U}\n",
     "line 6", "service_area 'sosiaali' is not one of the service areas of county 'lappi'"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: perus, county: lappi, fi: P, sv: P}\nunits:\n"
     "  - {code: u, county: lappi, fi: U, sv: U}\n",
     "line 6", "unit: missing service_area"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: perus, county: lappi, fi: P, sv: P}\nunits:\n"
     "  - {code: u, county: lappi, service_area: perus, fi: U, sv: U}\n"
     "  - {code: u, county: lappi, service_area: perus, fi: U, sv: U}\n",
     "line 7", "unit 'u' is given twice"),
    ("counties:\n  - {code: lappi, fi: L, sv: L}\nservice_areas:\n"
     "  - {code: perus, county: lappi, fi: P, sv: P}\nunits:\n"
     "  - {code: u, county: lappi, service_area: perus, fi: U, sv: U, languages: [suomi]}\n",
     "line 6", "'suomi' is not a language code"),
    ("counties:\n  - {code: lappi, fi: L, sv: L, email: 'a@b.fi, c@d.fi'}\n", "line 2",
     "is not one e-mail address"),
    ("counties:\n  - {code: lappi, fi: L, sv: L, email: esihenkilot}\n", "line 2",
     "is not one e-mail address"),
    ("counties:\n  - {code: lappi, fi: [L], sv: L}\n", "line 2: fi", "expected a text"),
]


@pytest.mark.parametrize(("text", "where", "problem"), BAD_YAML,
                         ids=[f"yaml-{i}" for i in range(len(BAD_YAML))])
def test_a_bad_yaml_file_names_its_line_or_key(text: str, where: str, problem: str) -> None:
    with pytest.raises(RegistryProblem) as caught:
        parse_yaml(text)
    assert caught.value.where == where, str(caught.value)
    assert problem in caught.value.problem, str(caught.value)
    assert "\n" not in str(caught.value)


HEAD = "kind,code,county,service_area,fi,sv\n"
BAD_CSV = [
    ("kind,code,fi,sv,colour\n", "line 1", "unknown column 'colour'"),
    ("kind,code,fi\n", "line 1", "no column 'sv'"),
    (HEAD + "county,lappi,,,L,L\nyksikkö,u,lappi,p,U,U\n", "line 3",
     "kind 'yksikkö' is not one of"),
    (HEAD + "county,lappi,,,L,L\nservice_area,p,,,P,P\n", "line 3", "service_area 'p': no county"),
    (HEAD + "county,lappi,,,L,L\nservice_area,p,lappi,,P,P\nunit,u,lappi,,U,U\n", "line 4",
     "unit 'u': no service_area"),
    (HEAD + "county,lappi,,,L,L,extra\n", "line 2", "more values than columns"),
    ("kind,code,fi,sv,email\ncounty,lappi,L,L,lappi@\n", "line 2", "not one e-mail address"),
    (HEAD + "county,lappi,,,L,\n", "line 2", "has no sv name"),
    (HEAD + 'county,lappi,,,"L,L\n', "line 2", "not valid CSV"),
    (HEAD, "", "no counties"),
]


@pytest.mark.parametrize(("text", "where", "problem"), BAD_CSV,
                         ids=[f"csv-{i}" for i in range(len(BAD_CSV))])
def test_a_bad_csv_file_names_its_line_or_column(text: str, where: str, problem: str) -> None:
    with pytest.raises(RegistryProblem) as caught:
        parse_csv(text)
    assert caught.value.where == where, str(caught.value)
    assert problem in caught.value.problem, str(caught.value)
