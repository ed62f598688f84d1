"""Deterministic synthetic scenario: the intake events that the demo, tests and benchmark publish.

`generate(seed)` yields `ScenarioRecord`s in the order of their `recorded_at`: client feedback (the
bulk), the outputs of one developer-client group meeting four times plus pop-up and digital forums,
a few expert statements, one feedback in the old schema version 1 and about ten deliberately
malformed events, each with the exact reason `schemas.registry.parse_source` rejects it for.
The same seed (and arguments) gives byte-identical output; nothing is read or written.

Personal data: some feedback texts contain a henkilötunnus and an IBAN with valid checksums, phone
numbers, e-mail addresses and first or last names, and some events carry a contact. Every value
inserted is listed on its record (`ScenarioRecord.personal_data`), so
`personal_identifiers_in(generate(seed))` is the set that must never appear downstream.

Texts are built from the fragments in texts/; `ScenarioRecord.intended` says which themes, stance
and severity a feedback text was built to express (for checking the classifier).

Modules: records (what is yielded), organisation (counties, service areas, units), mix (the
weighted choices), times (Helsinki time), identifiers (personal data), text_cores and wording (how
a text is built), feedback, participation (workshops, statements), malformed, plan (what happens
on which day) and generator (ordering by recorded_at).
"""

from scenario.generator import generate
from scenario.identifiers import (
    email_address,
    finnish_iban,
    henkilotunnus,
    phone_number,
)
from scenario.malformed import MALFORMED_KINDS
from scenario.organisation import (
    ORGANISATION,
    County,
    Organisation,
    ServiceArea,
    Unit,
)
from scenario.plan import BLOCK_SIZE, DEFAULT_EVENTS, DEFAULT_MALFORMED
from scenario.records import (
    Intended,
    PersonalDatum,
    ScenarioRecord,
    personal_identifiers_in,
    write_jsonl,
)

__all__ = [
    "BLOCK_SIZE",
    "DEFAULT_EVENTS",
    "DEFAULT_MALFORMED",
    "MALFORMED_KINDS",
    "ORGANISATION",
    "County",
    "Intended",
    "Organisation",
    "PersonalDatum",
    "ScenarioRecord",
    "ServiceArea",
    "Unit",
    "email_address",
    "finnish_iban",
    "generate",
    "henkilotunnus",
    "personal_identifiers_in",
    "phone_number",
    "write_jsonl",
]
