-- Quality frame of `workshops`. Grain: one row per workshop.output_recorded event.
-- participants_do_not_add_up (NULL when fine): participants_total differs from the sum of the
-- participants_<role> columns (*COLUMNS('^participants_') lists every such column, the total
-- among them, hence "- participants_total").
WITH sums AS (
    SELECT *, list_sum(list_value(*COLUMNS('^participants_'))) - participants_total AS by_role
    FROM workshops
)
SELECT CAST(event_id AS VARCHAR) AS row_key,
    * EXCLUDE (by_role) REPLACE (CAST(event_id AS VARCHAR) AS event_id),
    CASE WHEN participants_total <> by_role
         THEN format('participants_total {} ≠ {}', participants_total, by_role) END
        AS participants_do_not_add_up
FROM sums
