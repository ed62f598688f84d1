"""Codes of docs/taxonomy.md. Codes are stable identifiers; their words, shown to people,
are in schemas/vocabulary.py."""

from __future__ import annotations

from enum import StrEnum


class Theme(StrEnum):
    QUALITY = "quality"
    SAFETY = "safety"
    ENVIRONMENT = "environment"
    ACCESS = "access"
    COORDINATION = "coordination"
    DIGITAL = "digital"
    FEES = "fees"
    LISTENING = "listening"
    COMMUNICATION = "communication"
    RESPECT = "respect"


class Stance(StrEnum):
    PRAISE = "praise"
    COMPLAINT = "complaint"
    SUGGESTION = "suggestion"
    QUESTION = "question"
    MIXED = "mixed"


class Severity(StrEnum):
    NONE = "none"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return list(Severity).index(self)

