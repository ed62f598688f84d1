"""The intake API's endpoints: POST /v1/feedback, /v1/workshops, /v1/statements, GET /v1/health,
GET /v1/openapi.json. Thin: reading and deciding are in reading.py, problems.py, the gateway.

Every answer other than 202 is JSON with one line, `error`, in the language of Accept-Language
(fi by default, sv, en), and for a 400 `problems`: each field problem with its path.
"""

from __future__ import annotations

from typing import Any, Protocol

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from kokemusvirta.intake.gateway import BrokerUnavailable, KeyReused, Submitted
from kokemusvirta.intake.idempotency import valid_key
from kokemusvirta.intake.openapi import ENDPOINTS, openapi_document
from kokemusvirta.intake.problems import Problem, headline, language_of
from kokemusvirta.intake.ratelimit import retry_after_header
from kokemusvirta.intake.reading import Invalid, payloads_of


class Gateway(Protocol):
    """What the endpoints need of IntakeGateway (tests give a fake)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def submit(self, family: str, payloads: list[dict[str, Any]], *,
                     idempotency_key: str | None, client: str) -> Submitted: ...


def client_of(request: Request) -> str:
    """Whom the rate limit and the idempotency keys belong to: the remote address."""
    return request.client.host if request.client else "unknown"


def error(kind: str, status: int, language: str, *, headers: dict[str, str] | None = None,
          problems: list[Problem] | None = None, **values: object) -> JSONResponse:
    body: dict[str, Any] = {"error": headline(kind, language, **values)}
    if problems is not None:
        body["problems"] = [p.as_json(language) for p in problems]
    return JSONResponse(body, status, headers={"Content-Language": language, **(headers or {})})


def _is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/")
                                            and media.endswith("+json"))


def submitter(family: str) -> Any:
    async def submit(request: Request) -> Response:
        language = language_of(request.headers.get("accept-language"))
        if not _is_json(request.headers.get("content-type")):
            return error("media_type", 415, language)
        key = request.headers.get("idempotency-key")
        if key is not None and not valid_key(key):
            return error("bad_key", 422, language)
        gateway: Gateway = request.app.state.gateway
        try:
            payloads = payloads_of(await request.body())
            done = await gateway.submit(family, payloads, idempotency_key=key,
                                        client=client_of(request))
        except Invalid as bad:
            return error("invalid", 400, language, problems=bad.problems, n=len(bad.problems))
        except KeyReused:
            return error("key_reused", 422, language)
        except BrokerUnavailable as away:
            retry = retry_after_header(away.retry_after_s)
            return error("unavailable", 503, language, headers={"Retry-After": retry},
                         retry=retry)
        headers = {"Idempotent-Replayed": "true"} if done.replay else {}
        return JSONResponse({"item_ids": done.item_ids}, 202, headers=headers)

    return submit


async def health(request: Request) -> Response:
    gateway = request.app.state.gateway
    return JSONResponse({"status": "ok", "broker": bool(getattr(gateway, "connected", False))})


async def openapi(request: Request) -> Response:
    return JSONResponse(openapi_document(request.app.state.settings.intake_max_body_bytes))


def routes() -> list[Route]:
    return [
        *(Route(path, submitter(family), methods=["POST"])
          for path, (family, _) in ENDPOINTS.items()),
        Route("/v1/health", health, methods=["GET"]),
        Route("/v1/openapi.json", openapi, methods=["GET"]),
    ]
