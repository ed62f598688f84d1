"""Subcommands that live in modules of their own. Each module has

    register(sub: argparse._SubParsersAction, fmt: type[argparse.HelpFormatter]) -> None

which adds its parsers with `set_defaults(func=handler)`, handler(args, settings) -> exit code.
`kokemusvirta/cli.py` calls every module listed here (helpers such as `requesting` register
nothing and are not listed), in this order (the order of `--help`).
"""

from __future__ import annotations

MODULES: tuple[str, ...] = (
    "kokemusvirta.commands.lifecycle",
    "kokemusvirta.commands.inbox",
    "kokemusvirta.commands.classify",
    "kokemusvirta.commands.classifier",
    "kokemusvirta.commands.corrections",
    "kokemusvirta.commands.audit",
    "kokemusvirta.commands.access_log",
    "kokemusvirta.commands.signals",
    "kokemusvirta.commands.privacy",
    "kokemusvirta.commands.keys",
    "kokemusvirta.commands.dashboard",
    "kokemusvirta.commands.quality",
    "kokemusvirta.commands.chaos",
    "kokemusvirta.commands.status",
    "kokemusvirta.commands.lake",
    "kokemusvirta.commands.access",
    "kokemusvirta.commands.importing",
    "kokemusvirta.commands.site",
    "kokemusvirta.commands.intake",
    "kokemusvirta.commands.notify",
    "kokemusvirta.commands.workplace",
    "kokemusvirta.commands.users",
    "kokemusvirta.commands.postgres",
)
