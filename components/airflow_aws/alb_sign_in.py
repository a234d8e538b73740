"""Single sign-on for the Fargate api-server: Airflow signs in the user the load balancer verified.

Runs inside the Airflow image, in the FAB auth manager's Flask app (mounted by the api-server
under /auth). The task's command writes this file, alb_identity.py and WEBSERVER_CONFIG into
one folder before Airflow starts ([fab] config_file names the last), so the configuration comes
with each deployment and survives image upgrades. It imports Airflow and FAB only inside
security_manager_class(): the rest is plain Python the tests run without Airflow.

/auth/login/ (where Airflow sends a browser without a valid Airflow token) verifies the load
balancer's `x-amzn-oidc-data` exactly as the MWAA sign-in function does (alb_identity), creates
or updates the user with the one role their groups map to, signs them in, hands the UI its
Airflow token and goes on to the page they asked for. A request without a valid token from this
load balancer gets no identity; a user in no mapped group is refused. Nobody has a password:
users are created with a random one nobody knows, so Airflow's own login and /auth/token work
only for accounts an operator gave a password (machine clients).

Environment: ALB_ARN, GROUP_ROLE_MAPPING (JSON object group -> role), GROUPS_CLAIM (default
`groups`), AWS_DEFAULT_REGION (where the load balancer's keys are published) or ALB_KEYS_URL.
"""

import html
import json
import logging
import os
import secrets
from dataclasses import dataclass
from typing import Any, Mapping, Optional

if __package__:  # imported from the airflow_aws package (tests)
    from airflow_aws.alb_identity import (HEADER, LOGGED_GROUPS, ROLES_BY_PRIVILEGE, KeyResolver, NotMapped, Refused,
                                          default_keys_url, identify, public_key_resolver, unknown_roles)
else:  # in the api-server, imported from the folder the task's command wrote it to, beside alb_identity.py
    from alb_identity import (HEADER, LOGGED_GROUPS, ROLES_BY_PRIVILEGE, KeyResolver, NotMapped, Refused,
                              default_keys_url, identify, public_key_resolver, unknown_roles)

LOGGER = logging.getLogger("alb_sign_in")

# The file the FAB auth manager reads ([fab] config_file). It puts the folder it was written to
# on the import path (that folder holds this module and alb_identity.py) and selects this sign-in.
WEBSERVER_CONFIG = '''"""Written by the task's command: FAB signs in the user the load balancer verified (alb_sign_in.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from flask_appbuilder.const import AUTH_REMOTE_USER  # noqa: E402

import alb_sign_in  # noqa: E402

AUTH_TYPE = AUTH_REMOTE_USER
# alb_sign_in creates users itself, with the role the groups map to; FAB's registration would not.
AUTH_USER_REGISTRATION = False
SECURITY_MANAGER_CLASS = alb_sign_in.security_manager_class()
'''


@dataclass(frozen=True)
class SignInSettings:
    alb_arn: str
    group_roles: Mapping[str, str]
    groups_claim: str
    keys_url: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str]) -> "SignInSettings":
        """The settings, or ValueError naming the variable: the api-server then fails to start instead of
        falling back to password sign-in."""
        alb_arn = environ.get("ALB_ARN", "").strip()
        if not alb_arn:
            raise ValueError("ALB_ARN is not set: the load balancer whose tokens sign users in")
        try:
            group_roles = json.loads(environ.get("GROUP_ROLE_MAPPING", ""))
        except json.JSONDecodeError as error:
            raise ValueError(f"GROUP_ROLE_MAPPING is not JSON: {error}") from None
        if not isinstance(group_roles, dict) or not group_roles or \
                not all(isinstance(role, str) for role in group_roles.values()):
            raise ValueError("GROUP_ROLE_MAPPING must be a non-empty JSON object of group -> role")
        unknown = unknown_roles(group_roles)
        if unknown:
            raise ValueError(f"GROUP_ROLE_MAPPING maps to unknown roles {unknown}; allowed: {list(ROLES_BY_PRIVILEGE)}")
        keys_url = environ.get("ALB_KEYS_URL", "").strip()
        region = environ.get("AWS_DEFAULT_REGION", "").strip()
        if not keys_url and not region:
            raise ValueError("AWS_DEFAULT_REGION is not set: the load balancer's keys are published per region")
        keys_url = keys_url or default_keys_url(region)
        if not keys_url.startswith("https://"):
            raise ValueError(f"ALB_KEYS_URL must be an https:// URL, not {keys_url!r}")
        return cls(alb_arn=alb_arn, group_roles=group_roles,
                   groups_claim=environ.get("GROUPS_CLAIM", "").strip() or "groups", keys_url=keys_url.rstrip("/"))


def _claim(claims: Mapping[str, Any], name: str) -> Optional[str]:
    value = claims.get(name)
    return value if isinstance(value, str) and value else None


