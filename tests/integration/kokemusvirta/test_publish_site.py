"""`kokemusvirta publish-site` and `digest` on a real store (tests/site_scenario.py: built
through the sink's own path, without a broker): the pairs, the Swedish page's names, the Atom
feeds, the open data's suppression, and nothing private in any file."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kokemusvirta.settings import PROJECT_ROOT
from managers.you_said import public_ref
from tests.site_scenario import (
    ITEM,
    KEMI,
    PSEUDONYM,
    RATIONALE_ROV,
    RATIONALE_VAASA,
    ROV,
    VAASA,
    WORDS_KEMI,
    WORDS_ROV,
    WORDS_VAASA,
    build_store,
)

ATOM = "{http://www.w3.org/2005/Atom}"


def kv(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KOKEMUSVIRTA_HOME": str(home), "PYTHONPATH": str(PROJECT_ROOT)}
    env.pop("KOKEMUSVIRTA_STORE", None)
    env.pop("KOKEMUSVIRTA_ORGANISATIONS", None)  # the demo registry: its names are checked
    return subprocess.run([sys.executable, "-m", "kokemusvirta", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    home = tmp_path_factory.mktemp("home")
    build_store(home / "store" / "kokemusvirta.duckdb")
    out = home / "site"
    for county in ("lappi", "pohjanmaa"):
        done = kv(home, "publish-site", str(out), "--county", county)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "julkaistu (published)" in done.stdout
    return home, out


def page(out: Path, county: str, lang: str, unit: str) -> str:
    return (out / county / lang / f"{unit}.html").read_text(encoding="utf-8")


def test_a_big_groups_decision_is_paired_with_the_redacted_words(site: tuple[Path, Path]) -> None:
    _, out = site
    fi = page(out, "lappi", "fi", ROV)
    assert WORDS_ROV in fi and RATIONALE_ROV in fi
    assert fi.index(WORDS_ROV) < fi.index(RATIONALE_ROV)  # you said, then we did
    assert "Toteutamme – 20.11.2026" in fi and "LAPHA/12/2026" in fi
    assert f'id="{public_ref(ITEM["R0"])}"' in fi
    assert '<html lang="fi">' in fi


def test_a_small_groups_words_are_replaced_by_the_theme_summary(site: tuple[Path, Path]) -> None:
    _, out = site
    fi = page(out, "lappi", "fi", KEMI)
    assert WORDS_KEMI not in fi
    assert "Palaute aiheesta Saatavuus ja odottaminen" in fi
    assert "Ajanvarausta lisätään." in fi


def test_the_swedish_page_uses_swedish_names_and_marks_a_finnish_rationale(
    site: tuple[Path, Path],
) -> None:
    _, out = site
    sv = page(out, "pohjanmaa", "sv", VAASA)
    assert '<html lang="sv">' in sv
    assert "Vasa hälsostation" in sv and "Österbottens välfärdsområde" in sv
    assert "Vaasan terveysasema" not in sv and "Pohjanmaan hyvinvointialue" not in sv
    assert WORDS_VAASA in sv  # five in the group: shown, in its own language
    assert f'<p lang="fi">{RATIONALE_VAASA}</p>' in sv and "(på finska)" in sv
    fi = page(out, "pohjanmaa", "fi", VAASA)
    assert "Vaasan terveysasema" in fi and "(ruotsiksi)" in fi
    rov_sv = page(out, "lappi", "sv", ROV)
    assert "Rovaniemi hälsostation" in rov_sv and "Rovaniemen terveysasema" not in rov_sv


def test_each_units_feed_is_atom_with_stable_ids(site: tuple[Path, Path]) -> None:
    home, out = site
    path = out / "lappi" / "fi" / f"{ROV}.atom"
    first = path.read_bytes()
    feed = ET.fromstring(first)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    for tag in ("id", "title", "updated", "content", "link"):
        assert entry.find(f"{ATOM}{tag}") is not None, tag
    assert entry.findtext(f"{ATOM}id", "").startswith("urn:uuid:")
    assert WORDS_ROV in entry.findtext(f"{ATOM}content", "")
    assert entry.findtext(f"{ATOM}updated") == "2026-11-25T10:00:00Z"  # its return
    again = kv(home, "publish-site", str(out), "--county", "lappi")
    assert again.returncode == 0, again.stderr
    assert path.read_bytes() == first  # the same store, the same feed: ids and times stable
    empty = ET.fromstring((out / "lappi" / "sv" / "tornion-palvelutalo.atom").read_bytes())
    assert empty.findall(f"{ATOM}entry") == [] and empty.findtext(f"{ATOM}updated")


def test_open_data_suppresses_the_small_group(site: tuple[Path, Path]) -> None:
    _, out = site
    with (out / "open-data" / "lappi.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    month = {(r["unit"], r["theme"]): r for r in rows
             if r["period_type"] == "month" and r["period"] == "2026-11"}
    rov, kemi = month[(ROV, "all")], month[(KEMI, "all")]
    assert (rov["items_received"], rov["acknowledged"], rov["decided"], rov["returned"],
            rov["suppressed"]) == ("6", "1", "1", "1", "false")
    assert (kemi["items_received"], kemi["decided"], kemi["suppressed"]) == ("", "", "true")
    quarter = [r for r in rows if r["period"] == "2026-Q4" and r["unit"] == ROV
               and r["theme"] == "access"]
    assert quarter[0]["items_received"] == "6"
    data = json.loads((out / "open-data" / "lappi.json").read_text(encoding="utf-8"))
    assert data["small_group_limit"] == 5
    kemi_json = next(r for r in data["rows"] if r["unit"] == KEMI)
    assert kemi_json["items_received"] is None and kemi_json["suppressed"] is True


def test_nothing_private_or_linkable_is_published(site: tuple[Path, Path]) -> None:
    _, out = site
    files = [p for p in out.rglob("*") if p.is_file()]
    assert {p.suffix for p in files} == {".html", ".atom", ".csv", ".json"}
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert PSEUDONYM not in text and "ps-" not in text, path
        for item_id in ITEM.values():
            assert item_id not in text, path
        assert "<script" not in text and "http://" not in text.replace(
            "http://www.w3.org/2005/Atom", ""), path  # no JavaScript, nothing fetched
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "lappi/fi/index.html" in index and "lappi/sv/index.html" in index


def test_the_digest_pairs_and_names_the_unit_in_swedish(site: tuple[Path, Path]) -> None:
    home, _ = site
    done = kv(home, "digest", "--unit", f"pohjanmaa.{VAASA}", "--period", "2026-11")
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "Sanoitte, me teimme – Vaasan terveysasema, marraskuussa 2026" in text
    assert "Ni sade, vi gjorde – Vasa hälsostation, i november 2026" in text
    sv = text.split("Ni sade, vi gjorde")[1]
    assert "Vaasan terveysasema" not in sv
    assert f"{RATIONALE_VAASA} (på finska)" in sv
    assert f"Ni sade: ”{WORDS_VAASA}”" in sv
    small = kv(home, "digest", "--unit", f"lappi.{KEMI}", "--period", "2026-11")
    assert small.returncode == 0, small.stderr
    assert WORDS_KEMI not in small.stdout and "Sanoitte: palaute aiheesta" in small.stdout
    assert "Ni sade" not in small.stdout  # a Finnish unit in the registry: no Swedish part


def test_an_unknown_county_is_one_line(site: tuple[Path, Path]) -> None:
    home, out = site
    done = kv(home, "publish-site", str(out / "x"), "--county", "nosuch")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1


def test_since_keeps_later_decisions_only(site: tuple[Path, Path]) -> None:
    home, _ = site
    out = home / "since"
    done = kv(home, "publish-site", str(out), "--since", "2026-11-21")
    assert done.returncode == 0, done.stderr
    assert WORDS_ROV not in page(out, "lappi", "fi", ROV)  # decided 20.11
    assert WORDS_VAASA in page(out, "pohjanmaa", "sv", VAASA)  # decided 22.11
    assert (out / "pirkanmaa" / "fi" / "index.html").exists()  # every registry county


def test_what_a_user_gets_wrong_is_one_line_and_exit_2(site: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    home, _ = site
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for args in (["publish-site", str(a_file)], ["publish-site", str(tmp_path), "--since", "x"],
                 ["publish-site", str(tmp_path), "--base-url", "example.fi"]):
        done = kv(home, *args)
        assert done.returncode == 2 and "Traceback" not in done.stderr, args
    no_store = kv(tmp_path, "publish-site", str(tmp_path / "out"))
    assert no_store.returncode == 2 and len(no_store.stderr.strip().splitlines()) == 1


def test_help_explains_the_command(tmp_path: Path) -> None:
    done = kv(tmp_path, "publish-site", "--help")
    assert done.returncode == 0 and "usage: kokemusvirta publish-site" in done.stdout
    for word in ("--county", "--since", "Atom", "open-data", "suppressed"):
        assert word in done.stdout, word
