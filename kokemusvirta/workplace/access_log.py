"""Writing the access log: every view of an item, signed, before the page is shown.

Why the workplace seals the views itself rather than the worker (schemas/access_log.py): a view
is not a step of the item's lifecycle and needs no guard's verdict, only a trail; sealing here
keeps the worker, its guard and its partitions as they are, and the page can wait for the
broker's acknowledgement of exactly the record it wrote (no round trip through a worker). Its
own principal (`P workplace`) may write `P access-log` and nothing else, and its own Ed25519 key
(`$KOKEMUSVIRTA_KEY_STORE/_workplace/`, kept like the worker's) signs only views: the verifier
takes views' keys from the access log and lifecycle keys from the keys topic, never across.

One writer per process keeps one chain: a lock orders the views, each is sent and acknowledged
(acks=all) before the next is sealed, so the partition holds the chain in its order. A write
whose fate is unknown (timeout, broken connection) ends the chain: the next view starts a new one
(new chain id, seq 0), so a view that arrived after all never forks a chain.

If the log cannot be written the page must not be shown (the rules require the trail):
`record_view` raises AccessLogUnavailable and the page answers 503 (`unavailable_page`).
"""

from __future__ import annotations

import logging
import secrets
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kafka import KafkaProducer

from kokemusvirta import kafka as kv_kafka
from kokemusvirta.settings import Settings
from kokemusvirta.signing_keys import SigningKeys, WorkerKey
from schemas.access import SystemRole
from schemas.access_log import (
    AccessLogKey,
    ItemViewed,
    Purpose,
    Viewer,
    new_view,
    sealed_view,
)

log = logging.getLogger("kokemusvirta.workplace")

KEY_FOLDER = "_workplace"
ACK_TIMEOUT_S = 5.0


class AccessLogUnavailable(Exception):
    """The view could not be logged; the page must not be shown."""


def workplace_keys(key_store: Path) -> SigningKeys:
    """The workplace's signing keys: a store of their own beside the worker's (`_signing`)."""
    keys = SigningKeys(key_store)
    keys.folder = key_store / KEY_FOLDER
    return keys


class AccessLogWriter:
    """Seals and sends views for one process. `settings` must connect as the workplace's
    principal (`for_workplace`)."""

    def __init__(self, settings: Settings, *, signer: WorkerKey | None = None,
                 ack_timeout_s: float = ACK_TIMEOUT_S) -> None:
        self.settings = settings
        self.topic = settings.topics.access_log
        self.signer = signer or workplace_keys(settings.key_store).active()
        self.ack_timeout_s = ack_timeout_s
        self._lock = threading.Lock()
        self._producer: KafkaProducer | None = None
        self._chain_id = ""
        self._seq = 0
        self._prev: str | None = None

    def _send(self, key: bytes, value: bytes) -> None:
        assert self._producer is not None
        self._producer.send(self.topic, key=key, value=value).get(timeout=self.ack_timeout_s)

    def _connect(self) -> KafkaProducer:
        bootstrap = kv_kafka.bootstrap_servers(self.settings, start_local=False)
        return kv_kafka.producer(self.settings, bootstrap)

    def _start_chain(self) -> None:
        if self._producer is None:
            self._producer = self._connect()
            published = self.signer.published()
            record = AccessLogKey(key_id=published.key_id, public_key=published.public_key,
                                  created_at=published.created_at)
            self._send(f"key:{record.key_id}".encode(), record.model_dump_json().encode())
        self._chain_id, self._seq, self._prev = secrets.token_hex(8), 0, None

    def _abandon(self) -> None:
        producer, self._producer, self._chain_id = self._producer, None, ""
        if producer is not None:
            try:
                producer.close(timeout=1)
            except Exception:
                log.debug("closing the access log's producer failed", exc_info=True)

    def record(self, viewer: Viewer, item_id: str, county: str, purpose: Purpose | str,
               reason: str | None = None, *, at: datetime | None = None) -> ItemViewed:
        """The view, sealed and acknowledged by the broker; AccessLogUnavailable otherwise.
        A bad argument (an item id, county or purpose the contract refuses) is a ValueError."""
        with self._lock:
            try:
                if not self._chain_id:
                    self._start_chain()
                view = sealed_view(
                    new_view(viewer, item_id, county, purpose, reason, at or datetime.now(UTC),
                             self._chain_id, self._seq), self._prev, self.signer)
            except ValueError:
                raise
            except Exception as exc:  # no broker, no key store …
                self._abandon()
                raise AccessLogUnavailable(f"access log not writable: {type(exc).__name__}") \
                    from exc
            try:
                self._send(self._chain_id.encode(), view.model_dump_json().encode())
            except Exception as exc:  # fate unknown: this chain ends here
                self._abandon()
                raise AccessLogUnavailable(f"access log not writable: {type(exc).__name__}") \
                    from exc
            self._seq, self._prev = self._seq + 1, view.chain_hash
            return view

    def close(self) -> None:
        with self._lock:
            self._abandon()


def for_workplace(settings: Settings) -> Settings:
    """`settings` connecting as the workplace's own principal: its client file
    `<prefix>workplace.properties` in KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR when that is set (as
    `kokemusvirta access grant workplace --out DIR/kv.workplace.properties` writes it); else on
    the local broker its principal, provisioned on first use; else the settings' own identity."""
    from kokemusvirta.access.local import as_principal
    from schemas.access import system_username

    folder = settings.workplace_client_dir
    if folder is not None:
        path = folder / f"{system_username(settings.topic_prefix, SystemRole.WORKPLACE)}.properties"
        if not path.is_file():
            raise AccessLogUnavailable("no client configuration for the workplace principal "
                                       "in KOKEMUSVIRTA_WORKPLACE_CLIENT_DIR")
        return settings.model_copy(update={"client_config": path})
    return as_principal(settings, SystemRole.WORKPLACE)


def writer_of(app_state: Any) -> AccessLogWriter:
    """The app's one writer (`app.state.access_log`), made on first use from
    `app.state.settings`."""
    writer = getattr(app_state, "access_log", None)
    if writer is None:
        try:
            writer = AccessLogWriter(for_workplace(app_state.settings))
        except Exception as exc:  # no broker to provision on, an unreadable key store …
            raise AccessLogUnavailable(f"access log not writable: {type(exc).__name__}") from exc
        app_state.access_log = writer
    return writer


def record_view(settings_or_request: Any, user: Viewer, item_id: str, county: str,
                purpose: Purpose | str, reason: str | None = None) -> ItemViewed:
    """Log that `user` viewed `item_id` of `county` (blocking until the broker acknowledges it).
    Pass the Starlette request (the app's writer is used) or Settings (a writer for this call,
    e.g. a command). Raises AccessLogUnavailable: then show `unavailable_page`, not the item."""
    if isinstance(settings_or_request, Settings):
        writer = AccessLogWriter(for_workplace(settings_or_request))
        try:
            return writer.record(user, item_id, county, purpose, reason)
        finally:
            writer.close()
    return writer_of(settings_or_request.app.state).record(user, item_id, county, purpose,
                                                           reason)


async def log_view(request: Any, user: Viewer, item_id: str, county: str,
                   purpose: Purpose | str, reason: str | None = None) -> ItemViewed:
    """`record_view` for a page handler: the blocking write in Starlette's thread pool, so
    other requests go on meanwhile. Same errors."""
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(record_view, request, user, item_id, county, purpose, reason)
