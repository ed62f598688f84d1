"""Staff sign-in through the county's OpenID Connect provider: authlib's Starlette client, the
authorization code flow with state, nonce and PKCE (S256).

`/kirjaudu/oidc` keeps where to go after sign-in and sends the browser to the provider;
`/kirjaudu/oidc/paluu` takes the provider's answer: the state must be the one this session
sent (else refused: a forged or replayed answer), the code is exchanged for tokens with the
client secret and the PKCE verifier, and the ID token is checked against the provider's
discovery document and JWKS — signature, issuer, audience (this client), expiry and issue time,
and the nonce this session sent. The person is then mapped to one role and scope
(oidc_mapping.py); without one they get a 403 page, "no role in Kokemusvirta", and no session.

The state, nonce and PKCE verifier wait in the signed session cookie between the two requests
(authlib keeps them there) and are dropped when the answer comes back, used or not. Every
failure is one page in the user's language; the log names the reason, never the person.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import httpx
from authlib.common.errors import AuthlibBaseError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from kokemusvirta.settings import Settings
from kokemusvirta.workplace.app import lang_of, message_page
from kokemusvirta.workplace.i18n import register_texts
from kokemusvirta.workplace.oidc_mapping import (
    Grant,
    MappingError,
    NoRole,
    check_issuer,
    check_scopes,
    grant_for,
    parse_users_file,
    same_issuer,
    staff_user,
    with_userinfo,
)
from kokemusvirta.workplace.sessions import safe_next, sign_in, sign_out

with warnings.catch_warnings():
    # authlib 1.9 prefers the httpx2 package and says so on every start when it falls back to
    # httpx (which it still supports): noise in the serve command's output, not a fault.
    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, OAuthError
    from authlib.integrations.starlette_client.apps import StarletteOAuth2App

log = logging.getLogger("kokemusvirta.workplace.oidc")


def _token_errors() -> tuple[type[Exception], ...]:
    """What a bad ID token raises: authlib 1.6+ checks it with joserfc, older ones with their
    own jose (an AuthlibBaseError)."""
    try:
        from joserfc.errors import JoseError
    except ImportError:
        return (AuthlibBaseError,)
    return (JoseError, AuthlibBaseError)


def _http_errors() -> tuple[type[Exception], ...]:
    """What a provider that cannot be reached raises: httpx's errors, or httpx2's when authlib
    finds that package installed and uses it instead."""
    try:
        import httpx2  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return (httpx.HTTPError,)
    return (httpx.HTTPError, httpx2.HTTPError)


UNREACHABLE = _http_errors()
# A token, a discovery document or a UserInfo answer that does not pass: refused, not trusted.
NOT_ACCEPTED: tuple[type[Exception], ...] = (*_token_errors(), MappingError, ValueError)
PROVIDER = "county"  # authlib's name for the client (its session keys start _state_county_)
NEXT = "oidc_next"
LEEWAY_S = 60  # clock difference allowed with the provider on exp/iat
TIMEOUT_S = 10.0
ERROR_CODE = re.compile(r"^[a-z_]{1,40}$")  # OAuth error codes (RFC 6749 4.1.2.1)

TEXTS: dict[str, dict[str, str]] = {
    "oidc_failed_title": {"fi": "Kirjautuminen ei onnistunut", "sv": "Inloggningen misslyckades",
                          "en": "Sign-in did not succeed"},
    "oidc_state_text": {
        "fi": "Kirjautuminen vanhentui tai sen vastaus ei kuulunut tähän selaimeen. "
              "Aloita kirjautuminen uudelleen.",
        "sv": "Inloggningen gick ut eller svaret hörde inte till den här webbläsaren. "
              "Börja om inloggningen.",
        "en": "The sign-in expired or its answer did not belong to this browser. "
              "Start signing in again."},
    "oidc_denied_text": {
        "fi": "Tunnistuspalvelu ei vahvistanut kirjautumista. Voit yrittää uudelleen.",
        "sv": "Identifieringstjänsten bekräftade inte inloggningen. Du kan försöka igen.",
        "en": "The identity provider did not confirm the sign-in. You may try again."},
    "oidc_invalid_text": {
        "fi": "Tunnistuspalvelun vastausta ei voitu varmentaa. Kerro asiasta ylläpidolle.",
        "sv": "Identifieringstjänstens svar kunde inte verifieras. Meddela administratören.",
        "en": "The identity provider's answer could not be verified. Tell the administrator."},
    "oidc_unreachable_text": {
        "fi": "Tunnistuspalveluun ei saatu yhteyttä. Yritä hetken kuluttua uudelleen.",
        "sv": "Identifieringstjänsten kunde inte nås. Försök igen om en stund.",
        "en": "The identity provider could not be reached. Try again in a moment."},
    "oidc_no_role_title": {"fi": "Ei roolia Kokemusvirrassa", "sv": "Ingen roll i Kokemusvirta",
                           "en": "No role in Kokemusvirta"},
    "oidc_no_role_text": {
        "fi": "Tunnistauduit, mutta sinulle ei ole annettu roolia Kokemusvirrassa. "
              "Pyydä roolia esihenkilöltäsi tai ylläpidolta.",
        "sv": "Du identifierades, men du har ingen roll i Kokemusvirta. "
              "Be din chef eller administratören om en roll.",
        "en": "You were identified, but you have no role in Kokemusvirta. "
              "Ask your manager or the administrator for one."},
}
register_texts(TEXTS)


@dataclass
class OidcSignIn:
    """What `app.state.oidc` holds when the provider is configured."""

    issuer: str
    client: StarletteOAuth2App
    role_claim: str | None
    users: dict[str, Grant]
    pseudonym_key: bytes
    redirect_uri: str | None = None
    _checked: bool = field(default=False, repr=False)

    async def metadata(self) -> dict[str, Any]:
        """The discovery document, fetched once; its issuer must be the configured one."""
        metadata: dict[str, Any] = await self.client.load_server_metadata()
        if not self._checked:
            if not same_issuer(self.issuer, metadata.get("issuer")):
                raise MappingError("the provider's discovery document names another issuer")
            self._checked = True
        return metadata


def oidc_from_settings(settings: Settings) -> OidcSignIn | None:
    """The sign-in when KOKEMUSVIRTA_OIDC_ISSUER is set, else None; MappingError (one line)
    for a configuration that cannot work. create_app sets `app.state.oidc` to it."""
    from kokemusvirta.keystore import pseudonym_key

    if not settings.oidc_issuer:
        return None
    issuer = check_issuer(settings.oidc_issuer)
    if not settings.oidc_client_id or settings.oidc_client_secret is None:
        raise MappingError("KOKEMUSVIRTA_OIDC_ISSUER needs KOKEMUSVIRTA_OIDC_CLIENT_ID and "
                           "KOKEMUSVIRTA_OIDC_CLIENT_SECRET (the workplace's client at it)")
    if not settings.oidc_role_claim and settings.oidc_users is None:
        raise MappingError("KOKEMUSVIRTA_OIDC_ISSUER needs KOKEMUSVIRTA_OIDC_ROLE_CLAIM or "
                           "KOKEMUSVIRTA_OIDC_USERS: how people get their roles")
    users: dict[str, Grant] = {}
    if settings.oidc_users is not None:
        try:
            text = settings.oidc_users.read_text(encoding="utf-8")
        except OSError as error:
            raise MappingError(f"KOKEMUSVIRTA_OIDC_USERS: cannot read {settings.oidc_users} "
                               f"({error.strerror})") from None
        users = parse_users_file(text)
    oauth = OAuth()
    client = oauth.register(
        name=PROVIDER, client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret.get_secret_value(),
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": check_scopes(settings.oidc_scopes),
                       "code_challenge_method": "S256", "timeout": TIMEOUT_S})
    assert isinstance(client, StarletteOAuth2App)
    return OidcSignIn(issuer, client, settings.oidc_role_claim, users, pseudonym_key(settings),
                      settings.oidc_redirect_uri)


def _oidc(request: Request) -> OidcSignIn:
    oidc = getattr(request.app.state, "oidc", None)
    if not isinstance(oidc, OidcSignIn):
        raise HTTPException(404)
    return oidc


def _failed(request: Request, text_key: str, status: int,
            title_key: str = "oidc_failed_title") -> Response:
    return message_page(request, title_key, text_key, status)


async def start(request: Request) -> Response:
    oidc = _oidc(request)
    request.session[NEXT] = safe_next(request.query_params.get("seuraava"))
    try:
        await oidc.metadata()
        redirect_uri = oidc.redirect_uri or str(request.url_for("oidc_callback"))
        redirect: Response = await oidc.client.authorize_redirect(
            request, redirect_uri, ui_locales=lang_of(request))
        return redirect
    except MappingError as why:
        log.error("OIDC sign-in cannot start: %s", why)
        return _failed(request, "oidc_invalid_text", 502)
    except (*UNREACHABLE, OAuthError, ValueError) as why:
        log.warning("OIDC provider unreachable: %s", type(why).__name__)
        return _failed(request, "oidc_unreachable_text", 502)


async def callback(request: Request) -> Response:
    oidc = _oidc(request)
    next_path = safe_next(request.session.pop(NEXT, None))
    try:
        metadata = await oidc.metadata()
        token = await oidc.client.authorize_access_token(request, leeway=LEEWAY_S)
        claims = token.get("userinfo")
        if claims and metadata.get("userinfo_endpoint"):
            claims = with_userinfo(claims, await oidc.client.userinfo(token=token))
    except OAuthError as why:
        # mismatching_state: no such sign-in in this session (forged, replayed or expired);
        # access_denied and the rest: the provider said no.
        code = why.error if isinstance(why.error, str) and ERROR_CODE.match(why.error) else "?"
        log.info("OIDC sign-in refused: %s", code)  # `error` comes from the query: no free text
        key = "oidc_state_text" if why.error == "mismatching_state" else "oidc_denied_text"
        return _failed(request, key, 400)
    except NOT_ACCEPTED as why:
        log.warning("OIDC ID token not accepted: %s", type(why).__name__)
        return _failed(request, "oidc_invalid_text", 400)
    except UNREACHABLE as why:
        log.warning("OIDC provider unreachable: %s", type(why).__name__)
        return _failed(request, "oidc_unreachable_text", 502)
    if not claims:  # no ID token, or no nonce kept for it: nothing vouched for the person
        log.warning("OIDC answer without a verified ID token")
        return _failed(request, "oidc_invalid_text", 400)
    try:
        grant = grant_for(claims, role_claim=oidc.role_claim, users=oidc.users)
        user = staff_user(claims, grant, oidc.pseudonym_key)
    except (NoRole, ValueError) as why:
        log.info("OIDC sign-in refused: %s", why)
        sign_out(request)
        return _failed(request, "oidc_no_role_text", 403, "oidc_no_role_title")
    sign_in(request, user)  # the person's language (users file, else locale) unless chosen here
    log.info("signed in %s (%s, oidc)", user.pseudonym, user.role.value)
    return RedirectResponse(next_path, 303)


def oidc_routes() -> list[BaseRoute]:
    """For routes.ROUTE_FACTORIES: both answer 404 while OIDC is not configured."""
    return [Route("/kirjaudu/oidc", start, methods=["GET"], name="oidc_start"),
            Route("/kirjaudu/oidc/paluu", callback, methods=["GET"], name="oidc_callback")]
