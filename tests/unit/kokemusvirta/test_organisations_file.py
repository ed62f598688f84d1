"""The deployment's organisation registry file (KOKEMUSVIRTA_ORGANISATIONS): the demo's by default,
YAML or CSV by its suffix, and a file that cannot be used one line naming it and its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from kokemusvirta.organisations import (
    DEMO_ORGANISATIONS,
    RegistryFileError,
    demo_organisations,
    load,
    organisations,
)
from kokemusvirta.settings import Settings


def settings(tmp_path: Path, **values: object) -> Settings:
    return Settings(KOKEMUSVIRTA_HOME=tmp_path / "home", **values)  # type: ignore[arg-type,call-arg]


def test_unset_the_demos_registry_is_used_and_it_is_the_scenarios_organisation() -> None:
    from scenario.organisation import ORGANISATION

    registry = demo_organisations()
    assert DEMO_ORGANISATIONS.name == "organisations.yaml" and DEMO_ORGANISATIONS.is_file()
    assert [c.code for c in registry.counties] == ["lappi", "pirkanmaa", "pohjanmaa"]
    assert len(registry.units) == 38
    assert {(c.code, a.code, u.code) for c, a, u in ORGANISATION.units()} == {
        (u.county, u.service_area, u.code) for u in registry.units}
    assert registry.unit("lappi", "inarin-terveysasema").languages == ("fi", "se")  # type: ignore[union-attr]


def test_the_setting_names_the_file_yaml_or_csv(tmp_path: Path) -> None:
    assert organisations(settings(tmp_path)) is demo_organisations()
    csv = tmp_path / "rekisteri.csv"
    csv.write_text("kind,code,county,service_area,fi,sv\n"
                   "county,kainuu,,,Kainuun hyvinvointialue,Kajanalands välfärdsområde\n"
                   "service_area,perusterveydenhuolto,kainuu,,Perusterveydenhuolto,Primärvård\n"
                   "unit,kajaanin-terveysasema,kainuu,perusterveydenhuolto,Kajaanin terveysasema,"
                   "Kajana hälsostation\n", encoding="utf-8")
    registry = organisations(settings(tmp_path, KOKEMUSVIRTA_ORGANISATIONS=csv))
    assert [c.code for c in registry.counties] == ["kainuu"]
    assert registry.county("lappi") is None
    yml = tmp_path / "rekisteri.yml"
    yml.write_text("counties:\n  - {code: kainuu, fi: Kainuu, sv: Kajanaland}\n",
                   encoding="utf-8")
    assert organisations(settings(tmp_path, KOKEMUSVIRTA_ORGANISATIONS=yml)).county("kainuu")


@pytest.mark.parametrize(("name", "content", "said"), [
    ("missing.yaml", None, "no such file"),
    ("rekisteri.json", "{}", "expected a .yaml, .yml or .csv file"),
    ("rekisteri.yaml", b"\xff\xfe", "not UTF-8"),
    ("rekisteri.yaml", "counties:\n  - {code: lappi, fi: L}\n", "line 2: county: missing sv"),
    ("rekisteri.csv", "kind,code,county,service_area,fi,sv\ncounty,lappi,,,L,L\n"
                      "unit,u,lappi,perus,U,U\n", "line 3: unit 'u': service_area 'perus'"),
])
def test_a_file_that_cannot_be_used_is_one_line_naming_it(
        tmp_path: Path, name: str, content: str | bytes | None, said: str) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(RegistryFileError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith("organisaatiorekisteri ei kelpaa (bad organisation registry) "
                              f"{path.resolve()}: "), message
    assert said in message and "\n" not in message


def test_the_worker_is_handed_the_deployments_registry(tmp_path: Path) -> None:
    from kokemusvirta.bootstrap import worker_config

    yml = tmp_path / "rekisteri.yaml"
    yml.write_text("counties:\n  - {code: kainuu, fi: Kainuu, sv: Kajanaland}\n",
                   encoding="utf-8")
    # A cluster of the deployment's own (the local broker's principals need its admin file).
    cluster = {"KAFKA_BOOTSTRAP_SERVERS": "a:9092"}
    config = worker_config(settings(tmp_path, KOKEMUSVIRTA_ORGANISATIONS=yml, **cluster),
                           "a:9092")
    assert config.organisations is load(yml)
    assert config.organisations.county("kainuu") is not None
    assert worker_config(settings(tmp_path, **cluster),
                         "a:9092").organisations is demo_organisations()
