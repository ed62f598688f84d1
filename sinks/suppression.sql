-- Small-group suppression: the one rule every published count follows, and its one threshold.
-- Grain: none; scalar macros, one value for each value given.
--
-- A group of 1 to 4 items or people could identify a person, so no figure of such a group is
-- published (the dashboards write "alle 5" instead). 0 is shown: nobody is in it. The chart
-- queries (dashboards/queries/*.sql) and rates_by (sinks/analytics.sql) suppress through these
-- macros, so the threshold is written here only; the dashboards' label "alle 5" says it in
-- words (tests/unit/sinks/test_suppression.py holds the two together).
--
-- Created by the sink in the store, not TEMP: every reader of the published snapshot (the
-- dashboards, `kokemusvirta query`, an analyst's own duckdb) has them without setting anything
-- up. Run by sinks/store.py before views.sql; they depend on nothing.

-- The threshold: a group of fewer than this many items or people is suppressed.
CREATE OR REPLACE MACRO small_group_limit() AS 5;

-- Whether a group of n is small: 1 <= n < small_group_limit(). False for 0, NULL for NULL.
CREATE OR REPLACE MACRO is_small_group(n) AS n BETWEEN 1 AND small_group_limit() - 1;

-- A figure as it may be published: NULL when its group is small. suppress_small(n) is the
-- group's own count; suppress_small(value, n) any figure of a group of n (a count of some of
-- its items, a share, a median, a list).
CREATE OR REPLACE MACRO suppress_small(n) AS CASE WHEN NOT is_small_group(n) THEN n END,
    (value, n) AS CASE WHEN NOT is_small_group(n) THEN value END;
