"""The notifier principal may write its own request topic and nothing else (it reads the store,
not Kafka); no requester may write that topic (kokemusvirta/access/acls.py)."""

from __future__ import annotations

from kokemusvirta.access.acls import (
    Operation,
    Resource,
    every_system_acl,
    requester_acls,
    system_acls,
)
from schemas.access import Requester, SystemRole
from schemas.topics import TopicNames


def test_the_notifier_writes_only_its_request_topic() -> None:
    bindings = system_acls(SystemRole.NOTIFIER, "kv.")
    assert [(b.principal, b.resource, b.name, b.prefixed, b.operation) for b in bindings] == [
        ("kv.notifier", Resource.TOPIC, "kv.requests.notifier", False, Operation.WRITE)]
    assert set(bindings) <= set(every_system_acl("kv.", "w", "s"))
    assert TopicNames("kv.").notifier_requests == "kv.requests.notifier"


def test_no_requester_can_write_the_notifiers_topic_and_it_is_no_requester() -> None:
    unit = Requester.parse("unit", "lappi.rovaniemen-terveysasema")
    assert all(b.name != "kv.requests.notifier" or b.operation is not Operation.WRITE
               for b in requester_acls("kv.", unit))
    assert TopicNames("kv.").requester_of("kv.requests.notifier") is None
