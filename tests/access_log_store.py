"""A small store with three signed views in its access log, made through the sink's own
projection (for the /loki page's unit and browser tests)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from schemas.access_log import AccessLogKey, Purpose, new_view, sealed_view
from schemas.topics import TopicNames
from sinks.projection import ConsumedRecord, project
from sinks.store import Store
from tests.signers import MemorySigner

AT = datetime(2026, 10, 5, 9, 0, tzinfo=UTC)
SEEN, ELSEWHERE = "fb-0123456789abcdef", "fb-fedcba9876543210"
MAIJA, AUDITOR = "us-00112233445566aa", "us-99887766554433bb"


@dataclass(frozen=True)
class Viewer:
    pseudonym: str
    role: str = "unit_manager"
    scope: str = "lappi.rovaniemen-terveysasema"


def store_with_views(store: Path, prefix: str) -> None:
    """Two views in Lappi (one an auditor's trace with a reason), one in Pirkanmaa."""
    signer, topics = MemorySigner(), TopicNames(prefix)
    pub = signer.published()
    values = [AccessLogKey(key_id=pub.key_id, public_key=pub.public_key,
                           created_at=pub.created_at).model_dump_json().encode()]
    prev = None
    for seq, (who, item, county, purpose, reason) in enumerate([
            (Viewer(MAIJA), SEEN, "lappi", Purpose.ITEM_PAGE, None),
            (Viewer(MAIJA), ELSEWHERE, "pirkanmaa", Purpose.INBOX, None),
            (Viewer(AUDITOR, "auditor", "*"), SEEN, "lappi", Purpose.TRACE, "vuositarkastus")]):
        view = sealed_view(new_view(who, item, county, purpose, reason,
                                    AT + timedelta(minutes=seq), "ab" * 8, seq), prev, signer)
        prev = view.chain_hash
        values.append(view.model_dump_json().encode())
    records = [ConsumedRecord(topics.access_log, 0, i, None, v) for i, v in enumerate(values)]
    store.parent.mkdir(parents=True, exist_ok=True)
    writer = Store(store)
    try:
        writer.write(project(records, topics, AT))
    finally:
        writer.close()
