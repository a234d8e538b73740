"""Who a request through the load balancer's sign-in comes from: the verified `x-amzn-oidc-data`
token, the user's identity provider groups, and the one Airflow role they map to.

Shared by the MWAA sign-in function (functions/web_login, whose Lambda package ships this file
next to app.py) and the Fargate api-server's sign-in (alb_sign_in.py, written into the container
with this file). It imports only the standard library, PyJWT and cryptography, which both the
Lambda package and the Airflow image carry.
"""

import json
import re
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional

import jwt
from cryptography.hazmat.primitives.asymmetric.ec import SECP256R1, EllipticCurvePublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

# Most privileged first. A user in several mapped groups gets the most privileged of their
# roles: group membership is the grant, so each mapped group already entitles the user to its
# role, and Airflow gives one session one role. Picking a lesser one would lock an admin who is
# also in a viewers group out of the work they are entitled to; sorting by privilege also makes
# the result independent of the order the identity provider lists groups in.
ROLES_BY_PRIVILEGE = ("Admin", "Op", "User", "Viewer")

HEADER = "x-amzn-oidc-data"
KEY_FETCH_TIMEOUT_SECONDS = 3.0
_MAX_KEY_BYTES = 4096
_MAX_TOKEN_CHARS = 16384
LOGGED_GROUPS = 20  # enough to see why a user was refused; some directories list hundreds

# ALB key ids are UUIDs.
_KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,128}")
# Three base64url segments; the load balancer keeps the `=` padding other issuers strip.
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}\.[A-Za-z0-9_-]+={0,2}")

KeyResolver = Callable[[str], EllipticCurvePublicKey]


