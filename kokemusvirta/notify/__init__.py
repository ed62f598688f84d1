"""The notifier (issue 15): delivers answers to clients and tells staff, each as a lifecycle
side step the worker's guard accepts from the notifier's own request topic.

- `publisher.py` asks for the steps (as the notifier principal), `mail.py` sends SMTP,
  `mailbox.py` is the local mail server of the demo and the tests, `ledger.py` keeps each send
  to once across restarts, `service.py` runs the rounds.
- The rounds: `ROUNDS`, run in this order by `kokemusvirta notify run`. A part that adds a round
  appends it here.
"""

from __future__ import annotations

from kokemusvirta.notify.delivery import delivery_round
from kokemusvirta.notify.service import Round
from kokemusvirta.notify.staff_round import staff_round

ROUNDS: tuple[Round, ...] = (delivery_round, staff_round)
