"""Sign-in to a private Airflow web server through an Application Load Balancer.

The load balancer authenticates the user (OIDC or Cognito) and calls this function on the
Airflow sign-in path with the user's claims in `x-amzn-oidc-data`. The function verifies that
token, maps the user's identity provider groups to one Airflow role, asks MWAA for a web login
token through an IAM role that may only sign people in as that Airflow role, and sends the
browser to the web server's login URL on the configured host name. `/logout` expires the load
balancer's session cookies.

No answer depends on a request header other than the verified `x-amzn-oidc-data`: the browser
controls the others (`Host`, `X-Forwarded-Host`), and the login redirect carries a token that
signs its bearer in.

Environment (see the project's SEAMS contract): MWAA_ENVIRONMENT_NAME, AIRFLOW_MAJOR_VERSION,
ALB_ARN, HOST_NAME, GROUP_ROLE_MAPPING, GROUPS_CLAIM, LOGIN_ROLE_ARNS, ALB_KEYS_URL,
LOGOUT_REDIRECT_URL.
"""

from __future__ import annotations

import functools
import html
import json
import logging
import os
import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any, Callable, Mapping, Optional

import boto3

# The token check and the role mapping are shared with the Fargate api-server's sign-in.
if __package__:  # imported from the airflow_aws package (tests, tooling)
    from airflow_aws.alb_identity import (HEADER, LOGGED_GROUPS, ROLES_BY_PRIVILEGE, KeyResolver, NotMapped, Refused,
                                          default_keys_url, identify, public_key_resolver, unknown_roles)
else:  # the Lambda runtime imports app.py from the archive root, where alb_identity.py sits beside it
    from alb_identity import (HEADER, LOGGED_GROUPS, ROLES_BY_PRIVILEGE, KeyResolver, NotMapped, Refused,
                              default_keys_url, identify, public_key_resolver, unknown_roles)

LOGGER = logging.getLogger("web_login")
LOGGER.setLevel(logging.INFO)

LOGIN_PATHS = {
    "2": "/aws_mwaa/aws-console-sso",
    "3": "/pluginsv2/aws_mwaa/aws-console-sso",
}
LOGOUT_PATH = "/logout"
# The load balancer splits a large session into up to four cookies with these names.
SESSION_COOKIES = tuple(f"AWSELBAuthSessionCookie-{shard}" for shard in range(4))

ASSUMED_ROLE_SECONDS = 900  # the shortest session STS grants; the web token itself lives 60 s

# A DNS name as the stack settings accept it (privateAccess.hostName): no scheme, port or path.
_HOST_NAME = re.compile(r"(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}")
# What STS allows in a RoleSessionName, which CloudTrail then shows next to every call.
_SESSION_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_+=,.@-]")


class ConfigurationError(ValueError):
    """An environment variable of the function is missing or invalid."""


# --- settings ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    environment_name: str
    airflow_major_version: str
    alb_arn: str
    host_name: str
    group_roles: Mapping[str, str]
    groups_claim: str
    login_role_arns: Mapping[str, str]
    keys_url: str
    logout_redirect_url: Optional[str]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "Settings":
        def required(name: str) -> str:
            value = environ.get(name, "").strip()
            if not value:
                raise ConfigurationError(f"{name} is not set")
            return value

        def json_object(name: str) -> dict[str, str]:
            try:
                value = json.loads(required(name))
            except json.JSONDecodeError as error:
                raise ConfigurationError(f"{name} is not JSON: {error}") from None
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise ConfigurationError(f"{name} must be a JSON object of strings")
            return value

        host_name = required("HOST_NAME")
        if not _HOST_NAME.fullmatch(host_name):
            raise ConfigurationError(f"HOST_NAME is {host_name!r}; expected the lower-case host name users open, "
                                     f"without scheme or port, e.g. airflow.example.com")
        major = required("AIRFLOW_MAJOR_VERSION")
        if major not in LOGIN_PATHS:
            raise ConfigurationError(f"AIRFLOW_MAJOR_VERSION is {major!r}; expected one of {sorted(LOGIN_PATHS)}")
        group_roles = json_object("GROUP_ROLE_MAPPING")
        unknown = unknown_roles(group_roles)
        if unknown:
            raise ConfigurationError(f"GROUP_ROLE_MAPPING maps to unknown roles {unknown}; "
                                     f"allowed: {list(ROLES_BY_PRIVILEGE)}")
        login_role_arns = json_object("LOGIN_ROLE_ARNS")
        missing = sorted(set(group_roles.values()) - set(login_role_arns))
        if missing:
            raise ConfigurationError(f"LOGIN_ROLE_ARNS has no IAM role for {missing}")
        keys_url = environ.get("ALB_KEYS_URL", "").strip() or default_keys_url(required("AWS_REGION"))
        logout_redirect_url = environ.get("LOGOUT_REDIRECT_URL", "").strip() or None
        for name, url in (("ALB_KEYS_URL", keys_url), ("LOGOUT_REDIRECT_URL", logout_redirect_url)):
            if url is not None and not url.startswith("https://"):
                raise ConfigurationError(f"{name} must be an https:// URL, not {url!r}")
        return cls(
            environment_name=required("MWAA_ENVIRONMENT_NAME"),
            airflow_major_version=major,
            alb_arn=required("ALB_ARN"),
            host_name=host_name,
            group_roles=group_roles,
            groups_claim=environ.get("GROUPS_CLAIM", "").strip() or "groups",
            login_role_arns=login_role_arns,
            keys_url=keys_url.rstrip("/"),
            logout_redirect_url=logout_redirect_url,
        )


