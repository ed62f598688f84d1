-- Chart: who took part: workshop participants by role, and expert statements by author role.
-- Grain: one row per kind × role, every role present (0 when none):
--   kind 'workshop_participants': role per schemas/workshop.py ParticipantRole
--     (developer_client, expert_by_experience, client, close_one, staff, other);
--   kind 'statement_authors': role per schemas/statement.py AuthorRole
--     (expert_by_experience, developer_client_group, influence_body).
-- Columns: kind, role_order, role, participants (attendances of the role in workshops: a
--   person at four meetings counts four times; NULL for statements), workshops (workshops the
--   role attended; for statements NULL), statements (statements issued; NULL for workshops),
--   suppressed.
-- Parameters: $county, $service_area, $unit, $period_start, $period_end (workshops: month
--   held; statements: month received); NULL = all. No theme.
-- Suppression: 1-4 participants (or statements) show the row's figures NULL, suppressed = true.
WITH chosen_workshops AS (
    SELECT * FROM workshops
    WHERE ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL OR date_trunc('month', held_on) >= $period_start)
      AND ($period_end IS NULL OR date_trunc('month', held_on) <= $period_end)
),
attendance AS (
    SELECT r.role, sum(r.n) AS participants, count(*) FILTER (WHERE r.n > 0) AS workshops
    FROM chosen_workshops AS w,
    LATERAL (VALUES
        ('developer_client', w.participants_developer_client),
        ('expert_by_experience', w.participants_expert_by_experience),
        ('client', w.participants_client),
        ('close_one', w.participants_close_one),
        ('staff', w.participants_staff),
        ('other', w.participants_other)
    ) AS r(role, n)
    GROUP BY r.role
),
statements AS (
    SELECT author_role AS role, count(*) AS statements
    FROM knowledge_items
    WHERE source_family = 'expert_statement'
      AND ($county IS NULL OR county = $county)
      AND ($service_area IS NULL OR service_area = $service_area)
      AND ($unit IS NULL OR unit = $unit)
      AND ($period_start IS NULL
           OR date_trunc('month', fi_date(received_at)) >= $period_start)
      AND ($period_end IS NULL OR date_trunc('month', fi_date(received_at)) <= $period_end)
    GROUP BY author_role
),
roles(kind, role_order, role) AS (
    VALUES ('workshop_participants', 1, 'developer_client'),
           ('workshop_participants', 2, 'expert_by_experience'),
           ('workshop_participants', 3, 'client'),
           ('workshop_participants', 4, 'close_one'),
           ('workshop_participants', 5, 'staff'),
           ('workshop_participants', 6, 'other'),
           ('statement_authors', 1, 'expert_by_experience'),
           ('statement_authors', 2, 'developer_client_group'),
           ('statement_authors', 3, 'influence_body')
),
joined AS (
    SELECT r.kind, r.role_order, r.role,
        CASE WHEN r.kind = 'workshop_participants' THEN coalesce(a.participants, 0) END
            AS participants,
        CASE WHEN r.kind = 'workshop_participants' THEN coalesce(a.workshops, 0) END
            AS workshops,
        CASE WHEN r.kind = 'statement_authors' THEN coalesce(s.statements, 0) END
            AS statements
    FROM roles AS r
    LEFT JOIN attendance AS a ON r.kind = 'workshop_participants' AND a.role = r.role
    LEFT JOIN statements AS s ON r.kind = 'statement_authors' AND s.role = r.role
),
judged AS (
    SELECT *, is_small_group(coalesce(participants, statements)) AS suppressed FROM joined
)
SELECT kind, role_order, role,
    CASE WHEN NOT suppressed THEN participants END AS participants,
    CASE WHEN NOT suppressed THEN workshops END AS workshops,
    CASE WHEN NOT suppressed THEN statements END AS statements,
    suppressed
FROM judged
ORDER BY kind DESC, role_order;
