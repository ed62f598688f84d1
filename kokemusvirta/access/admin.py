"""Users and ACLs through Kafka's admin API (kafka-python 3), run as the admin.

Thin: the bindings come from kokemusvirta/access/acls.py; this module only turns them into
kafka-python's ACL objects and back, and says a broker's refusal in one line.
"""

from __future__ import annotations

from collections import defaultdict

from kafka import KafkaAdminClient
from kafka.admin import (
    ACL,
    ACLFilter,
    ACLOperation,
    ACLPermissionType,
    ACLResourcePatternType,
    ResourcePattern,
    ResourcePatternFilter,
    ResourceType,
    ScramMechanism,
    UserScramCredentialDeletion,
    UserScramCredentialUpsertion,
)

from kokemusvirta.access.acls import Binding, Operation, Resource

MECHANISM = ScramMechanism.SCRAM_SHA_512


class AccessError(RuntimeError):
    """The broker refused a user or an ACL change; the message is one line."""


_RESOURCES = {Resource.TOPIC: ResourceType.TOPIC, Resource.GROUP: ResourceType.GROUP}
_OPERATIONS = {Operation.READ: ACLOperation.READ, Operation.WRITE: ACLOperation.WRITE,
               Operation.CREATE: ACLOperation.CREATE, Operation.DESCRIBE: ACLOperation.DESCRIBE}


def _acl(binding: Binding) -> ACL:
    pattern = ACLResourcePatternType.PREFIXED if binding.prefixed \
        else ACLResourcePatternType.LITERAL
    return ACL(principal=f"User:{binding.principal}", host="*",
               operation=_OPERATIONS[binding.operation],
               permission_type=ACLPermissionType.ALLOW,
               resource_pattern=ResourcePattern(_RESOURCES[binding.resource], binding.name,
                                                pattern))


def set_password(client: KafkaAdminClient, username: str, password: str) -> None:
    """Create the SCRAM-SHA-512 user, or give it this password."""
    errors = client.alter_user_scram_credentials(
        [UserScramCredentialUpsertion(username, MECHANISM, password)])
    if errors.get(username):
        raise AccessError(f"user {username}: {errors[username]}")


def delete_user(client: KafkaAdminClient, username: str) -> bool:
    """Remove the user's SCRAM credential; False if there was none."""
    errors = client.alter_user_scram_credentials(
        [UserScramCredentialDeletion(username, MECHANISM)])
    message = errors.get(username)
    if message and "not found" not in message.lower() and "no credential" not in message.lower():
        raise AccessError(f"user {username}: {message}")
    return not message


def users(client: KafkaAdminClient) -> list[str]:
    return sorted(client.describe_user_scram_credentials())


def grant(client: KafkaAdminClient, bindings: list[Binding]) -> None:
    """Create the ACLs (creating one that exists is harmless)."""
    if not bindings:
        return
    result = client.create_acls([_acl(b) for b in bindings])
    if result.get("failed"):
        raise AccessError(f"the broker refused {len(result['failed'])} ACL(s): "
                          f"{result['failed'][0]}")


def revoke_all(client: KafkaAdminClient, username: str) -> int:
    """Delete every ACL of the principal; how many went."""
    any_pattern = ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY)
    filters = [ACLFilter(principal=f"User:{username}", host=None, operation=ACLOperation.ANY,
                         permission_type=ACLPermissionType.ANY, resource_pattern=any_pattern)]
    removed = 0
    for _filter, matched, error in client.delete_acls(filters):
        if error.errno:
            raise AccessError(f"deleting the ACLs of {username}: {error.__name__}")
        removed += len(matched)
    return removed


def bindings(client: KafkaAdminClient) -> dict[str, list[str]]:
    """Every principal's ACLs, each as one readable line (`access list`)."""
    any_pattern = ResourcePatternFilter(ResourceType.ANY, None, ACLResourcePatternType.ANY)
    found, error = client.describe_acls(ACLFilter(
        principal=None, host=None, operation=ACLOperation.ANY,
        permission_type=ACLPermissionType.ANY, resource_pattern=any_pattern))
    if error.errno:
        raise AccessError(f"describing the ACLs: {error.__name__}")
    lines: dict[str, list[str]] = defaultdict(list)
    for acl in found:
        pattern = acl.resource_pattern
        star = "*" if pattern.pattern_type == ACLResourcePatternType.PREFIXED else ""
        allow = "" if acl.permission_type == ACLPermissionType.ALLOW else "DENY "
        lines[acl.principal.removeprefix("User:")].append(
            f"{allow}{acl.operation.name.title()} {pattern.resource_type.name.lower()} "
            f"{pattern.resource_name}{star}")
    return {user: sorted(entries) for user, entries in sorted(lines.items())}
