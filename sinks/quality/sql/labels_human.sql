-- Quality frame of `labels_human`. Grain: one row per row of labels_human. The reason stays out
-- (a person's words: only its length, to check it is there); it is scanned for identifiers
-- separately. Derived, NULL when fine: unknown_themes (codes outside Theme), unknown_item_id
-- (not in knowledge_items), step_shape (a confirmation without its outcome and severity or
-- with themes or stance; a relabelling with an outcome, or giving no label).
SELECT CAST(h.event_id AS VARCHAR) AS row_key,
    h.* EXCLUDE (reason, themes),
    length(h.reason) AS reason_length,
    unknown_codes(h.themes, getvariable('themes')) AS unknown_themes,
    CASE WHEN NOT EXISTS (SELECT 1 FROM knowledge_items AS k WHERE k.item_id = h.item_id)
         THEN h.item_id END AS unknown_item_id,
    CASE WHEN h.step = 'severity_confirmed'
              AND (h.confirmation IS NULL OR h.severity IS NULL OR h.themes IS NOT NULL
                   OR h.stance IS NOT NULL)
             THEN 'severity_confirmed: confirmation and severity only'
         WHEN h.step = 'relabelled'
              AND (h.confirmation IS NOT NULL
                   OR (h.themes IS NULL AND h.stance IS NULL AND h.severity IS NULL))
             THEN 'relabelled: at least one label, no confirmation'
    END AS step_shape
FROM labels_human AS h
