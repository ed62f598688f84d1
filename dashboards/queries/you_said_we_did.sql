-- Chart: "Sanoitte, me teimme" (you said, we did), the public page.
-- Grain: one row per theme (NULL: items without a theme); an item counts under each of its
--   themes; with $theme, only that theme's row.
-- Columns: theme, items (client knowledge items received: feedback, workshop outputs and
--   statements), feedback_items (of them, feedback), decided, adopted, partly, rejected,
--   no_action_needed, already_under_way (decided items by the first decision's outcome),
--   returned (returned to the client, the group, the expert or published),
--   example_rationales (up to 3 different rationales that managers and decision-makers wrote
--   for their decisions, newest decision first; VARCHAR[]), suppressed.
-- Never clients' words: the rationale is the decider's. Show the rationales through
--   schemas.redaction.redact, as managers/digest.py does, in case a name or a number
--   slipped into one.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (on month_received),
--   $theme; NULL = all.
-- Suppression: a theme of fewer than 5 items shows every figure and the rationales NULL,
--   suppressed = true.
WITH chosen AS NOT MATERIALIZED (
    SELECT * FROM item_milestones
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR month_received >= $period_start)
      AND ($period_end IS NULL OR month_received <= $period_end)
      AND ($theme IS NULL OR list_contains(themes, $theme))
),
by_theme_list AS (  -- counted per list of themes first, then spread over its themes
    -- (grouped by the list's hash: comparing a million lists whole costs twice as much)
    SELECT any_value(themes) AS themes,
        count(*) AS items,
        count(*) FILTER (WHERE source_family = 'feedback') AS feedback_items,
        count(decided_at) AS decided,
        count(*) FILTER (WHERE outcome = 'adopted') AS adopted,
        count(*) FILTER (WHERE outcome = 'partly') AS partly,
        count(*) FILTER (WHERE outcome = 'rejected') AS rejected,
        count(*) FILTER (WHERE outcome = 'no_action_needed') AS no_action_needed,
        count(*) FILTER (WHERE outcome = 'already_under_way') AS already_under_way,
        count(returned_at) AS returned
    FROM chosen
    GROUP BY hash(themes)
),
counted AS (
    SELECT theme,
        sum(items) AS items, sum(feedback_items) AS feedback_items, sum(decided) AS decided,
        sum(adopted) AS adopted, sum(partly) AS partly, sum(rejected) AS rejected,
        sum(no_action_needed) AS no_action_needed,
        sum(already_under_way) AS already_under_way, sum(returned) AS returned
    FROM (SELECT *, unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                                ELSE themes END) AS theme
          FROM by_theme_list)
    WHERE $theme IS NULL OR theme = $theme
    GROUP BY theme
),
rationales AS (  -- each rationale once, at its newest decision; the three newest per theme
    SELECT theme, list(decision_rationale ORDER BY last_decided DESC, decision_rationale)
        AS example_rationales
    FROM (
        SELECT theme, decision_rationale, max(last_decided) AS last_decided
        FROM (
            SELECT unnest(CASE WHEN len(coalesce(themes, [])) = 0 THEN [NULL::VARCHAR]
                               ELSE themes END) AS theme,
                decision_rationale, last_decided
            FROM (SELECT any_value(themes) AS themes, decision_rationale,
                      max(decided_at) AS last_decided
                  FROM chosen WHERE decision_rationale IS NOT NULL
                  GROUP BY hash(themes), decision_rationale)
        )
        WHERE $theme IS NULL OR theme = $theme
        GROUP BY theme, decision_rationale
        QUALIFY row_number() OVER (PARTITION BY theme
                                   ORDER BY max(last_decided) DESC, decision_rationale) <= 3
    )
    GROUP BY theme
)
SELECT c.theme,
    suppress_small(c.items) AS items,
    suppress_small(c.feedback_items, c.items) AS feedback_items,
    suppress_small(c.decided, c.items) AS decided,
    suppress_small(c.adopted, c.items) AS adopted,
    suppress_small(c.partly, c.items) AS partly,
    suppress_small(c.rejected, c.items) AS rejected,
    suppress_small(c.no_action_needed, c.items) AS no_action_needed,
    suppress_small(c.already_under_way, c.items) AS already_under_way,
    suppress_small(c.returned, c.items) AS returned,
    suppress_small(r.example_rationales, c.items) AS example_rationales,
    is_small_group(c.items) AS suppressed
FROM counted AS c
LEFT JOIN rationales AS r ON r.theme IS NOT DISTINCT FROM c.theme
ORDER BY is_small_group(c.items), c.items DESC, c.theme NULLS LAST;
