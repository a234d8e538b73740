"""Private access settings: the HTTPS load balancer in front of the private web server, and sign-in (OIDC or Cognito)."""

from __future__ import annotations

import ipaddress
import re
from typing import TYPE_CHECKING, Any, Literal, Optional

from airflow_aws.naming import AIRFLOW_UI_ROLES
from airflow_aws.aws_choices import DEFAULT_TLS_POLICY
from pydantic import Field, field_validator
from pydantic.alias_generators import to_camel

from .base import SettingsModel, cidr, invalid, parse_arn, placement_problem
from .endpoints import ingress_cidrs
from .errors import SettingError, project_key
from .network import SUBNET_ID

if TYPE_CHECKING:
    from .account import Account
    from .stack import StackSettings

SECRET = r"secret:[\w/+=.@-]{1,512}"
CERTIFICATE_ARN = re.compile(r"^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[0-9a-f-]{36}$")
USER_POOL = r"userpool/[a-z]{2}(-[a-z]+)+-\d_[0-9a-zA-Z]{1,}"
# Cognito's hosted UI domain prefix: lower-case letters, digits and hyphens, no hyphen at either end, 1-63.
COGNITO_DOMAIN_PREFIX = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
COGNITO_RESERVED_WORDS = ("aws", "amazon", "cognito")
COGNITO_CLIENT_ID = re.compile(r"^[\w+]{1,128}$")
HOSTED_ZONE_ID = re.compile(r"^Z[0-9A-Z]{1,31}$")
HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
PREFIX_LIST_ID = re.compile(r"^pl-[0-9a-f]{8,17}$")
MAX_API_CLIENT_CIDRS = 30
OTHER_ACCOUNT_SECRET = ("AWS would let the deployment read another account's secret whose resource policy allows it, "
                        "but this program reads it with the stack's own account only")


def base_url_option(airflow_version: str) -> str:
    """The Airflow option holding the URL users reach the UI at (Airflow 3 moved it to the api section)."""
    return "api.base_url" if airflow_version.startswith("3.") else "webserver.base_url"


class OidcSettings(SettingsModel):
    """An OpenID Connect identity provider the load balancer signs users in with."""

    issuer: str = Field(description="Issuer identifier (https://...).")
    authorization_endpoint: str = Field(description="Authorization endpoint (https://...).")
    token_endpoint: str = Field(description="Token endpoint (https://...).")
    user_info_endpoint: str = Field(description="User info endpoint (https://...).")
    client_id: str = Field(description="Client ID registered for the load balancer.")
    client_secret_arn: str = Field(
        description="Secrets Manager secret (of the stack's account and Region) holding the client secret as plain "
                    "text; the secret never enters the stack files.")
    scope: str = Field("openid email profile", description="Scopes requested; add the one that releases the groups claim if your IdP needs it.")

    @field_validator("issuer", "authorization_endpoint", "token_endpoint", "user_info_endpoint")
    @classmethod
    def _https(cls, value: str) -> str:
        if not re.match(r"^https://[^\s/]+(/\S*)?$", value):
            raise invalid("is not an https:// URL", "copy it from your IdP's /.well-known/openid-configuration")
        return value

    @field_validator("client_secret_arn")
    @classmethod
    def _secret(cls, value: str) -> str:
        if not parse_arn(value, "secretsmanager", SECRET):
            raise invalid("is not a Secrets Manager secret ARN", "store the client secret in Secrets Manager and give its "
                          "ARN (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME)")
        return value


