"""`kokemusvirta chaos`: the fault suite (issue 11), as Kafka's system tests and Jepsen do it.

- `oracle`: pure; compares the store after the faults with a clean reference and with what was
  published, and formats the table and the final line.
- `poison`: the poison records, each with the outcome it must have.
- `reference`: reads back what Kafka holds, projects it through the worker's and the sink's pure
  code in-process (no Kafka, no processes), and summarises a store for the oracle.
- `faults`: SIGKILL, SIGSTOP/SIGCONT of the worker and the sink; SIGKILL and restart of the broker.
- `run`: the rounds and the poison set on their own topic prefix, groups and store.
"""
