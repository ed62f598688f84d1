"""Codes of docs/taxonomy.md. Codes are stable identifiers; labels are shown to people."""

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


THEME_LABELS_FI: dict[Theme, str] = {
    Theme.QUALITY: "Hoidon ja palvelun laatu",
    Theme.SAFETY: "Turvallisuus",
    Theme.ENVIRONMENT: "Tilat ja resurssit",
    Theme.ACCESS: "Saatavuus ja odottaminen",
    Theme.COORDINATION: "Palveluketjut ja yhteensovitus",
    Theme.DIGITAL: "Digitaaliset palvelut",
    Theme.FEES: "Maksut ja etuudet",
    Theme.LISTENING: "Kuulluksi tuleminen ja osallisuus",
    Theme.COMMUNICATION: "Tiedonkulku ja viestintä",
    Theme.RESPECT: "Kohtaaminen ja kunnioitus",
}
