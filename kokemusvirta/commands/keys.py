"""`kokemusvirta keys public` and `keys rotate`: the worker's signing keys
(kokemusvirta/signing_keys.py).

`public` prints every public key, one JSON object a line, the same records as on the keys
topic: auditors keep this output and give it to `verify --keys FILE`. `rotate` makes a new
active key; the old keys stay, so what they signed stays verifiable. The running worker signs
with the key it started with until it is restarted, and publishes every key when it starts.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kokemusvirta.settings import Settings


def cmd_keys_public(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.signing_keys import SigningKeys

    store = SigningKeys(settings.key_store)
    keys = store.all()
    if not keys:
        print("kokemusvirta: ei allekirjoitusavaimia (no signing keys) in "
              f"{store.folder}: the worker makes one when it first starts, or run "
              "`kokemusvirta keys rotate`", file=sys.stderr, flush=True)
        return 2
    for key in keys:
        print(key.published().model_dump_json(), flush=True)
    return 0


def cmd_keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    from kokemusvirta.signing_keys import SigningKeys

    store = SigningKeys(settings.key_store)
    old = store.active_id()
    new = store.rotate()
    print(f"uusi allekirjoitusavain (new signing key) {new.key_id} is active"
          + (f"; {old} and older keys are kept" if old else "")
          + ". Restart the worker to sign with it; it publishes every public key at start.",
          flush=True)
    return 0


def register(sub: Any, fmt: type[argparse.HelpFormatter]) -> None:
    k = sub.add_parser(
        "keys", help="the worker's signing keys: print the public ones, rotate",
        description="The worker signs every lifecycle event, dead letter and checkpoint with "
        "an Ed25519 key kept in the key store (KOKEMUSVIRTA_KEY_STORE/_signing, 0700/0600). "
        "`keys public` prints the public keys for auditors (one JSON object a line; "
        "`verify --keys FILE` trusts only them); `keys rotate` makes a new active key and "
        "keeps the old ones.", formatter_class=fmt)
    ks = k.add_subparsers(dest="keys_command", required=True, metavar="{public,rotate}")
    ks.add_parser("public", help="print every public key, one JSON object a line",
                  formatter_class=fmt).set_defaults(func=cmd_keys_public)
    ks.add_parser("rotate", help="make a new active signing key (old ones are kept)",
                  formatter_class=fmt).set_defaults(func=cmd_keys_rotate)
