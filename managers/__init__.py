"""The unit managers' desk: the inbox, lifecycle requests and their verdicts, the "you said, we
did" digest and the weekly signals for leadership."""
