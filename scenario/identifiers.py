"""Personal identifiers as feedback contains them: henkilötunnus, IBAN, phone, e-mail address.

The henkilötunnus and the IBAN have valid check characters.
"""

from __future__ import annotations

import random
import unicodedata
from datetime import date, timedelta

from scenario.choices import choice

_HETU_CHECK = "0123456789ABCDEFHJKLMNPRSTUVWXY"


def henkilotunnus(rng: random.Random) -> str:
    """A henkilötunnus with a valid check character, using the old and the 2023 century signs."""
    born = date(1925, 1, 1) + timedelta(days=rng.randrange(31_000))  # 1925..2009
    if born.year >= 2000:
        sign = "A" if rng.random() < 0.85 else choice(rng, "BCDEF")
    else:
        sign = "-" if rng.random() < 0.9 else choice(rng, "YXWVU")
    individual = rng.randint(2, 899)
    digits = f"{born:%d%m%y}{individual:03d}"
    return f"{born:%d%m%y}{sign}{individual:03d}{_HETU_CHECK[int(digits) % 31]}"


def finnish_iban(rng: random.Random) -> str:
    """A Finnish IBAN whose IBAN check digits and domestic (Luhn) check digit are both valid."""
    body = choice(rng, "1234578") + "".join(choice(rng, "0123456789") for _ in range(12))
    total = 0
    for i, ch in enumerate(reversed(body)):  # Luhn: double every second digit from the right
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    bban = body + str((10 - total % 10) % 10)
    check = 98 - int(bban + "151800") % 97  # "FI00" moved to the end, F=15, I=18
    iban = f"FI{check:02d}{bban}"
    if rng.random() < 0.3:
        return iban
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


_LANDLINE_AREA = {"lappi": "16", "pirkanmaa": "3", "pohjanmaa": "6"}


def phone_number(rng: random.Random, county: str = "pirkanmaa") -> str:
    d = f"{rng.randrange(10_000_000):07d}"
    if rng.random() < 0.15:
        area = _LANDLINE_AREA.get(county, "9")
        return choice(rng, (f"0{area} {d[:3]} {d[3:]}", f"(0{area}) {d}"))
    p = choice(rng, ("40", "41", "44", "45", "46", "50"))
    return choice(
        rng,
        (
            f"0{p} {d[:3]} {d[3:]}",
            f"0{p}{d}",
            f"0{p}-{d}",
            f"+358 {p} {d}",
            f"+358{p}{d}",
            f"+358 {p} {d[:3]} {d[3:]}",
        ),
    )


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


_EMAIL_DOMAINS = ("example.com", "example.org", "example.net", "posti.example", "mail.example")


def email_address(rng: random.Random, first: str, last: str) -> str:
    f, ln = _ascii(first), _ascii(last)
    local = choice(
        rng,
        (f"{f}.{ln}", f"{f[0]}.{ln}", f"{f}{rng.randint(40, 99)}", f"{f}.{ln}{rng.randint(1, 9)}"),
    )
    return f"{local}@{choice(rng, _EMAIL_DOMAINS)}"
