"""`kokemusvirta publish-site OUT/`: the public "you said, we did" site from the store's
snapshot (kokemusvirta/site/publish.py)."""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from kokemusvirta.commands.requesting import err, say, wrap
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem, printable


def _iso_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-10-01") from None


def _base_url(text: str) -> str:
    if not text.startswith(("https://", "http://")):
        raise argparse.ArgumentTypeError(f"{text!r} is not an http(s) address")
    return text if text.endswith("/") else text + "/"


def cmd_publish_site(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.commands.known import county_known, unknown_county
    from kokemusvirta.organisations import organisations
    from kokemusvirta.site.publish import publish_site

    registry = organisations(settings)
    if args.county:
        if not county_known(settings, args.county):
            err(unknown_county(settings, args.county))
            return 2
        counties = [args.county]
    else:
        counties = [c.code for c in registry.counties]
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        err(f"ei hakemisto (not a directory): {printable(str(out))}")
        return 2
    try:
        done = publish_site(settings.store, registry, out, counties, args.since,
                            datetime.now(UTC), args.base_url or "")
    except OSError as exc:
        err(file_problem(exc, out))
        return 2
    say(f"julkaistu (published) {printable(str(out))}: {done.counties} county(ies), "
        f"{done.units} unit(s), {done.pairs} decision(s), {done.files} file(s); "
        f"open {printable(str(out / 'index.html'))}")
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    p = sub.add_parser(
        "publish-site", help="the public 'you said, we did' site: pages, Atom feeds, open data",
        formatter_class=fmt, description=wrap(
            "Write a static public site from the store: an index of counties, per county an "
            "index of its units (Finnish and Swedish), per unit a page of its decisions, each "
            "with what it answered (the redacted words, or a theme summary where the group is "
            "smaller than the store's threshold of 5 or the person was forgotten), newest "
            "first, and an Atom feed; and the county's open data (open-data/COUNTY.csv and "
            ".json: items received, acknowledged, decided and returned per unit, month, "
            "quarter and theme, small groups suppressed; columns in docs/open-data.md).",
            "Only public things: no item ids (a short hash instead), pseudonyms, contacts or "
            "staff names. The pages need no JavaScript and nothing from the network; copy the "
            "folder to any web server. Files already in OUT are overwritten, others left."))
    p.add_argument("out", metavar="OUT", help="folder to write the site into (made if missing)")
    p.add_argument("--county", metavar="C", help="only this county (default: every county of "
                   "the organisation registry)")
    p.add_argument("--since", type=_iso_date, metavar="DATE",
                   help="only decisions from this day on, and figures from its month on")
    p.add_argument("--base-url", type=_base_url, metavar="URL",
                   help="where the site will be served (e.g. https://example.fi/sanoitte/): "
                   "makes the feeds' links absolute (default: relative)")
    p.set_defaults(func=cmd_publish_site)
