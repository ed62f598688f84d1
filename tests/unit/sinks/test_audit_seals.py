"""`verify`'s seals (sinks/audit/seals.py) on small stores built through the real path
(tests/chains.py) with a signing worker, then altered behind the sink's back."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import duckdb

from schemas.chain import seal
from schemas.lifecycle import ActorRole, ItemAcknowledged
from sinks.audit.seals import check_seals
from sinks.audit.verify import Report, verify
from sinks.reader import open_read_only
from streams.checkpoints import CheckpointBook
from tests.chains import NOW, Log, T
from tests.factories import as_bytes, feedback
from tests.signers import MemorySigner


def signed_log(signer: MemorySigner | None = None) -> tuple[Log, list[str]]:
    signer = signer or MemorySigner()
    log = Log(signer=signer)
    log.publish_key(signer.published())
    items = [i for n in range(3) for i in log.intake(as_bytes(feedback(text=f"Jono {n}.")))]
    log.intake(b"{not json")
    log.whole_path(items[0])
    log.checkpoint()
    return log, items


def check(path: Path) -> Report:
    con = open_read_only(path)
    try:
        return verify(con)
    finally:
        con.close()


def tamper(path: Path, *sql: str) -> Path:
    con = duckdb.connect(str(path))
    for statement in sql:
        con.execute(statement)
    con.close()
    return path


def test_a_signed_store_passes(tmp_path: Path) -> None:
    log, _ = signed_log()
    report = check(log.write(tmp_path / "s.duckdb"))
    assert not report.failed, report.seals
    assert report.seals.valid == report.seals.checked == 3 * 3 + 7 + 1
    assert report.seals.covered == report.seals.checked and report.seals.not_yet_covered == 0


def test_an_unsigned_but_correctly_chained_event_is_forged(tmp_path: Path) -> None:
    log, items = signed_log()
    head = log.heads[items[1]]
    fake = seal(ItemAcknowledged(
        event_id=uuid.UUID(int=99), occurred_at=NOW, recorded_at=NOW, county="lappi",
        unit="rovaniemen-terveysasema", item_id=items[1], actor_role=ActorRole.LEADERSHIP),
        head)
    log.raw(T.lifecycle, fake.to_json_bytes())
    report = check(log.write(tmp_path / "s.duckdb"))
    assert not report.altered  # the SHA-256 chain holds
    assert report.failed
    assert [(f.event_id, f.seal.value) for f in report.seals.forged] == \
        [(str(fake.event_id), "unsigned")]
    assert report.seals.not_yet_covered == 0 and report.seals.shortfalls == []


def test_deleted_rows_fall_short_of_the_checkpoint(tmp_path: Path) -> None:
    log, items = signed_log()
    path = log.write(tmp_path / "s.duckdb")
    for name, sql, topic in (
        ("row", "delete from lifecycle where step = 'closed'; "
                "delete from events where event_type = 'item.closed'", T.lifecycle),
        ("item", f"delete from events where item_id = '{items[2]}'; "
                 f"delete from lifecycle where item_id = '{items[2]}'", T.lifecycle),
        ("dead", "delete from dead_letters", T.dead_letters),
    ):
        copy = tmp_path / f"{name}.duckdb"
        shutil.copy(path, copy)
        report = check(tamper(copy, sql))
        assert report.failed, name
        [short] = report.seals.shortfalls
        assert short.topic == topic and short.found < short.expected, name


def test_a_redelivered_copy_and_events_after_the_checkpoint(tmp_path: Path) -> None:
    log, _ = signed_log()
    # The worker crashed and wrote the item's last step again (same id, a later offset).
    again = [r for r in log.records if r.topic == T.lifecycle][-1]
    log.raw(T.lifecycle, again.value or b"")
    log.intake(as_bytes(feedback(text="Uusi.")))  # after the last checkpoint
    report = check(log.write(tmp_path / "s.duckdb"))
    assert not report.failed, report.seals
    assert report.seals.not_yet_covered == 3


def test_a_store_from_before_signing_is_not_checked(tmp_path: Path) -> None:
    log = Log()
    log.intake(as_bytes(feedback()))
    con = open_read_only(log.write(tmp_path / "s.duckdb"))
    try:
        report = check_seals(con)
    finally:
        con.close()
    assert report.unchecked and not report.failed


def test_a_rotated_key_keeps_old_events_verifiable(tmp_path: Path) -> None:
    old, new = MemorySigner(), MemorySigner()
    log, _ = signed_log(old)
    log.signer = new
    assert log.book is not None
    log.book.signer = new
    log.publish_key(new.published())
    log.intake(as_bytes(feedback(text="Uuden avaimen aikaan.")))
    log.checkpoint()
    report = check(log.write(tmp_path / "s.duckdb"))
    assert not report.failed, report.seals
    assert report.seals.keys == 2 and report.seals.not_yet_covered == 0
    con = open_read_only(tmp_path / "s.duckdb")
    try:
        only_new = check_seals(con, trusted={new.key_id: new.public()})
    finally:
        con.close()
    assert only_new.failed and {f.seal.value for f in only_new.forged} == {"unknown_key"}


def test_unsigned_events_from_before_signing_began_are_not_forged(tmp_path: Path) -> None:
    log = Log()  # a deployment from before signing
    old = log.intake(as_bytes(feedback(text="Vanha.")))
    signer = MemorySigner()
    log.signer, log.book = signer, CheckpointBook(signer, T)
    for (topic, partition), end in list(log._next.items()):  # where the partitions end
        if topic in (T.lifecycle, T.dead_letters):
            log.book.begin(topic, partition, end)
    log.publish_key(signer.published())
    log.intake(as_bytes(feedback(text="Uusi.")))
    log.step(old[0], ItemAcknowledged, NOW, actor_role=ActorRole.UNIT_MANAGER)
    log.checkpoint()
    fake = seal(ItemAcknowledged(
        event_id=uuid.UUID(int=98), occurred_at=NOW, recorded_at=NOW, county="lappi",
        unit="rovaniemen-terveysasema", item_id=old[0], actor_role=ActorRole.LEADERSHIP),
        log.heads[old[0]])
    path = log.write(tmp_path / "s.duckdb")
    report = check(path)
    assert not report.failed, report.seals
    assert report.seals.before_signing == 3 and report.seals.covered == 4
    log.raw(T.lifecycle, fake.to_json_bytes())  # unsigned, but after signing began
    report = check(log.write(tmp_path / "t.duckdb"))
    assert [f.event_id for f in report.seals.forged] == [str(fake.event_id)]
