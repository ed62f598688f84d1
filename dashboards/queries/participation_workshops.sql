-- Chart: participation: workshops and developer-client group meetings by month and forum type.
-- Grain: one row per month the workshop was held × forum_type (structural | pop_up | digital).
-- Columns: month_held (DATE, first day), month ('YYYY-MM'), forum_type, workshops (workshop
--   meetings and forums recorded), meetings (of them, meetings of a developer-client group),
--   groups (distinct developer-client groups that met), output_items (ideas and proposals
--   recorded, each a knowledge item), participants (attendances: a person at two meetings
--   counts twice; facilitators not included), developer_clients (their attendances),
--   suppressed.
-- From the workshops table (one row per workshop.output_recorded event).
-- Parameters: $county, $service_area, $unit (workshops of no unit, e.g. digital forums, only
--   without $unit), $period_start, $period_end (on the month held); NULL = all. No theme.
-- Suppression: a row with 1-4 participants shows participants, developer_clients and
--   output_items NULL, suppressed = true; a developer_clients figure of 1-4 is NULL by itself.
WITH chosen AS (
    SELECT *, CAST(date_trunc('month', held_on) AS DATE) AS month_held
    FROM workshops
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR date_trunc('month', held_on) >= $period_start)
      AND ($period_end IS NULL OR date_trunc('month', held_on) <= $period_end)
),
counted AS (
    SELECT month_held, forum_type,
        count(*) AS workshops,
        count(*) FILTER (WHERE group_id IS NOT NULL) AS meetings,
        count(DISTINCT group_id) AS groups,
        sum(output_items) AS output_items,
        sum(participants_total) AS participants,
        sum(participants_developer_client) AS developer_clients
    FROM chosen
    GROUP BY ALL
)
SELECT month_held, strftime(month_held, '%Y-%m') AS month, forum_type, workshops, meetings,
    groups,
    suppress_small(output_items, participants) AS output_items,
    suppress_small(participants) AS participants,
    suppress_small(suppress_small(developer_clients), participants) AS developer_clients,
    is_small_group(participants) AS suppressed
FROM counted
ORDER BY month_held,
    CASE forum_type WHEN 'structural' THEN 1 WHEN 'pop_up' THEN 2 ELSE 3 END;
