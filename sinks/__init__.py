"""The DuckDB sink: consumes every topic, writes tables and projections, publishes snapshots."""
