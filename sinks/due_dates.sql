-- Every deadline's due date for every start day of the calendar (deadline_due_dates, see
-- views.sql), from the deadlines and calendar_days tables. Run by the sink at every start,
-- after both are written: a due date is the amount-th working day after the start day, or the
-- start day + amount calendar days moved to the next working day when that is not one (the
-- first working day on or after a day x has the number of x - 1 day plus one), as fi_due_date.
DELETE FROM deadline_due_dates;

INSERT INTO deadline_due_dates
SELECT d.deadline, s.day AS start_on, c.day AS due_on
FROM deadlines AS d
CROSS JOIN calendar_days AS s
LEFT JOIN calendar_days AS e ON e.day = s.day + CAST(d.amount AS INTEGER) - 1
JOIN calendar_days AS c
    ON c.is_working_day AND c.working_day_number = CASE d.unit
        WHEN 'working_days' THEN s.working_day_number + d.amount
        WHEN 'calendar_days' THEN e.working_day_number + 1 END;
