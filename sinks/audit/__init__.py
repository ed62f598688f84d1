"""For auditors: trace one item's whole path, verify that no history was altered, and rebuild
the store as it was at a past moment by replaying the log."""
