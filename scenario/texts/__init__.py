"""Data for the synthetic scenario: the organisation and text fragments; no logic.

One module per family: organisation, cores_fi/sv/en/se (one per language), fragments, people and
participation (workshops, decisions, statements).

Feedback texts are assembled from fragments: an optional opener, one or two *cores*, an optional
detail sentence and an optional closer, plus sentences carrying personal data. Cores are what the
classifier has to understand; they are written per language and per theme of
docs/taxonomy.md, under a key that fixes stance and severity:

    praise, suggestion, question           -> that stance, severity none
    low, medium, high, critical            -> stance complaint with that severity

"{a|b|c}" is replaced by one of the alternatives (same meaning, more variety; no placeholders inside).
A core may start with tags in brackets, separated by spaces:
    perus ika sos mt lp   only for that service area (perusterveydenhuolto, ikaantyneiden-palvelut,
                          sosiaalipalvelut, mielenterveys-ja-paihde, lapsiperheiden-palvelut)
    +theme                an additional theme the text is about

Placeholders: {staff}/{Staff} a worker of the service area (sometimes with a name), {doctor}/{Doctor},
{rel}/{Rel} the close one ("äitini"; Finnish nominative = genitive), {rel_all}/{Rel_all} its
allative ("äidilleni"), {h} hours, {d} days, {w} weeks, {m} months, {min} minutes, {km} kilometres,
{eur} euros, {n} a small count, {res} residents, {wd} a weekday. A core with {rel} is only used when
a close one gives the feedback. Critical cores always concern safety.
"""
