"""`kokemusvirta access grant|revoke|list|acls`: who may connect, and what each may do.

Runs as the admin: on the local broker its file in $KOKEMUSVIRTA_HOME/access, on a cluster the
KAFKA_* settings (or --config FILE) of a principal allowed to manage users and ACLs.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, printable
from schemas.access import Requester, RequesterRole, SystemRole, system_username

Handler = Callable[[argparse.Namespace, Settings], int]
SYSTEM_ROLES = (SystemRole.AUDITOR.value, SystemRole.GATEWAY.value, SystemRole.NOTIFIER.value,
                SystemRole.WORKPLACE.value)
ROLES = [r.value for r in RequesterRole] + list(SYSTEM_ROLES)

ACLS_HELP = """\
Print, as kafka-acls.sh command lines, the ACLs an external cluster needs for the system's own
principals of one topic prefix (P, default KOKEMUSVIRTA_TOPIC_PREFIX):

  P worker    reads intake, P requests.*, lifecycle and lifecycle-requests; writes lifecycle,
              dead letters, P routed.*, P sources, P checkpoints, P keys; creates P routed.* and
              Faust's <worker group>-__assignor-__leader; its consumer group
  P sink      reads intake, P sources, lifecycle, dead letters, P routed.*, P checkpoints,
              P keys, P access-log; its consumer group
  P gateway   writes intake only
  P notifier  writes P requests.notifier only (deliveries, notices to staff, escalations)
  P auditor   reads and describes every topic under P, writes nothing; groups P auditor*
  P workplace writes P access-log only (who viewed which item, and its public keys)

Create the users (SCRAM-SHA-512) with kafka-configs.sh, run the lines as the cluster's admin,
and give each process its KAFKA_SASL_* settings or a client file. Unit managers, leadership and
decision-makers are granted one by one with `kokemusvirta access grant`, run as the admin.
"""


def _say(message: str) -> None:
    print(message, flush=True)


def _err(message: str) -> None:
    print(f"kokemusvirta access: {message}", file=sys.stderr, flush=True)


def _principal(role: str, scope: str | None, prefix: str) -> tuple[str, Requester | None]:
    """(user name, the requester or None); ValueError with one line if malformed."""
    if role in SYSTEM_ROLES:
        if scope:
            raise ValueError(f"{role} has no scope (give only the role)")
        return system_username(prefix, SystemRole(role)), None
    if not scope:
        raise ValueError(f"{role} needs a scope, e.g. "
                         + ("lappi" if role == RequesterRole.DECISION_MAKERS.value
                            else "lappi.rovaniemen-terveysasema"))
    requester = Requester.parse(role, scope)
    return requester.username(prefix), requester


def cmd_grant(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.access import clientfile, local

    try:
        username, requester = _principal(args.role, args.scope, settings.topic_prefix)
    except ValueError as exc:
        _err(printable(str(exc)))
        return 2
    out = Path(args.out)
    if not out.parent.is_dir():
        _err(f"no such folder for --out: {printable(str(out.parent))}")
        return 2
    admin = settings.connection()
    if requester is not None:
        config = local.grant_requester(admin, requester)
        what = (f"reads {requester.routed_topic(settings.topic_prefix)}, writes "
                f"{requester.request_topic(settings.topic_prefix)}")
    elif local.is_local(settings):  # the local broker's own auditor/gateway: the one it uses
        acting = local.as_principal(settings, args.role)
        config = clientfile.ClientConfig(
            local.bootstrap_of(settings), acting.kafka_security_protocol,
            acting.kafka_sasl_mechanism or "SCRAM-SHA-512", acting.kafka_sasl_username or "",
            acting.kafka_sasl_password.get_secret_value() if acting.kafka_sasl_password else "")
        what = "as the system uses it"
    else:
        config = local.grant_system(admin, SystemRole(args.role))
        what = "its ACLs as `kokemusvirta access acls` prints them"
    try:
        clientfile.write(out, config)
    except OSError as exc:
        _err(file_problem(exc, args.out))
        return 2
    _say(f"granted {username} ({what}); its client configuration (0600): {out}\n"
         f"  try: kcat -F {out} -L")
    return 0


def cmd_revoke(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.access import local

    try:
        username, _ = _principal(args.role, args.scope, settings.topic_prefix)
    except ValueError as exc:
        _err(printable(str(exc)))
        return 2
    existed, removed = local.revoke(settings.connection(), username)
    local.forget_local_file(settings, username)
    if not existed and not removed:
        _say(f"{username}: no such user and no ACLs (nothing to revoke)")
        return 0
    _say(f"revoked {username}: user {'deleted' if existed else 'was not there'}, "
         f"{removed} ACL(s) removed; its client configuration no longer connects")
    return 0


def cmd_list(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.access import admin as kafka_admin
    from kokemusvirta.access.local import bootstrap_of
    from kokemusvirta.broker.storage import ADMIN_USER
    from kokemusvirta.kafka import admin as admin_client

    acting = settings.connection()
    client = admin_client(acting, bootstrap_of(acting))
    try:
        acl_lines = kafka_admin.bindings(client)  # first: a non-admin is refused at once
        users = kafka_admin.users(client)
    finally:
        client.close()
    for name in sorted(set(users) | set(acl_lines)):
        mark = "" if name in users else "  (no user: these ACLs let no one in)"
        _say(f"{printable(name)}{mark}")
        if name == ADMIN_USER:
            _say("  super user (the admin): everything")
        for line in acl_lines.get(name, []):
            _say(f"  {printable(line)}")
        if name in users and name not in acl_lines and name != ADMIN_USER:
            _say("  no ACLs: may connect, may do nothing")
    return 0


def cmd_acls(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.access.acls import every_system_acl

    prefix = settings.topic_prefix if args.prefix is None else args.prefix
    _say(f"# ACLs for topic prefix {prefix!r} (kokemusvirta access acls --help explains each)")
    for binding in every_system_acl(prefix, args.worker_group or settings.worker_group,
                                    args.sink_group or settings.sink_group):
        _say(binding.command_line(args.bootstrap, args.command_config))
    return 0


def _refusals_in_one_line(handler: Handler) -> Handler:
    """The broker's refusal (not the admin, a bad password) is one line and exit 2."""

    def run(args: argparse.Namespace, settings: Settings) -> int:
        from kafka.errors import KafkaError

        from kokemusvirta.access.admin import AccessError

        try:
            return handler(args, settings)
        except (AccessError, KafkaError) as exc:
            said = str(exc) if isinstance(exc, AccessError) else type(exc).__name__
            _err(f"the broker refused: {printable(' '.join(said.split()))} (run as the "
                 "admin: on a cluster, KAFKA_SASL_* or --config of a user allowed to manage "
                 "users and ACLs)")
            return 2

    return run