def sign_in(security_manager: Any, token: Optional[str], settings: SignInSettings, resolve_key: KeyResolver) -> Any:
    """The Airflow user for a load balancer token, created or updated with the mapped role.

    `security_manager` is FAB's (find_user, find_role, add_user, update_user, update_user_auth_stat).
    Raises Refused (no identity) or NotMapped (a user in no mapped group, or deactivated in Airflow).
    The role is set on every sign-in, so a change of groups at the identity provider takes
    effect the next time the user signs in; roles granted by hand are replaced.
    """
    identity = identify(token, alb_arn=settings.alb_arn, resolve_key=resolve_key,
                                  groups_claim=settings.groups_claim, group_roles=settings.group_roles)
    role = security_manager.find_role(identity.role)
    if role is None:
        raise Refused(503, f"Airflow has no role {identity.role} yet")
    user = security_manager.find_user(username=identity.user)
    if user is None:
        claims = identity.claims
        user = security_manager.add_user(
            username=identity.user, first_name=_claim(claims, "given_name") or identity.user,
            last_name=_claim(claims, "family_name") or "-",
            # Airflow needs a unique e-mail address; a user known only by `sub` gets a placeholder.
            email=_claim(claims, "email") or f"{identity.user}@users.invalid", role=role,
            # Never used to sign in: only the load balancer's identity signs this user in.
            password=secrets.token_urlsafe(32))
        if not user:
            raise Refused(503, "the user could not be created")
    elif not user.is_active:
        raise NotMapped("deactivated in Airflow", identity.user, None)
    else:
        user.roles = [role]
    security_manager.update_user_auth_stat(user)
    _log("allowed", user=identity.user, role=identity.role, granted_by=identity.granted_by)
    return user


def _log(decision: str, **fields: Any) -> None:
    LOGGER.info(json.dumps({"decision": decision, **fields}, sort_keys=True, default=str))


def refusal_page(refusal: Refused) -> str:
    """What a refused browser sees; every value is escaped."""
    if isinstance(refusal, NotMapped):
        title, text = "No access to Airflow", (
            f"You are signed in as {refusal.user}, but have no access to this Airflow environment: {refusal.reason}. "
            f"Ask the team that runs it to add you to a group mapped to an Airflow role.")
    else:
        title, text = "Sign-in failed", f"Sign-in failed: {refusal.reason}."
    return (f"<!doctype html><html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>"
            f"<body><h1>{html.escape(title)}</h1><p>{html.escape(text)}</p></body></html>")


def refused(refusal: Refused) -> tuple[str, int, dict[str, str]]:
    """A Flask response (body, status, headers) for a refusal, logged without the token."""
    fields: dict[str, Any] = {"status": refusal.status, "reason": refusal.reason}
    if isinstance(refusal, NotMapped):
        fields["user"] = refusal.user
        if refusal.groups is not None:
            fields["groups"] = refusal.groups[:LOGGED_GROUPS]
    _log("refused", **fields)
    return refusal_page(refusal), refusal.status, {"Content-Type": "text/html; charset=utf-8",
                                                   "Cache-Control": "no-store"}


def security_manager_class(environ: Mapping[str, str] = os.environ) -> type:
    """FAB's security manager with /auth/login/ signing in the load balancer's user (see the module)."""
    from flask import make_response, redirect, request
    from flask_appbuilder import expose
    from flask_appbuilder.security.views import AuthRemoteUserView
    from flask_appbuilder.utils.base import get_safe_redirect
    from flask_login import login_user

    from airflow.api_fastapi.app import get_auth_manager
    from airflow.api_fastapi.auth.managers.base_auth_manager import COOKIE_NAME_JWT_TOKEN
    from airflow.configuration import conf
    from airflow.providers.fab.auth_manager.security_manager.override import FabAirflowSecurityManagerOverride

    settings = SignInSettings.from_environ(environ)
    resolve_key = public_key_resolver(settings.keys_url)

    class LoadBalancerSignInView(AuthRemoteUserView):
        @expose("/login/")
        def login(self):
            # Verified on every visit, even with a session: the load balancer's user is the only identity.
            try:
                user = sign_in(self.appbuilder.sm, request.headers.get(HEADER), settings, resolve_key)
            except Refused as refusal:
                return refused(refusal)
            login_user(user)
            # The UI reads its Airflow token from this cookie (FAB's index view sets it the same way,
            # but only on its own page, which would drop the page the user asked for). Browsers
            # reach Airflow only over the load balancer's HTTPS, so the cookie is Secure.
            answer = make_response(redirect(get_safe_redirect(request.args.get("next", ""))
                                            if request.args.get("next") else conf.get("api", "base_url", fallback="/")))
            answer.set_cookie(COOKIE_NAME_JWT_TOKEN, get_auth_manager().generate_jwt(user), secure=True)
            return answer

    class LoadBalancerSecurityManager(FabAirflowSecurityManagerOverride):
        authremoteuserview = LoadBalancerSignInView

    return LoadBalancerSecurityManager
