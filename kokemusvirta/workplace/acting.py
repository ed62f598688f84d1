"""Acting for the signed-in user: a lifecycle request on the user's role's request topic, as
that requester's principal, carrying the user's pseudonym.

The request is built exactly as `kokemusvirta ack/escalate/present/decide/return/close/confirm/
relabel` build theirs (managers/requests.py build_request, with the store's view of the item
and the same pre-check), plus `actor_pseudonym`: who acted, `us-` and 16 hex digits, never a
name. The lifecycle guard (streams/guard.py) then checks it as it checks any request: the role
and scope are those of the topic it arrived on. The guard cannot check the pseudonym (the
principal is the requester's, shared by every user of that role and scope): the workplace
answers for it, and sets it from the signed session only.

Whose principal sends:
- KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR set: the client configuration `<principal>.properties` in it,
  one per requester (`kokemusvirta access grant ROLE SCOPE --out DIR/<principal>.properties`
  writes them; a requester without a file cannot act, said in one line);
- else, on the project's local broker: the requester's own principal, provisioned on first use
  (kokemusvirta/access/local.py as_requester);
- else (settings with an identity of their own, e.g. the tests' admin): that identity.

`publish_step` returns once the broker has acknowledged the request (its event id); the worker's
verdict follows on the lifecycle or dead-letter topic and reaches the store in seconds.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from typing import Any

from kafka import KafkaProducer
from kafka.errors import KafkaError

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.users import StaffUser
from managers import requests as mg
from schemas.access import Requester, RequesterRole
from sinks.reader import StoreMissing, open_read_only

ACK_TIMEOUT_S = 30.0
LABEL_STEPS = ("severity_confirmed", "relabelled")
LABELLERS = (RequesterRole.UNIT, RequesterRole.LEADERSHIP)  # streams/guard.py LABELLERS


class ActError(ValueError):
    """The request cannot be made; the message is one line without personal data."""


class NotAllowed(ActError):
    """The user may not ask for this: a reading role, an item outside the scope, a step not
    the role's."""


class StepRefused(ActError):
    """The item's history does not allow the step now (the pre-check of the CLI)."""


class Unavailable(ActError):
    """The store or the broker did not answer: try again in a moment."""


class WebActor:
    """Publishes lifecycle requests for staff users. Thread-safe; one producer per requester,
    kept until `close`."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._producers: dict[Requester, KafkaProducer] = {}
        self._lock = threading.Lock()

    def publish_step(self, user: StaffUser, step: str, item_id: str,
                     fields: dict[str, Any]) -> str:
        """Ask for `step` on `item_id` as `user`; the request's event id once the broker has it.
        ActError (NotAllowed, StepRefused) when it cannot be asked for."""
        from managers import unit_store

        requester = user.requester
        if requester is None:
            raise NotAllowed(f"a {user.role.value} reads, and does not act on items")
        if step not in mg.REQUEST_EVENTS:
            raise ActError(f"unknown step {step!r}")
        if step in LABEL_STEPS and requester.role not in LABELLERS:
            raise NotAllowed(f"{step} is the unit's managers' or the service area's "
                             "leadership's")
        mg.check_item_id(item_id)
        try:
            item = unit_store.items(self.settings.store, [item_id]).get(item_id)
            area = self._service_area(item_id)
        except StoreMissing:
            raise Unavailable("the store is not there yet: is the sink running?") from None
        if item is None:
            raise ActError(f"unknown item {item_id}: not in the store (yet)")
        if not user.may_see(item.county, area, item.unit):
            raise NotAllowed(f"item {item_id} is outside your scope")
        now = datetime.now(UTC)
        request = mg.build_request(step, item, requester.actor_role, now, now,
                                   {**fields, "actor_pseudonym": user.pseudonym})
        refusal = mg.precheck(item, request)
        if refusal:
            raise StepRefused(refusal)
        try:
            producer = self._producer(requester)
            future = producer.send(self.settings.topics.requests(requester),
                                   key=request.kafka_key(), value=request.to_json_bytes())
            future.get(timeout=ACK_TIMEOUT_S)  # raises if the broker did not take it
        except KafkaError as exc:
            raise Unavailable(f"the broker did not take the request ({type(exc).__name__}); "
                              "try again in a moment") from None
        return str(request.event_id)

    def _service_area(self, item_id: str) -> str | None:
        con = open_read_only(self.settings.store)
        try:
            row = con.execute("SELECT service_area FROM knowledge_items WHERE item_id = ?",
                              [item_id]).fetchone()
        finally:
            con.close()
        return str(row[0]) if row else None

    def settings_for(self, requester: Requester) -> Settings:
        """The settings the requester's principal connects with (see the module's docstring)."""
        folder = self.settings.workplace_client_dir
        if folder is not None:
            path = folder / f"{requester.username(self.settings.topic_prefix)}.properties"
            if not path.is_file():
                raise NotAllowed(f"no client configuration for {requester.role.value} "
                                 f"{requester.scope} in KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR")
            return self.settings.model_copy(update={"client_config": path})
        from kokemusvirta.access.local import as_requester

        return as_requester(self.settings, requester)

    def _producer(self, requester: Requester) -> KafkaProducer:
        from kokemusvirta import kafka as kv_kafka

        with self._lock:
            producer = self._producers.get(requester)
            if producer is None:
                acting = self.settings_for(requester)
                servers = kv_kafka.bootstrap_servers(acting, start_local=False)
                producer = self._producers[requester] = kv_kafka.producer(acting, servers)
            return producer

    def close(self) -> None:
        with self._lock:
            for producer in self._producers.values():
                producer.close()
            self._producers.clear()
