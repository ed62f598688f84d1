"""The classifier's rule files, one per language (a package so that wheels ship them)."""