class CognitoSettings(SettingsModel):
    """An Amazon Cognito user pool the load balancer signs users in with."""

    user_pool_arn: str = Field(description="ARN of the user pool (of the stack's account and Region).")
    user_pool_client_id: str = Field(description="App client (with a secret) of the pool for the load balancer.")
    user_pool_domain: str = Field(description="Domain prefix of the pool's hosted UI (as in https://PREFIX.auth.REGION.amazoncognito.com).")

    @field_validator("user_pool_arn")
    @classmethod
    def _pool(cls, value: str) -> str:
        if not parse_arn(value, "cognito-idp", USER_POOL):
            raise invalid("is not a Cognito user pool ARN",
                          "use the pool's ARN, e.g. arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_AbCdEf123")
        return value

    @field_validator("user_pool_client_id")
    @classmethod
    def _client(cls, value: str) -> str:
        if not COGNITO_CLIENT_ID.match(value):
            raise invalid("is not a Cognito app client ID (letters, digits, _ and +, at most 128)",
                          "copy the app client ID from the user pool's App integration tab")
        return value

    @field_validator("user_pool_domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        if not COGNITO_DOMAIN_PREFIX.match(value):
            raise invalid("is not a Cognito domain prefix (lower-case letters, digits and hyphens, 1 to 63, no hyphen "
                          "first or last)", "give only the prefix, e.g. airflow-login for "
                          "https://airflow-login.auth.eu-west-1.amazoncognito.com")
        reserved = [word for word in COGNITO_RESERVED_WORDS if word in value]
        if reserved:
            raise invalid(f"contains {reserved[0]!r}, which Cognito does not allow in a domain prefix",
                          f"choose a prefix without {', '.join(COGNITO_RESERVED_WORDS)}")
        return value


class PrivateAccessSettings(SettingsModel):
    """The load balancer that makes the private web server reachable, and sign-in (PrivateAccessAlb)."""

    enabled: bool = Field(False, description="Put an HTTPS load balancer with sign-in in front of the private web server.")
    host_name: Optional[str] = Field(None, description="Host name users open, e.g. airflow.example.com.")
    route53_zone_id: Optional[str] = Field(None, description="Route 53 zone that gets the alias record for hostName.")
    certificate_arn: Optional[str] = Field(None, description="ACM certificate for hostName; default: one requested and validated by DNS.")
    certificate_validation_zone_id: Optional[str] = Field(
        None, description="Public zone for the certificate's validation record; default: route53ZoneId (must then be public).")
    internet_facing: bool = Field(False, description="Internet-facing instead of internal; needs subnetIds of public subnets.")
    subnet_ids: Optional[list[str]] = Field(None, description="Subnets of the load balancer; default: the environment's private subnets.")
    allowed_cidrs: list[str] = Field(default_factory=list, description="Networks admitted to the load balancer on 443 (and 80, which redirects).")
    allowed_prefix_list_ids: list[str] = Field(default_factory=list, description="Managed prefix lists admitted like allowedCidrs.")
    api_client_cidrs: list[str] = Field(
        default_factory=list, description="Fargate: networks (inside allowedCidrs) whose REST clients, such as CI jobs, "
                                          "reach /api/v2 and /auth/token with Airflow tokens without the sign-in.")
    tls_policy: str = Field(DEFAULT_TLS_POLICY, description="Security policy of the HTTPS listener (a TLS 1.3 policy).")
    sign_in: Literal["oidc", "cognito"] = Field("oidc", description="How the listener signs users in.")
    oidc: Optional[OidcSettings] = Field(None, description="The OIDC identity provider (signIn oidc).")
    cognito: Optional[CognitoSettings] = Field(None, description="The Cognito user pool (signIn cognito).")
    session_timeout_seconds: int = Field(28800, ge=60, le=604800, description="Lifetime of a sign-in session.")
    identity_provider_cidrs: list[str] = Field(
        default_factory=lambda: ["0.0.0.0/0"],
        description="Where the load balancer may reach the IdP's token and user info endpoints on 443; the default "
                    "(any address) needs a NAT gateway, an IdP inside your network can be listed by CIDR instead.")
    groups_claim: str = Field("groups", description="Claim of the IdP token that lists the user's groups.")
    group_role_mapping: dict[str, str] = Field(
        default_factory=dict, description="IdP group -> Airflow role (Admin, Op, User, Viewer); users in no listed group "
                                          "are refused. Required with privateAccess: MWAA's login function and Fargate's "
                                          "api-server sign users in with it.")
    access_log_retention_days: int = Field(90, ge=1, le=3650, description="Days the load balancer's access logs are kept.")

    @field_validator("host_name")
    @classmethod
    def _host(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not HOST_NAME.match(value):
            raise invalid("is not a fully qualified lower-case host name", "write it like airflow.example.com")
        return value

    @field_validator("route53_zone_id", "certificate_validation_zone_id")
    @classmethod
    def _zone(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not HOSTED_ZONE_ID.match(value):
            raise invalid("is not a Route 53 hosted zone ID", "use the ID shown in Route 53, e.g. Z0123456789ABCDEFGHIJ")
        return value

    @field_validator("certificate_arn")
    @classmethod
    def _certificate(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not CERTIFICATE_ARN.match(value):
            raise invalid("is not an ACM certificate ARN", "use arn:aws:acm:REGION:ACCOUNT:certificate/ID")
        return value

    @field_validator("subnet_ids")
    @classmethod
    def _subnets(cls, value: Optional[list[str]]) -> Optional[list[str]]:
        bad = [s for s in value or [] if not SUBNET_ID.match(s)]
        if bad:
            raise invalid(f"has values that are not subnet IDs: {bad}", "use IDs like subnet-0abc12345def67890")
        if value is not None and len(set(value)) < 2:
            raise invalid("must list at least two subnets in two Availability Zones", "add a subnet of another zone")
        return value

    @field_validator("allowed_cidrs")
    @classmethod
    def _cidrs(cls, value: list[str]) -> list[str]:
        return ingress_cidrs(value)

    @field_validator("api_client_cidrs")
    @classmethod
    def _api_client_cidrs(cls, value: list[str]) -> list[str]:
        # Each path takes one listener rule per 3 networks, and a listener holds 100 rules in all.
        if len(value) > MAX_API_CLIENT_CIDRS:
            raise invalid(f"lists {len(value)} networks, more than {MAX_API_CLIENT_CIDRS} (each 3 take two listener rules "
                          "of the 100 a listener holds)", "list the CI networks as fewer, larger blocks")
        return ingress_cidrs(value)

    @field_validator("identity_provider_cidrs")
    @classmethod
    def _idp_cidrs(cls, value: list[str]) -> list[str]:
        for text in value:
            cidr(text, fix="use a network address such as 10.60.0.0/24, or 0.0.0.0/0 for an IdP on the internet")
        if not value:
            raise invalid("leaves the load balancer no way to the identity provider",
                          "list where the IdP's token and user info endpoints are, or keep the default 0.0.0.0/0")
        return value

    @field_validator("allowed_prefix_list_ids")
    @classmethod
    def _prefix_lists(cls, value: list[str]) -> list[str]:
        bad = [p for p in value if not PREFIX_LIST_ID.match(p)]
        if bad:
            raise invalid(f"has values that are not prefix list IDs: {bad}", "use IDs like pl-0123456789abcdef0")
        return value

    @field_validator("tls_policy")
    @classmethod
    def _tls(cls, value: str) -> str:
        if not value.startswith("ELBSecurityPolicy-TLS13-"):
            raise invalid("is not a TLS 1.3 security policy", f"use {DEFAULT_TLS_POLICY} or another ELBSecurityPolicy-TLS13-* policy")
        return value

    @field_validator("group_role_mapping")
    @classmethod
    def _roles(cls, value: dict[str, str]) -> dict[str, str]:
        bad = {group: role for group, role in value.items() if role not in AIRFLOW_UI_ROLES}
        if bad:
            raise invalid(f"maps groups to roles that are not Airflow UI roles: {bad}",
                          f"map each group to one of {', '.join(AIRFLOW_UI_ROLES)}")
        # The login function compares group names exactly, as the identity provider sends them.
        padded = sorted(group for group in value if group != group.strip())
        if padded:
            raise invalid(f"has group names that start or end with a blank, which no sign-in can match: "
                          f"{padded}", "write each group exactly as your identity provider names it")
        return value


def private_access_checks(project: StackSettings, account: Optional[Account]) -> list[SettingError]:
    """Load balancer settings that only make sense together with the rest of the stack."""
    errors: list[SettingError] = []
    access, network = project.private_access, project.network

    def err(key: str, value: Any, problem: str, fix: str) -> None:
        errors.append(SettingError(project_key(key), value, problem, fix))

    if not access.enabled:
        return errors
    for name in ("host_name", "route53_zone_id"):
        if getattr(access, name) is None:
            err(f"privateAccess.{to_camel(name)}", "(missing)", "is required when privateAccess.enabled is true",
                "add it (see the privateAccess table)")
    if not access.allowed_cidrs and not access.allowed_prefix_list_ids:
        err("privateAccess.allowedCidrs", [], "admits nobody: no CIDR and no prefix list may reach the load balancer",
            "list the networks your users come from, e.g. [10.0.0.0/8]")
    if access.internet_facing and access.subnet_ids is None:
        err("privateAccess.subnetIds", "(missing)", "is required for an internet-facing load balancer (the default "
            "subnets are private)", "list two public subnets, or set internetFacing: false")
    chosen, other = ("oidc", "cognito") if access.sign_in == "oidc" else ("cognito", "oidc")
    if getattr(access, chosen) is None:
        err(f"privateAccess.{chosen}", "(missing)", f"is required with privateAccess.signIn {chosen}",
            f"add the {chosen} settings (see the privateAccess table)")
    if getattr(access, other) is not None:
        err(f"privateAccess.{other}", "(set)", f"is ignored with privateAccess.signIn {chosen}", f"remove it, or set signIn: {other}")
    if not access.group_role_mapping:
        err("privateAccess.groupRoleMapping", {}, "maps no group to an Airflow role, so nobody can sign in",
            "map your IdP groups, e.g. {airflow-admins: Admin, airflow-users: User}")
    if project.platform == "mwaa":
        errors.extend(_mwaa_sign_in_checks(project))
    errors.extend(_api_client_checks(project))
    internet_idp = any(ipaddress.IPv4Network(c).is_global or ipaddress.IPv4Network(c).prefixlen == 0
                       for c in access.identity_provider_cidrs)
    if not network.adopted and network.nat_gateways == "none" and not access.internet_facing and internet_idp:
        err("privateAccess.signIn", access.sign_in, "cannot work: an internal load balancer reaches an identity "
            "provider on the internet only through a NAT gateway, and network.natGateways is none",
            "add a NAT gateway, or list your internal IdP's network in privateAccess.identityProviderCidrs")
    if account is not None:
        errors.extend(_placement_checks(project, account))
    return errors


def _mwaa_sign_in_checks(project: StackSettings) -> list[SettingError]:
    """MWAA's web server is private, and the load balancer sets MWAA's base URL."""
    mwaa = project.mwaa
    errors = []
    if mwaa.webserver_access_mode == "PUBLIC_ONLY":
        errors.append(SettingError(project_key("mwaa.webserverAccessMode"), "PUBLIC_ONLY", "has no private web server "
                                   "for the load balancer to reach", "use PRIVATE_ONLY, or set privateAccess.enabled: false"))
    option = base_url_option(mwaa.airflow_version)
    if option in mwaa.airflow_configuration_options:
        errors.append(SettingError(project_key("mwaa.airflowConfigurationOptions"),
                                   {option: mwaa.airflow_configuration_options[option]},
                                   f"sets {option}, which the load balancer sets to https://privateAccess.hostName",
                                   f"remove {option}"))
    return errors


def _api_client_checks(project: StackSettings) -> list[SettingError]:
    """REST clients skip the sign-in only on Fargate's api-server, and only from networks the load balancer admits."""
    access = project.private_access
    key = project_key("privateAccess.apiClientCidrs")
    if access.api_client_cidrs and project.platform != "fargate":
        return [SettingError(key, access.api_client_cidrs, "is set, but platform is mwaa: MWAA's REST API is reached "
                             "through AWS's own endpoint with an IAM-signed token, not through this load balancer",
                             "remove it (or set platform: fargate)")]
    if access.allowed_prefix_list_ids:
        return []  # a prefix list's entries are not known here
    admitted = [ipaddress.IPv4Network(c) for c in access.allowed_cidrs]
    outside = [c for c in access.api_client_cidrs
               if not any(ipaddress.IPv4Network(c).subnet_of(network) for network in admitted)]
    if outside:
        return [SettingError(key, outside, "lies outside privateAccess.allowedCidrs, so the load balancer's security "
                             "group drops those clients before any rule applies", "add the networks to allowedCidrs too, "
                             "or list only networks inside it")]
    return []


def _placement_checks(project: StackSettings, account: Account) -> list[SettingError]:
    """The client secret and the user pool belong to the stack's own account and Region."""
    access = project.private_access
    found = []
    if access.sign_in == "oidc" and access.oidc:
        found.append(("privateAccess.oidc.clientSecretArn", access.oidc.client_secret_arn,
                      parse_arn(access.oidc.client_secret_arn, "secretsmanager", SECRET), "Secrets Manager secret",
                      OTHER_ACCOUNT_SECRET))
    if access.sign_in == "cognito" and access.cognito:
        # The load balancer's authenticate-cognito action takes a user pool of its own account and Region only.
        found.append(("privateAccess.cognito.userPoolArn", access.cognito.user_pool_arn,
                      parse_arn(access.cognito.user_pool_arn, "cognito-idp", USER_POOL), "Cognito user pool", None))
    errors = []
    for key, value, arn, what, other_account in found:
        problem = arn and placement_problem(arn, account.region, account.partition, account.account_id,
                                            what=what, other_account=other_account)
        if problem:
            errors.append(SettingError(project_key(key), value, *problem))
    return errors
