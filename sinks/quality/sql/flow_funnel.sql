-- Quality frame of a funnel view, getvariable('relation'): flow_funnel (one row per county ×
-- service area × unit × source family × channel × month of receipt) or flow_funnel_by_theme
-- (the same × theme). Grain: the view's own. row_key joins the group's dimensions.
-- count_above_received (NULL when fine): the milestone counts larger than the group's received.
SELECT concat_ws('|', *COLUMNS(lambda c: c NOT IN ('received', 'acknowledged',
        'reached_leadership', 'reached_decision_makers', 'decided', 'returned', 'closed')))
        AS row_key,
    *,
    nullif(concat_ws(', ',
        CASE WHEN acknowledged > received THEN 'acknowledged' END,
        CASE WHEN reached_leadership > received THEN 'reached_leadership' END,
        CASE WHEN reached_decision_makers > received THEN 'reached_decision_makers' END,
        CASE WHEN decided > received THEN 'decided' END,
        CASE WHEN returned > received THEN 'returned' END,
        CASE WHEN closed > received THEN 'closed' END), '') AS count_above_received
FROM query_table(getvariable('relation'))