# --- MWAA ----------------------------------------------------------------------------------------


def session_name(user: str) -> str:
    """An STS RoleSessionName naming the user, so CloudTrail shows who signed in."""
    name = _SESSION_NAME_UNSAFE.sub("-", user)[:64]
    return name if len(name) >= 2 else "web-login"


@dataclass(frozen=True)
class AwsClients:
    sts: Any
    mwaa_with: Callable[[Mapping[str, Any]], Any]
    """Build an MWAA client from the `Credentials` of an assumed role."""


@functools.cache  # one set of clients per warm container
def _lambda_clients() -> AwsClients:
    def mwaa_with(credentials: Mapping[str, Any]) -> Any:
        return boto3.client("mwaa", aws_access_key_id=credentials["AccessKeyId"],
                            aws_secret_access_key=credentials["SecretAccessKey"],
                            aws_session_token=credentials["SessionToken"])

    return AwsClients(sts=boto3.client("sts"), mwaa_with=mwaa_with)


def web_login_token(aws: AwsClients, *, role_arn: str, session: str, environment_name: str) -> str:
    """A web token, asked for under the IAM role of one Airflow role.

    MWAA's answer also names the web server's host, a VPC endpoint name the browser cannot reach:
    the browser goes back through the load balancer's host name instead.
    """
    credentials = aws.sts.assume_role(RoleArn=role_arn, RoleSessionName=session,
                                      DurationSeconds=ASSUMED_ROLE_SECONDS)["Credentials"]
    return aws.mwaa_with(credentials).create_web_login_token(Name=environment_name)["WebToken"]


def redirect_url(host: str, web_token: str, airflow_major_version: str) -> str:
    return f"https://{host}{LOGIN_PATHS[airflow_major_version]}?login=true#{web_token}"


# --- responses -----------------------------------------------------------------------------------


def response(status: int, body: str = "", headers: Optional[dict[str, list[str]]] = None,
             multi_value: bool = True) -> dict[str, Any]:
    """A load balancer Lambda target answer; sign-in answers are never cached."""
    all_headers = {"Cache-Control": ["no-store"], "Content-Type": ["text/html; charset=utf-8"], **(headers or {})}
    answer: dict[str, Any] = {
        "statusCode": status,
        "statusDescription": f"{status} {HTTPStatus(status).phrase}",
        "isBase64Encoded": False,
        "body": body,
    }
    if multi_value:
        answer["multiValueHeaders"] = all_headers
    else:
        answer["headers"] = {name: values[-1] for name, values in all_headers.items()}
    return answer


