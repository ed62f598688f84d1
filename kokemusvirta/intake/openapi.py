"""The intake API's OpenAPI 3.1 document, built from the events' own JSON Schemas.

OpenAPI 3.1 schemas are JSON Schema 2020-12, so pydantic's schemas go in as they are; only their
`$defs` move to `components/schemas` (one namespace for the three families).
"""

from __future__ import annotations

import json
from typing import Any

from kokemusvirta.intake.reading import FAMILIES, MAX_EVENTS
from schemas.knowledge import SourceFamily

#: Path → the family it takes, and what the operation is called.
ENDPOINTS: dict[str, tuple[str, str]] = {
    "/v1/feedback": (SourceFamily.FEEDBACK.value, "Submit clients' feedback"),
    "/v1/workshops": (SourceFamily.WORKSHOP_OUTPUT.value, "Submit workshop outputs"),
    "/v1/statements": (SourceFamily.EXPERT_STATEMENT.value,
                       "Submit experts by experience's statements"),
}
_REF = "#/components/schemas/{model}"


def _schemas() -> dict[str, Any]:
    components: dict[str, Any] = {}
    for model in FAMILIES.values():
        schema = model.model_json_schema(mode="validation", ref_template=_REF)
        components.update(schema.pop("$defs", {}))
        components[model.__name__] = schema
    components["Accepted"] = {
        "type": "object", "required": ["item_ids"],
        "properties": {"item_ids": {"type": "array", "items": {"type": "string"},
                                    "description": "The knowledge items the events become, "
                                    "in order (a workshop output: one per proposal)."}}}
    components["Problem"] = {
        "type": "object", "required": ["error"],
        "properties": {
            "error": {"type": "string", "description": "One line, in the language of "
                      "Accept-Language (fi, sv, en; Finnish by default)."},
            "problems": {"type": "array", "items": {
                "type": "object", "required": ["path", "problem", "message"],
                "properties": {
                    "path": {"type": "string", "description": "e.g. `text`, or in a list "
                             "`2.items.0.text`; `(root)` for the whole event"},
                    "problem": {"type": "string", "description": "machine-readable: "
                                "pydantic's error type or the contract's reason"},
                    "message": {"type": "string", "description": "the problem in words"}}}}}}
    return components


def _error(description: str, retry_after: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description, "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/Problem"}}}}
    if retry_after:
        out["headers"] = {"Retry-After": {"schema": {"type": "integer"},
                                          "description": "seconds"}}
    return out


def _operation(model: str, summary: str, max_body: int) -> dict[str, Any]:
    one = {"$ref": f"#/components/schemas/{model}"}
    return {"post": {
        "summary": summary,
        "description": "One event or a list of at most "
                       f"{MAX_EVENTS}, the JSON the schema defines (`event_type` may be left "
                       "out, `recorded_at` defaults to the time of receipt). Accepted only "
                       "once the broker has acknowledged every event. A feedback's "
                       "`client_id` is pseudonymised and its `contact` sealed before anything "
                       f"reaches Kafka. Body at most {max_body} bytes.",
        "parameters": [
            {"name": "Idempotency-Key", "in": "header", "required": False,
             "schema": {"type": "string", "pattern": "^[\\x21-\\x7e]{1,200}$"},
             "description": "A retry with the same key publishes nothing new and gets the "
                            "same answer (keys are kept 24 h by default); the same key with "
                            "another body is 422."},
            {"name": "Accept-Language", "in": "header", "required": False,
             "schema": {"type": "string"}, "description": "fi (default), sv or en"}],
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "oneOf": [one, {"type": "array", "items": one, "minItems": 1,
                            "maxItems": MAX_EVENTS}]}}}},
        "responses": {
            "202": {"description": "Accepted: the broker has every event.",
                    "headers": {"Idempotent-Replayed": {
                        "schema": {"type": "string"},
                        "description": "`true` when this repeats an earlier answer"}},
                    "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Accepted"}}}},
            "400": _error("Every problem of every event, with its path"),
            "413": _error("The body is over the size limit"),
            "415": _error("The body is not JSON (Content-Type)"),
            "422": _error("The Idempotency-Key was used for another request, or is malformed"),
            "429": _error("Too many requests from this client", retry_after=True),
            "500": _error("Unexpected error: nothing was accepted"),
            "503": _error("The broker did not acknowledge: nothing was accepted",
                          retry_after=True)}}}


def openapi_document(max_body_bytes: int = 1_048_576) -> dict[str, Any]:
    paths: dict[str, Any] = {
        path: _operation(FAMILIES[family].__name__, summary, max_body_bytes)
        for path, (family, summary) in ENDPOINTS.items()}
    paths["/v1/health"] = {"get": {"summary": "Whether the service is up and the broker "
                                              "connected", "responses": {
        "200": {"description": "up; `broker` says whether the producer is connected"}}}}
    paths["/v1/openapi.json"] = {"get": {"summary": "This document", "responses": {
        "200": {"description": "OpenAPI 3.1"}}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Kokemusvirta intake API", "version": "1",
                 "description": "Clients' feedback, workshop outputs and experts by "
                                "experience's statements into Kokemusvirta, as the intake "
                                "gateway. Per-client rate limit: 429 with Retry-After."},
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": paths,
        "components": {"schemas": _schemas()},
    }


def openapi_text(max_body_bytes: int = 1_048_576) -> str:
    return json.dumps(openapi_document(max_body_bytes), indent=2, ensure_ascii=False) + "\n"