class Refused(Exception):
    """The request gets no identity; `reason` is short and safe to show the user."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


class NotMapped(Refused):
    """A valid sign-in whose groups map to no Airflow role (403); names the user and their groups for the log
    (None when the groups claim could not be read)."""

    def __init__(self, reason: str, user: str, groups: Optional[list]):
        super().__init__(403, reason)
        self.user = user
        self.groups = groups


# --- the load balancer's token -------------------------------------------------------------------


def default_keys_url(region: str) -> str:
    """Where the load balancers of a region publish their public keys."""
    return f"https://public-keys.auth.elb.{region}.amazonaws.com"


def plain_key_id(kid: Any) -> str:
    """The key id when it is a plain token; anything else could walk out of the key URL."""
    if not isinstance(kid, str) or not _KEY_ID.fullmatch(kid):
        raise Refused(401, "unknown signing key")
    return kid


def key_url(keys_url: str, kid: str) -> str:
    """Where the load balancer publishes the public key `kid` (PEM)."""
    return f"{keys_url}/{plain_key_id(kid)}"


def _https_get(url: str, timeout: float) -> bytes:
    with urllib.request.urlopen(url, timeout=timeout) as answer:  # noqa: S310 (key_url makes it https)
        return answer.read(_MAX_KEY_BYTES)


_PUBLIC_KEYS: dict = {}


def public_key_resolver(keys_url: str, fetch: Callable[[str, float], bytes] = _https_get) -> KeyResolver:
    """Resolve a key id to the load balancer's public key, fetching each key once per process.

    Keys are immutable per id (the load balancer rotates by issuing new ids), so a cached key
    never goes stale; the cache is per URL so one process never mixes regions.
    """

    def resolve(kid: str) -> EllipticCurvePublicKey:
        url = key_url(keys_url, kid)
        if url not in _PUBLIC_KEYS:
            try:
                pem = fetch(url, KEY_FETCH_TIMEOUT_SECONDS)
            except urllib.error.HTTPError:
                raise Refused(401, "unknown signing key") from None
            except (urllib.error.URLError, TimeoutError, OSError):
                raise Refused(503, "the load balancer's signing key could not be fetched") from None
            try:
                key = load_pem_public_key(pem)
            except ValueError:
                raise Refused(401, "unknown signing key") from None
            if not isinstance(key, EllipticCurvePublicKey) or not isinstance(key.curve, SECP256R1):
                raise Refused(401, "unknown signing key")
            _PUBLIC_KEYS[url] = key
        return _PUBLIC_KEYS[url]

    return resolve


def verify_token(token: Optional[str], *, alb_arn: str, resolve_key: KeyResolver) -> dict:
    """The verified claims of an `x-amzn-oidc-data` token, or `Refused(401, reason)`.

    Checks, in order: shape, algorithm ES256, `signer` equal to this load balancer, a plain `kid`,
    the header's `exp`, then the signature over the token exactly as received (the load balancer
    signs its padded segments, so nothing may be re-encoded before verifying).
    """
    if not token:
        raise Refused(401, "no sign-in token")
    if len(token) > _MAX_TOKEN_CHARS or not _TOKEN_SHAPE.fullmatch(token):
        raise Refused(401, "malformed sign-in token")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise Refused(401, "malformed sign-in token") from None
    if header.get("alg") != "ES256":
        raise Refused(401, "unexpected signing algorithm")
    if header.get("signer") != alb_arn:
        raise Refused(401, "token not issued by this load balancer")
    kid = plain_key_id(header.get("kid"))
    expires = header.get("exp")
    if isinstance(expires, str) and expires.isdigit():
        expires = int(expires)
    if not isinstance(expires, (int, float)) or isinstance(expires, bool):
        raise Refused(401, "token has no expiry")
    if expires <= time.time():
        raise Refused(401, "sign-in token expired")
    key = resolve_key(kid)
    try:
        # The audience is the load balancer's client; `signer` above is what ties the token to us.
        return jwt.decode(token, key, algorithms=["ES256"], options={"verify_aud": False})
    except jwt.ExpiredSignatureError:
        raise Refused(401, "sign-in token expired") from None
    except jwt.InvalidSignatureError:
        raise Refused(401, "bad token signature") from None
    except jwt.PyJWTError:
        raise Refused(401, "invalid sign-in token") from None


# --- groups and roles ----------------------------------------------------------------------------


class AmbiguousGroups(ValueError):
    """The groups claim is a string whose group names cannot be told apart for certain."""


def groups_of(claims: Mapping[str, Any], claim: str) -> list:
    """The user's groups, each exactly as the identity provider wrote it.

    The load balancer passes the claims of the IdP's user info endpoint. Okta and Keycloak (with
    the groups claim added to user info) send a JSON list: its string members are the groups;
    anything else in it (numbers, lists, objects) names no group. Cognito's user info endpoint
    leaves out `cognito:groups` and sends every attribute as a string, so a Cognito pool passes
    groups in a custom attribute such as `custom:groups` written as `a,b`: a string is split on
    commas only. Nothing is trimmed and nothing is split on blanks, so " airflow-admins" is not
    "airflow-admins", and one group called "data team Admin" does not make its members members
    of "Admin". A string in brackets must be a JSON list: otherwise it is how Cognito stores a
    multi-valued SAML attribute (`[a, b]`), whose ", " cannot be told apart from a comma inside a
    group name, and the claim is refused as AmbiguousGroups.
    """
    value = claims.get(claim)
    if isinstance(value, str) and value.startswith("["):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            value = None
        if not isinstance(value, list):
            raise AmbiguousGroups(f"claim {claim} is in brackets but not a JSON list")
    if isinstance(value, list):
        return [group for group in value if isinstance(group, str) and group]
    if isinstance(value, str):
        return [group for group in value.split(",") if group]
    return []


def role_for_groups(groups: list, group_roles: Mapping[str, str]) -> Optional[str]:
    """The most privileged Airflow role any of the groups maps to, or None (see ROLES_BY_PRIVILEGE)."""
    granted = {group_roles[group] for group in groups if group in group_roles}
    return next((role for role in ROLES_BY_PRIVILEGE if role in granted), None)


def user_of(claims: Mapping[str, Any]) -> str:
    for claim in ("email", "username", "preferred_username", "sub"):
        if isinstance(claims.get(claim), str) and claims[claim]:
            return claims[claim]
    return "unknown"


def unknown_roles(group_roles: Mapping[str, str]) -> list:
    """Roles a mapping names that Airflow does not have (a configuration error)."""
    return sorted(set(group_roles.values()) - set(ROLES_BY_PRIVILEGE))


# --- the whole decision --------------------------------------------------------------------------


@dataclass(frozen=True)
class Identity:
    """A user the load balancer signed in, with the Airflow role their groups grant."""

    user: str
    role: str
    granted_by: list
    """The user's groups that map to a role (for the log)."""
    claims: Mapping[str, Any]


def identify(token: Optional[str], *, alb_arn: str, resolve_key: KeyResolver, groups_claim: str,
             group_roles: Mapping[str, str]) -> Identity:
    """The identity in a load balancer token: `Refused` (401/503) for a token that is not this load
    balancer's, valid and current; `NotMapped` (403) for a user whose groups map to no role."""
    claims = verify_token(token, alb_arn=alb_arn, resolve_key=resolve_key)
    user = user_of(claims)
    try:
        groups = groups_of(claims, groups_claim)
    except AmbiguousGroups as problem:
        raise NotMapped(str(problem), user, None) from None
    role = role_for_groups(groups, group_roles)
    if role is None:
        raise NotMapped("no mapped group", user, groups)
    return Identity(user=user, role=role, granted_by=[group for group in groups if group in group_roles],
                    claims=claims)
