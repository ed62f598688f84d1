"""The feedback form on the real parts: `kokemusvirta intake serve` (uvicorn) as the intake
gateway principal on the real broker, with the real worker and sink. A client's form post, a
staff member's oral record and a double click become exactly their items in the store, with
the unit, channel and language of the page, and the raw contact never reaches the intake topic.
One flow (the worker and sink cost a minute); the posters' command runs beside it.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from kokemusvirta.processes import child_env
from kokemusvirta.settings import Settings
from sinks import reader as query
from tests.conftest import SettingsFactory, SystemSettings
from tests.integration.helpers import catch_up, read_topic, running

UNIT = "rovaniemen-terveysasema"
CONTACT = "maija.meikalainen@esimerkki.fi"


@contextmanager
def serving(settings: Settings, log: Path) -> Iterator[str]:
    """The real intake service on a free port; its base URL."""
    assert settings.kafka_bootstrap_servers
    env = child_env(settings, settings.kafka_bootstrap_servers)
    with log.open("wb") as errors:
        service = subprocess.Popen(
            [sys.executable, "-m", "kokemusvirta", "intake", "serve", "--port", "0"],
            env=env, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL, text=True)
    try:
        assert service.stdout is not None
        line = service.stdout.readline()
        found = re.search(r"http://[0-9.]+:\d+", line)
        assert found, f"the service did not start: {line!r} {log.read_text()[-2000:]}"
        yield found.group(0)
    finally:
        service.terminate()
        try:
            service.wait(timeout=20)
        except subprocess.TimeoutExpired:
            service.kill()
            service.wait()


def token(page: httpx.Response) -> str:
    found = re.search(r'name="tunniste" value="([^"]+)"', page.text)
    assert page.status_code == 200 and found, page.text[:500]
    return found.group(1)


@pytest.mark.broker
def test_form_posts_become_items_with_their_unit_channel_and_language(
        settings_factory: SettingsFactory, system_settings: SystemSettings,
        tmp_path: Path) -> None:
    s = settings_factory()
    gateway = system_settings(s, "gateway")
    with running(s, "worker", "sink") as children, \
            serving(gateway, tmp_path / "intake.log") as url, \
            httpx.Client(base_url=url, timeout=30) as http:
        # A client in Swedish who wants a reply by e-mail.
        form = http.get(f"/respons/{UNIT}")
        sent = http.post(f"/respons/{UNIT}", data={
            "tunniste": token(form), "teksti": "Personalen var vänlig men väntetiden var lång.",
            "arvio": "3", "vastaus": "sahkoposti", "sahkoposti": CONTACT})
        assert sent.status_code == 200, sent.text[:2000]
        assert "Tack för din respons" in sent.text
        swedish_ref = re.search(r'class="reference">(fb-[0-9a-f]{8})<', sent.text)
        assert swedish_ref
        # Staff record what a close one said at the desk, in Finnish; a double click.
        form = http.get(f"/palaute/{UNIT}?kanava=suullinen")
        data = {"tunniste": token(form), "teksti": "Omainen kiitti kotiutuksen sujumisesta.",
                "kanava": "suullinen", "vastaaja": "laheinen"}
        twice = [http.post(f"/palaute/{UNIT}", data=data) for _ in range(2)]
        assert [p.status_code for p in twice] == [200, 200]
        catch_up(s, children)

    _, rows = query.run(s.store, "select item_id, unit, county, channel, language, rating, "
                                 "reply_requested, contact_given, text from knowledge_items "
                                 "order by language")
    assert len(rows) == 2, rows  # the double click made one item
    finnish, swedish = rows
    assert finnish[1:8] == (UNIT, "lappi", "oral", "fi", None, False, False)
    assert swedish[1:8] == (UNIT, "lappi", "electronic", "sv", 3, True, True)
    assert swedish[0].startswith(swedish_ref.group(1))
    assert all(finnish[0][:11] in p.text for p in twice)
    _, roles = query.run(s.store, "select count(*) from events where event_type = "
                                  "'feedback.submitted'")
    assert roles == [(2,)]

    # The contact was sealed before Kafka: not on the intake topic, nor anywhere in the store.
    intake = read_topic(s, s.topics.intake)
    assert len(intake) == 2
    assert all(CONTACT.encode() not in value for _, value, _ in intake)
    _, leaked = query.run(s.store, f"select count(*) from events where payload::varchar "
                                   f"like '%{CONTACT}%'")
    assert leaked == [(0,)]


def test_posters_are_written_for_the_named_units(tmp_path: Path) -> None:
    out = tmp_path / "julisteet"
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta", "intake", "posters", "--unit", UNIT,
         "--unit", "vaasan-neuvola", "--out", str(out), "--base-url",
         "https://palaute.example.fi/"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [f"{UNIT}.html", "vaasan-neuvola.html"]
    html = (out / f"{UNIT}.html").read_text(encoding="utf-8")
    assert f"https://palaute.example.fi/palaute/{UNIT}" in html
    assert re.search(r'<svg[^>]*class="qr"', html)


def test_an_unknown_unit_is_one_line_and_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "kokemusvirta", "intake", "posters", "--unit", "ei-tallaista",
         "--out", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "ei-tallaista" in done.stderr
    assert "Traceback" not in done.stderr
