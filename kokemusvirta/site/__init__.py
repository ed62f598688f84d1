""""You said, we did" as a public static site (`kokemusvirta publish-site OUT/`): an index per
county, a page per unit with its pairs (managers/you_said.py) in Finnish and Swedish, an Atom
feed per unit and page language, and the county's open data with small groups suppressed.

The builders (`pages.py`, `atom.py`, `opendata.py`) are pure; `publish.py` reads the store and
writes the files. Only public things go out: redacted words of big enough groups, rationales,
public references (hashes), suppressed figures; never item ids, pseudonyms, contacts or staff.
"""
