"""The classifier's data: its own labelled training texts and the trained theme model (a package
so that wheels ship them)."""
