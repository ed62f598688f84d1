"""The deployment's organisation registry, read from the file KOKEMUSVIRTA_ORGANISATIONS names
(YAML or CSV, schemas/organisations.py); unset, the demo's (organisations.yaml beside this file).

Read once per process and file. A file that cannot be read or is not a registry is one line
naming the file and the line or key (RegistryFileError; the CLI exits 2 on it), never a
traceback, and never a registry that knows less than the file meant.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from schemas.organisations import OrganisationRegistry, RegistryProblem, parse_csv, parse_yaml

if TYPE_CHECKING:
    from kokemusvirta.settings import Settings

DEMO_ORGANISATIONS = Path(__file__).resolve().with_name("organisations.yaml")
SUFFIXES = {".yaml": parse_yaml, ".yml": parse_yaml, ".csv": parse_csv}


class RegistryFileError(Exception):
    """The registry file is missing, unreadable or not a registry: one line says which."""


def organisations(settings: Settings) -> OrganisationRegistry:
    """The registry this deployment routes by (KOKEMUSVIRTA_ORGANISATIONS)."""
    return load(settings.organisations_file)


def demo_organisations() -> OrganisationRegistry:
    """The demo's registry: the scenario's synthetic data follows it."""
    return load(DEMO_ORGANISATIONS)


def load(path: Path) -> OrganisationRegistry:
    return _load(path.resolve())


@cache
def _load(path: Path) -> OrganisationRegistry:
    said = f"organisaatiorekisteri ei kelpaa (bad organisation registry) {path}"
    parser = SUFFIXES.get(path.suffix.lower())
    if parser is None:
        raise RegistryFileError(f"{said}: expected a .yaml, .yml or .csv file "
                                "(KOKEMUSVIRTA_ORGANISATIONS)")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RegistryFileError(f"{said}: no such file (KOKEMUSVIRTA_ORGANISATIONS)") from None
    except UnicodeDecodeError:
        raise RegistryFileError(f"{said}: not UTF-8 text") from None
    except OSError as exc:
        raise RegistryFileError(f"{said}: cannot read it ({exc.strerror})") from None
    try:
        return parser(text)
    except RegistryProblem as exc:
        raise RegistryFileError(f"{said}: {exc}") from None
