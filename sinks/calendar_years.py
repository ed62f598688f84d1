"""The years the store's working-day calendar covers (sinks/calendar.py writes it).

Generous, so that replays of old history and long-running deadlines stay inside it. A date
outside it has no working-day number: the views then show NULL rather than a wrong count.
A module of its own so that a reader that only needs the range (managers/inbox.py) does not
import pyarrow with the calendar's writer."""

FIRST_YEAR = 2010
LAST_YEAR = 2045
