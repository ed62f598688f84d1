"""Printable posters for the units' waiting rooms: one A4 HTML page per unit with its name, the
feedback question in the unit's languages, the form's short address and a QR code that opens
the form in the unit's first language (`kokemusvirta intake posters`, cmd_posters).

The QR code is segno's inline SVG: made here, no network, no image file beside the page, so a
poster is one self-contained file that prints the same anywhere. `poster_html` is pure; only
`write_posters` touches the disk.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import segno
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from kokemusvirta.intake.form_logic import find_unit, form_languages, form_path
from kokemusvirta.intake.form_texts import TEXTS
from kokemusvirta.organisations import organisations
from kokemusvirta.settings import Settings
from kokemusvirta.terminal import file_problem
from schemas.organisations import OrganisationRegistry, Unit

HERE = Path(__file__).resolve().parent
# Error correction M (15 %): survives a crease or a smudge on a printed page.
QR_ERROR = "m"


class PosterProblem(ValueError):
    """One line for the user: an unknown unit, no unit chosen, a base URL that is not one."""


@dataclass(frozen=True)
class Poster:
    unit: str
    url: str  # what the QR code opens: the form in the unit's first language
    html: str


def form_url(base_url: str, lang: str, unit: str) -> str:
    return base_url.rstrip("/") + form_path(lang, unit)


def qr_svg(url: str, label: str) -> Markup:
    """The URL as an inline SVG QR code, sized by the page's CSS (no fixed width)."""
    code = segno.make(url, error=QR_ERROR, micro=False)
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr", lineclass=None,
                          title=label)
    return Markup(svg)  # segno's own markup; it escapes the title itself


def poster_html(unit: Unit, base_url: str, env: Environment | None = None) -> Poster:
    env = env or _templates()
    languages = form_languages(unit)
    first = languages[0]
    url = form_url(base_url, first, unit.code)
    asks = [{"lang": lang, "title": TEXTS[lang]["poster_title"],
             "question": TEXTS[lang]["question"], "scan": TEXTS[lang]["poster_scan"],
             "url": form_url(base_url, lang, unit.code),
             "name": unit.names.in_language(lang)} for lang in languages]
    html = env.get_template("poster.html").render(
        lang=first, name=unit.names.in_language(first), asks=asks, url=url,
        qr=qr_svg(url, f"QR: {url}"))
    return Poster(unit.code, url, html)


def chosen_units(registry: OrganisationRegistry, codes: Sequence[str],
                 every: bool) -> list[Unit]:
    """The units named (in the order given) or all of them; PosterProblem names an unknown one."""
    if every:
        return list(registry.units)
    if not codes:
        raise PosterProblem("nimeä yksikkö --unit KOODI tai valitse --all "
                            "(name a unit with --unit CODE or choose --all)")
    units = []
    for code in dict.fromkeys(codes):
        unit = find_unit(registry, code)
        if unit is None:
            raise PosterProblem(f"tuntematon yksikkö (unknown unit) {code!r}: not in the "
                                "organisation registry (KOKEMUSVIRTA_ORGANISATIONS)")
        units.append(unit)
    return units


def check_base_url(base_url: str) -> str:
    if not base_url.startswith(("https://", "http://")) or len(base_url) < 10:
        raise PosterProblem(f"--base-url must be an http(s) address, not {base_url!r}")
    return base_url.rstrip("/")


def write_posters(units: Iterable[Unit], out: Path, base_url: str) -> list[Path]:
    """<out>/<unit>.html for each unit; the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    env = _templates()
    written = []
    for unit in units:
        poster = poster_html(unit, base_url, env)
        path = out / f"{unit.code}.html"
        path.write_text(poster.html, encoding="utf-8")
        written.append(path)
    return written


def _templates() -> Environment:
    return Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True,
                       undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def cmd_posters(args: argparse.Namespace, settings: Settings) -> int:
    """`kokemusvirta intake posters`: one line per poster written, or one line why not."""
    try:
        base_url = check_base_url(args.base_url)
        units = chosen_units(organisations(settings), args.unit, args.all)
        written = write_posters(units, Path(args.out), base_url)
    except PosterProblem as exc:
        print(f"kokemusvirta: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"kokemusvirta: {file_problem(exc, args.out)}", file=sys.stderr)
        return 2
    for path in written:
        print(path)
    print(f"{len(written)} julistetta (posters) in {args.out}: the QR codes open "
          f"{base_url}/palaute|respons|feedback/<unit>", file=sys.stderr)
    return 0
