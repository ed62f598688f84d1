"""The quality frames' SQL (one file per suite, each stating its grain) and shared macros."""