def page(status: int, title: str, message: str, link: Optional[tuple[str, str]] = None,
         headers: Optional[dict[str, list[str]]] = None, multi_value: bool = True) -> dict[str, Any]:
    """A small HTML page; every value is escaped."""
    action = f'<p><a href="{html.escape(link[0])}">{html.escape(link[1])}</a></p>' if link else ""
    body = (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>{action}</body></html>")
    return response(status, body, headers, multi_value)


def redirect(location: str, headers: Optional[dict[str, list[str]]] = None) -> dict[str, Any]:
    return response(302, "", {"Location": [location], **(headers or {})})


def expired_session_cookies() -> list[str]:
    return [f"{name}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/; Secure; HttpOnly"
            for name in SESSION_COOKIES]


# --- the handler ---------------------------------------------------------------------------------


def _log(decision: str, **fields: Any) -> None:
    LOGGER.info(json.dumps({"decision": decision, **fields}, sort_keys=True, default=str))


def _header(event: Mapping[str, Any], name: str) -> Optional[str]:
    """The header's only value; a header sent twice is ambiguous and counts as absent."""
    values = [value for key, value in (event.get("multiValueHeaders") or {}).items() if key.lower() == name]
    flat = [item for value in values for item in value]
    return flat[0] if len(flat) == 1 else None


def no_access(user: str, settings: Settings) -> dict[str, Any]:
    return page(403, "No access to Airflow",
                f"You are signed in as {user}, but your account is not in a group mapped to an Airflow role "
                f"for {settings.environment_name}. Ask the team that runs this Airflow environment to add "
                f"you to one.", (LOGOUT_PATH, "Sign out"))


def login(event: Mapping[str, Any], settings: Settings, resolve_key: KeyResolver, aws: AwsClients) -> dict[str, Any]:
    try:
        identity = identify(_header(event, HEADER), alb_arn=settings.alb_arn, resolve_key=resolve_key,
                            groups_claim=settings.groups_claim, group_roles=settings.group_roles)
    except NotMapped as refusal:
        _log("refused", status=403, reason=refusal.reason, user=refusal.user,
             **({"groups": refusal.groups[:LOGGED_GROUPS]} if refusal.groups is not None else {}))
        return no_access(refusal.user, settings)
    except Refused as refusal:
        _log("refused", status=refusal.status, reason=refusal.reason)
        return page(refusal.status, "Sign-in failed", f"Sign-in failed: {refusal.reason}.", ("/", "Try again"))
    user, role = identity.user, identity.role
    try:
        web_token = web_login_token(aws, role_arn=settings.login_role_arns[role], session=session_name(user),
                                    environment_name=settings.environment_name)
    except Exception as error:  # botocore raises ClientError and connection errors alike
        _log("failed", status=502, reason="web login token", user=user, role=role, error=type(error).__name__)
        return page(502, "Airflow is unavailable", "Airflow could not sign you in right now. Try again in a minute.",
                    ("/", "Try again"))
    # The configured host, never the request's Host: the browser writes that header, and the
    # redirect carries a token that signs in whoever opens it. The host's listener forwards the
    # `login=true` request straight to the web server.
    _log("allowed", user=user, role=role, granted_by=identity.granted_by, host=settings.host_name)
    return redirect(redirect_url(settings.host_name, web_token, settings.airflow_major_version))


def logout(settings: Settings) -> dict[str, Any]:
    """Expire the session; then on to the configured logout URL, or a page linking the configured host."""
    cookies = {"Set-Cookie": expired_session_cookies()}
    _log("signed out", redirect=settings.logout_redirect_url or "")
    if settings.logout_redirect_url:
        return redirect(settings.logout_redirect_url, cookies)
    return page(200, "Signed out", "You are signed out of Airflow.",
                (f"https://{settings.host_name}/", "Sign in again"), cookies)


def handle(event: Mapping[str, Any], environ: Mapping[str, str], resolve_key: Optional[KeyResolver] = None,
           aws: Optional[AwsClients] = None) -> dict[str, Any]:
    if "multiValueHeaders" not in event:
        _log("failed", status=500, reason="target group without multi-value headers")
        return page(500, "Sign-in is misconfigured", "Tell the team that runs this Airflow environment: the "
                    "sign-in target group must set lambda.multi_value_headers.enabled.", multi_value=False)
    try:
        settings = Settings.from_environ(environ)
    except ConfigurationError as error:
        _log("failed", status=500, reason="configuration", problem=str(error))
        return page(500, "Sign-in is misconfigured",
                    "Tell the team that runs this Airflow environment; the sign-in function's log says why.")
    path = str(event.get("path", "")).rstrip("/") or "/"
    if path == LOGOUT_PATH:
        return logout(settings)
    if path in LOGIN_PATHS.values():
        return login(event, settings, resolve_key or public_key_resolver(settings.keys_url), aws or _lambda_clients())
    _log("refused", status=404, path=path)
    return page(404, "Not found", "This address is not part of Airflow sign-in.")


def handler(event: Mapping[str, Any], context: Any) -> dict[str, Any]:
    return handle(event, os.environ)
