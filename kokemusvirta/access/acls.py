"""The ACLs of each principal: pure sets of bindings, no I/O.

Every binding allows (nothing is denied: without an ACL Kafka's StandardAuthorizer denies) one
operation on one resource, named literally or by prefix. P is the deployment's topic prefix
(settings.topic_prefix, default ``kv.``); the names come from schemas/access.py and
schemas/topics.py. Least each needs:

    worker     reads intake, P requests.* and the lifecycle topics (it rebuilds the guard's
               states); reads and writes P guard.requests (requests forwarded to their judge);
               writes lifecycle, dead letters, P routed.*, P sources, P checkpoints and P keys
               (and reads back its own checkpoints and keys to carry on after a restart);
               creates only routed topics and Faust's leader topic; its consumer group
    sink       reads intake, P sources, lifecycle, dead letters, P routed.*, P checkpoints,
               P keys and P access-log; its consumer group
    gateway    writes intake, nothing else
    notifier   writes P requests.notifier (deliveries, notices to staff, the automatic
               escalation, which the worker's guard judges), nothing else: it reads the store
    workplace  writes P access-log (who viewed which item, and its own public keys), nothing else
    requester  reads its own routed topic, writes its own request topic; groups named after it
    auditor    reads and describes every topic under P; writes nothing; groups P auditor*
    admin      a super user (server.properties), so it has no ACLs

Writing a topic implies describing it and the idempotent producer's cluster right (Kafka 2.8+).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from enum import StrEnum

from schemas.access import Requester, SystemRole, system_username
from schemas.topics import TopicNames


class Resource(StrEnum):
    TOPIC = "topic"
    GROUP = "group"


class Operation(StrEnum):
    READ = "Read"
    WRITE = "Write"
    CREATE = "Create"
    DESCRIBE = "Describe"


@dataclass(frozen=True, order=True)
class Binding:
    """``principal`` may ``operation`` on the ``resource`` named ``name`` (or by that prefix)."""

    principal: str  # the SCRAM user name, without "User:"
    resource: Resource
    name: str
    prefixed: bool
    operation: Operation

    def describe(self) -> str:
        """One readable line, e.g. ``Read topic kv.routed.unit.lappi.x``."""
        star = "*" if self.prefixed else ""
        return f"{self.operation.value} {self.resource.value} {self.name}{star}"

    def command_line(self, bootstrap: str = "BOOTSTRAP", config: str = "admin.properties") -> str:
        """The same binding as a `kafka-acls.sh` command line, for an external cluster."""
        return shlex.join([
            "kafka-acls.sh", "--bootstrap-server", bootstrap, "--command-config", config,
            "--add", "--allow-principal", f"User:{self.principal}",
            "--operation", self.operation.value, f"--{self.resource.value}", self.name,
            "--resource-pattern-type", "prefixed" if self.prefixed else "literal",
        ])


def _topic(user: str, name: str, *ops: Operation, prefixed: bool = False) -> list[Binding]:
    return [Binding(user, Resource.TOPIC, name, prefixed, op) for op in ops]


def _group(user: str, name: str, *, prefixed: bool = False) -> list[Binding]:
    return [Binding(user, Resource.GROUP, name, prefixed, Operation.READ)]


# The topics other parts of issue 12 add (a worker's sealed sources, its signed checkpoints and
# its public keys): named here until schemas/topics.py names them.
def sources_topic(prefix: str) -> str:
    return f"{prefix}sources"


def checkpoints_topic(prefix: str) -> str:
    return f"{prefix}checkpoints"


def keys_topic(prefix: str) -> str:
    return f"{prefix}keys"


def faust_leader_topic(worker_group: str) -> str:
    """Faust's assignor declares and uses this topic of its own (app id = the worker's group)."""
    return f"{worker_group}-__assignor-__leader"


def worker_acls(prefix: str, worker_group: str) -> list[Binding]:
    user, t = system_username(prefix, SystemRole.WORKER), TopicNames(prefix)
    read, write, create = Operation.READ, Operation.WRITE, Operation.CREATE
    return sorted([
        *_topic(user, t.intake, read),
        *_topic(user, f"{prefix}requests.", read, prefixed=True),
        *_topic(user, t.lifecycle, read, write),
        *_topic(user, t.dead_letters, read, write),  # read: its checkpoints restored at start
        *_topic(user, t.guard_requests, read, write),  # requests forwarded to their judge
        *_topic(user, f"{prefix}routed.", write, create, prefixed=True),
        *_topic(user, sources_topic(prefix), write),
        *_topic(user, checkpoints_topic(prefix), read, write),
        *_topic(user, keys_topic(prefix), read, write),
        *_topic(user, faust_leader_topic(worker_group), read, write, create),
        *_group(user, worker_group),
    ])


def sink_acls(prefix: str, sink_group: str) -> list[Binding]:
    user, t = system_username(prefix, SystemRole.SINK), TopicNames(prefix)
    read = Operation.READ
    return sorted([
        *_topic(user, sources_topic(prefix), read),
        *_topic(user, t.lifecycle, read),
        *_topic(user, t.dead_letters, read),
        *_topic(user, f"{prefix}routed.", read, prefixed=True),
        *_topic(user, checkpoints_topic(prefix), read),
        *_topic(user, keys_topic(prefix), read),
        *_topic(user, t.access_log, read),
        *_group(user, sink_group),
    ])


def gateway_acls(prefix: str) -> list[Binding]:
    user = system_username(prefix, SystemRole.GATEWAY)
    return _topic(user, TopicNames(prefix).intake, Operation.WRITE)


def notifier_acls(prefix: str) -> list[Binding]:
    user = system_username(prefix, SystemRole.NOTIFIER)
    return _topic(user, TopicNames(prefix).notifier_requests, Operation.WRITE)


def workplace_acls(prefix: str) -> list[Binding]:
    """The access log only: its views and its own public keys go there (schemas/access_log.py).
    It may read nothing, so a leaked workplace password shows no client's feedback."""
    user = system_username(prefix, SystemRole.WORKPLACE)
    return _topic(user, TopicNames(prefix).access_log, Operation.WRITE)


def auditor_acls(prefix: str) -> list[Binding]:
    user = system_username(prefix, SystemRole.AUDITOR)
    return sorted([
        *_topic(user, prefix, Operation.READ, Operation.DESCRIBE, prefixed=True),
        *_group(user, f"{prefix}auditor", prefixed=True),
    ])


def requester_acls(prefix: str, requester: Requester) -> list[Binding]:
    user = requester.username(prefix)
    return sorted([
        *_topic(user, requester.routed_topic(prefix), Operation.READ),
        *_topic(user, requester.request_topic(prefix), Operation.WRITE),
        *_group(user, user, prefixed=True),
    ])


def system_acls(role: SystemRole, prefix: str, *, worker_group: str = "kokemusvirta-worker",
                sink_group: str = "kokemusvirta-sink") -> list[Binding]:
    if role is SystemRole.WORKER:
        return worker_acls(prefix, worker_group)
    if role is SystemRole.SINK:
        return sink_acls(prefix, sink_group)
    if role is SystemRole.GATEWAY:
        return gateway_acls(prefix)
    if role is SystemRole.NOTIFIER:
        return notifier_acls(prefix)
    if role is SystemRole.WORKPLACE:
        return workplace_acls(prefix)
    return auditor_acls(prefix)


def every_system_acl(prefix: str, worker_group: str, sink_group: str) -> list[Binding]:
    """What an external cluster needs for the system's own principals (`access acls`)."""
    return [b for role in SystemRole
            for b in system_acls(role, prefix, worker_group=worker_group, sink_group=sink_group)]
