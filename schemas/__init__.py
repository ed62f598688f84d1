"""Event schemas: pydantic v2 models on one envelope, JSON Schema export, upcasters."""