def register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None:
    a = sub.add_parser("access", help="grant, revoke and list who may connect (SCRAM users and "
                       "ACLs); print the ACLs a cluster needs", formatter_class=fmt,
                       description="Principals and their Kafka ACLs. Runs as the admin: on the "
                       "local broker its file $KOKEMUSVIRTA_HOME/access/admin.properties, on a "
                       "cluster the KAFKA_* settings or --config FILE.")
    actions = a.add_subparsers(dest="action", required=True, metavar="ACTION")
    g = actions.add_parser(
        "grant", formatter_class=fmt, help="a principal's user, ACLs and client configuration",
        description="Create the SCRAM user of ROLE (and SCOPE), its ACLs and, for unit, "
        "leadership and decision-makers, its request topic P requests.ROLE.SCOPE; write its "
        "client configuration in kcat's format (mode 0600) to FILE. A requester reads only its "
        "own routed topic and writes only its own request topic. Granting again gives a new "
        "password: the old file stops working.\n\nexamples:\n"
        "  kokemusvirta access grant unit lappi.rovaniemen-terveysasema --out unit.conf\n"
        "  kokemusvirta access grant decision-makers lappi --out paattajat.conf\n"
        "  kokemusvirta access grant auditor --out auditor.conf")
    g.add_argument("role", metavar="ROLE", choices=ROLES, help=", ".join(ROLES))
    g.add_argument("scope", metavar="SCOPE", nargs="?", default=None,
                   help="COUNTY.UNIT, COUNTY.SERVICE_AREA or COUNTY; none for auditor and gateway")
    g.add_argument("--out", metavar="FILE", required=True, help="where the configuration goes")
    g.set_defaults(func=_refusals_in_one_line(cmd_grant))
    r = actions.add_parser("revoke", formatter_class=fmt, help="remove a principal's user "
                           "and ACLs", description="Delete the SCRAM user of ROLE (and SCOPE) "
                           "and every ACL it has; its client configuration no longer connects.")
    r.add_argument("role", metavar="ROLE", choices=ROLES, help=", ".join(ROLES))
    r.add_argument("scope", metavar="SCOPE", nargs="?", default=None)
    r.set_defaults(func=_refusals_in_one_line(cmd_revoke))
    li = actions.add_parser("list", help="every principal and its ACLs",
                            description="Every SCRAM user and every ACL, by principal.")
    li.set_defaults(func=_refusals_in_one_line(cmd_list))
    c = actions.add_parser("acls", formatter_class=argparse.RawDescriptionHelpFormatter,
                           help="print the ACLs an external cluster needs, as kafka-acls.sh "
                           "command lines", description=ACLS_HELP)
    c.add_argument("--prefix", default=None, help="topic prefix (default "
                   "KOKEMUSVIRTA_TOPIC_PREFIX)")
    c.add_argument("--worker-group", default=None, help="default KOKEMUSVIRTA_WORKER_GROUP")
    c.add_argument("--sink-group", default=None, help="default KOKEMUSVIRTA_SINK_GROUP")
    c.add_argument("--bootstrap", default="BOOTSTRAP", help="put in each line's "
                   "--bootstrap-server")
    c.add_argument("--command-config", default="admin.properties",
                   help="the admin's client properties file named in each line")
    c.set_defaults(func=cmd_acls)
