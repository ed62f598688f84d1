"""The demo's front door: part of the scenario's feedback comes in through the intake API.

`kokemusvirta demo` starts `kokemusvirta intake serve` as the intake gateway, on a free
loopback port, and POSTs the first valid feedback events of the scenario to /v1/feedback one by
one, as a county's e-service would; the rest of the scenario (and every malformed record, which
the API would refuse with a 400 and so never become the dead letters the demo shows) goes
through the producer as before. Either way the same events reach the intake topic, sealed.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from kokemusvirta.processes import Child, start_child
from kokemusvirta.serving import free_port
from kokemusvirta.settings import Settings

FEEDBACK = "feedback.submitted"
SERVICE_RATE_PER_S = 200.0
RETRIES = 20  # 429 and 503 answers waited out, each by its Retry-After


class DemoIntake:
    """The intake service as a child process and a client that posts one event at a time."""

    def __init__(self, settings: Settings, bootstrap: str, logs: Path, *,
                 timeout_s: float = 60.0) -> None:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        # The demo's e-service is one trusted system on one address: it gets a county
        # system's rate rather than a person's (KOKEMUSVIRTA_INTAKE_RATE_PER_S), and still
        # honours a 429's Retry-After (post).
        service = settings.model_copy(update={"intake_rate_per_s": SERVICE_RATE_PER_S,
                                              "intake_rate_burst": int(SERVICE_RATE_PER_S)})
        self.child: Child = start_child("intake", service, bootstrap, logs, "serve",
                                        "--port", str(port))
        self.client = httpx.Client(base_url=self.url, timeout=30.0)
        self.posted = 0
        self._wait_until_up(timeout_s)

    def _wait_until_up(self, timeout_s: float) -> None:
        deadline = time.monotonic() + timeout_s
        while True:
            if self.child.process.poll() is not None:
                raise RuntimeError(f"the intake service stopped at start (exit "
                                   f"{self.child.process.returncode}); see {self.child.log}")
            try:
                if self.client.get("/v1/health").status_code == 200:
                    return
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the intake service did not answer in {timeout_s:.0f} s; "
                                   f"see {self.child.log}")
            time.sleep(0.2)

    def takes(self, value: bytes, expected_rejection: object) -> bool:
        """Whether this record is one the API should take: a well-formed feedback event."""
        if expected_rejection is not None:
            return False
        try:
            return bool(json.loads(value).get("event_type") == FEEDBACK)
        except ValueError:
            return False

    def post(self, value: bytes) -> None:
        """POST one feedback event; anything but 202 stops the demo with the API's answer."""
        headers = {"Content-Type": "application/json", "Accept-Language": "fi",
                   "Idempotency-Key": json.loads(value)["event_id"]}
        answer = self.client.post("/v1/feedback", content=value, headers=headers)
        for _ in range(RETRIES):  # as an e-service should: wait as told, then the same key
            if answer.status_code not in (429, 503):
                break
            time.sleep(min(float(answer.headers.get("Retry-After", "1")), 10.0))
            answer = self.client.post("/v1/feedback", content=value, headers=headers)
        if answer.status_code != 202:
            raise RuntimeError(f"the intake API answered {answer.status_code}: "
                               f"{answer.text[:300]}")
        self.posted += 1

    def close(self) -> None:
        self.client.close()
        self.child.stop()


def api_sender(intake: DemoIntake, how_many: int) -> Callable[[bytes, object], bool]:
    """A record's route: True when it was posted through the API (the first `how_many` valid
    feedback events), False when the caller should produce it itself."""

    def send(value: bytes, expected_rejection: object) -> bool:
        if intake.posted >= how_many or not intake.takes(value, expected_rejection):
            return False
        intake.post(value)
        return True

    return send
