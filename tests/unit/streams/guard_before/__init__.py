"""The guard's state book before its states were packed (issue 13, commit b7b9718), kept for
tests/unit/streams/test_packed_states_differential.py: guard_state.py as it was, its states
`ItemState` values in a dict (streams/lifecycle.py and streams/guard.py are unchanged)."""
