"""PrivateAccessAlb: an HTTPS load balancer that makes a private Airflow web server reachable, behind sign-in.

The load balancer is internal unless a stack says otherwise, admits only the CIDRs and prefix
lists it is given, and sends traffic only to the target's security group on the target's port.
The target side is a seam: MWAA's webserver endpoint (one IP target per endpoint interface)
or an ECS service that registers its own tasks in `target_group_arn`.

Sign-in happens at the listener (OIDC or Cognito). For MWAA, `web_login` adds the login
function behind `/aws_mwaa/aws-console-sso`: it turns the IdP's groups into an Airflow role,
asks MWAA for a web login token with a role that may only request that Airflow role, and
redirects to the web server with `login=true`, which the listener forwards straight to MWAA.
"""

import json
from typing import Mapping, Optional, Sequence, TypedDict

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from . import naming, policies
from ._aws_context import AwsContext, child_options
from .aws_choices import DEFAULT_TLS_POLICY, AirflowMajorVersion, TargetProtocol, choice
from .lambda_packages import LAMBDA_ARCHITECTURE, LAMBDA_RUNTIME, function_archive
from .private_bucket import private_bucket

TYPE_TOKEN = "airflow-aws:index:PrivateAccessAlb"

HTTPS, HTTP = 443, 80
# A working day: after it the listener sends the user back to the identity provider.
SESSION_TIMEOUT_SECONDS = 8 * 3600
# Where MWAA's login starts, and (with `login=true`) where the login function sends the browser back.
LOGIN_PATHS = {AirflowMajorVersion.V2.value: ["/aws_mwaa/aws-console-sso"],
               AirflowMajorVersion.V3.value: ["/aws_mwaa/aws-console-sso", "/pluginsv2/aws_mwaa/aws-console-sso"]}
LOGOUT_PATH = "/logout"
# Listener rule priorities: blocked paths first (below the login rules' 10-30), machine paths after them.
BLOCKED_PRIORITY, MACHINE_PRIORITY = 1, 100
# A listener rule condition takes at most 3 values (Elastic Load Balancing quotas).
MAX_CONDITION_VALUES = 3


class AlbTargetArgs(TypedDict):
    """What the load balancer forwards to."""

    port: int
    """Port of the targets: 443 for MWAA, 8080 for the Airflow 3 api-server."""
    protocol: TargetProtocol
    """HTTPS (MWAA) or HTTP (api-server)."""
    health_check_path: str
    """Path a live target answers, e.g. `/` (MWAA) or `/api/v2/monitor/health`."""
    health_check_matcher: str
    """HTTP codes that mean healthy, e.g. `200,302` or `200`."""
    security_group_id: NotRequired[pulumi.Input[str]]
    """Group of the targets: the load balancer's egress goes only there, and the group admits the load balancer on `port`. Default: none (no egress to targets)."""
    ip_addresses: NotRequired[Sequence[pulumi.Input[str]]]
    """Target IPs, one attachment each (MWAA). Omit when an ECS service registers its tasks. Default: none."""


class OidcArgs(TypedDict):
    """An OpenID Connect identity provider."""

    issuer: pulumi.Input[str]
    """Issuer identifier."""
    authorization_endpoint: pulumi.Input[str]
    """Authorization endpoint."""
    token_endpoint: pulumi.Input[str]
    """Token endpoint."""
    user_info_endpoint: pulumi.Input[str]
    """User info endpoint."""
    client_id: pulumi.Input[str]
    """Client ID registered for this load balancer."""
    client_secret: pulumi.Input[str]
    """Client secret; pass a secret Output (it is stored encrypted in the state)."""
    scope: NotRequired[pulumi.Input[str]]
    """Scopes requested. Default: `openid email profile`."""


class CognitoArgs(TypedDict):
    """An Amazon Cognito user pool."""

    user_pool_arn: pulumi.Input[str]
    """ARN of the user pool."""
    user_pool_client_id: pulumi.Input[str]
    """App client of the pool (with a secret) for this load balancer."""
    user_pool_domain: pulumi.Input[str]
    """Domain prefix of the pool's hosted UI."""


class AuthenticationArgs(TypedDict):
    """Sign-in at the listener: set `oidc` or `cognito`."""

    oidc: NotRequired[OidcArgs]
    """Sign in with an OIDC identity provider; set this or `cognito`. Default: none."""
    cognito: NotRequired[CognitoArgs]
    """Sign in with a Cognito user pool; set this or `oidc`. Default: none."""
    session_timeout_seconds: NotRequired[int]
    """Lifetime of the sign-in session. Default: 28800 (8 hours)."""
    identity_provider_cidrs: NotRequired[Sequence[str]]
    """Where the load balancer may reach the IdP's token and user info endpoints on 443. Default: 0.0.0.0/0."""


class WebLoginArgs(TypedDict):
    """The MWAA login function behind the sign-in path."""

    environment_name: str
    """Name of the MWAA environment."""
    airflow_major_version: AirflowMajorVersion
    """`2` or `3`: selects the redirect path."""
    group_role_mapping: dict[str, str]
    """IdP group -> Airflow role (Admin, Op, User, Viewer); users in no listed group are refused."""
    groups_claim: NotRequired[str]
    """Claim holding the user's groups. Default: `groups`."""
    log_retention_days: NotRequired[int]
    """Retention of the function's log group `airflow-<environment_name>-web-login`. Default: 30."""
    kms_key_arn: NotRequired[pulumi.Input[Optional[str]]]
    """Customer managed key encrypting that log group; its policy must admit CloudWatch Logs for `airflow-<environment_name>-*` (the environment's key does). Default: none (CloudWatch's own encryption)."""


class AccessLogsArgs(TypedDict):
    """Access logs of the load balancer, in a bucket the component creates."""

    enabled: NotRequired[bool]
    """Write access logs. Default: true."""
    retention_days: NotRequired[int]
    """Days the logs are kept. Default: 90."""


class MachineAccessArgs(TypedDict):
    """Paths that REST clients of some networks reach with their own tokens, without the listener's sign-in."""

    paths: list[str]
    """Path patterns forwarded without sign-in (the target must check the client's token itself)."""
    source_cidrs: list[str]
    """Networks whose requests to `paths` skip the sign-in; they must also be admitted (allowed_cidrs or prefix lists)."""


class PrivateAccessAlbArgs(TypedDict):
    """The arguments of a PrivateAccessAlb."""

    vpc_id: pulumi.Input[str]
    """VPC of the load balancer and its targets."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Subnets of the load balancer, in at least two Availability Zones."""
    host_name: str
    """Host name users open, e.g. airflow.example.com."""
    target: AlbTargetArgs
    """What the load balancer forwards to."""
    internet_facing: NotRequired[bool]
    """Internet-facing instead of internal. Default: false."""
    allowed_cidrs: NotRequired[Sequence[str]]
    """IPv4 blocks admitted on 443 (and 80, which redirects). Default: none."""
    allowed_prefix_list_ids: NotRequired[Sequence[str]]
    """Managed prefix lists admitted on 443 and 80. Default: none."""
    certificate_arn: NotRequired[pulumi.Input[str]]
    """ACM certificate for `host_name`. Default: one requested with DNS validation."""
    route53_zone_id: NotRequired[pulumi.Input[str]]
    """Zone that gets the alias record for `host_name`. Default: no record."""
    certificate_validation_zone_id: NotRequired[pulumi.Input[str]]
    """Public zone for the certificate's DNS validation record. Default: `route53_zone_id`."""
    tls_policy: NotRequired[str]
    """Security policy of the HTTPS listener. Default: ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09."""
    authentication: NotRequired[AuthenticationArgs]
    """Sign-in at the listener. Default: none (the target authenticates)."""
    web_login: NotRequired[WebLoginArgs]
    """The MWAA login function; needs `authentication`. Default: none."""
    machine_access: NotRequired[MachineAccessArgs]
    """REST clients of some networks skip the sign-in on some paths. Default: none."""
    blocked_paths: NotRequired[list[str]]
    """Path patterns the listener answers 403 and never forwards (an API meant only for the target's peers). Default: none."""
    deletion_protection: NotRequired[bool]
    """Refuse deletion of the load balancer. Default: false."""
    access_logs: NotRequired[AccessLogsArgs]
    """Access logs. Default: enabled, kept 90 days."""
    protect_stateful_resources: NotRequired[bool]
    """Protect the access log bucket, the requested certificate and the login function's log group from deletion. Default: false."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource that takes them. Default: none."""


class PrivateAccessAlb(pulumi.ComponentResource):
    """An HTTPS load balancer with sign-in in front of a private Airflow web server."""

    arn: pulumi.Output[str]
    """ARN of the load balancer."""
    dns_name: pulumi.Output[str]
    """DNS name of the load balancer."""
    url: pulumi.Output[str]
    """https://host_name."""
    target_group_arn: pulumi.Output[str]
    """Target group of the web server (ECS services register their tasks here)."""
    security_group_id: pulumi.Output[str]
    """Security group of the load balancer."""
    https_listener_arn: pulumi.Output[str]
    """The HTTPS listener (an ECS service must depend on it)."""
    access_logs_bucket: pulumi.Output[Optional[str]]
    """Bucket holding the access logs, if enabled."""
    login_function_name: pulumi.Output[Optional[str]]
    """Name of the MWAA login function, if any."""

    def __init__(self, name: str, args: PrivateAccessAlbArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        _check(args)
        tags = args.get("tags") or {}
        target = args["target"]
        target_protocol = choice(TargetProtocol, target["protocol"], "PrivateAccessAlb: target.protocol")
        protect = bool(args.get("protect_stateful_resources", False))
        context = AwsContext.of(self)

        group = self._security_group(name, args, tags)
        logs_bucket, log_guards = self._access_logs_bucket(name, args, tags, context)
        self.load_balancer = aws.lb.LoadBalancer(
            name, load_balancer_type="application", internal=not args.get("internet_facing", False),
            subnets=args["subnet_ids"], security_groups=[group.id], drop_invalid_header_fields=True,
            enable_deletion_protection=args.get("deletion_protection", False),
            access_logs={"bucket": logs_bucket.bucket, "enabled": True} if logs_bucket else None,
            tags=tags, opts=child_options(self, depends_on=log_guards))

        self.target_group = aws.lb.TargetGroup(
            f"{name}-target", vpc_id=args["vpc_id"], target_type="ip", port=target["port"],
            protocol=target_protocol,
            health_check={"enabled": True, "protocol": target_protocol, "path": target["health_check_path"],
                          "matcher": target["health_check_matcher"], "interval": 30, "healthy_threshold": 2,
                          "unhealthy_threshold": 3},
            tags=tags, opts=child_options(self))
        for index, ip in enumerate(target.get("ip_addresses") or []):
            aws.lb.TargetGroupAttachment(
                f"{name}-target-{index}", target_group_arn=self.target_group.arn, target_id=ip, port=target["port"],
                opts=child_options(self))

        certificate_arn = self._certificate(name, args, tags, protect)
        authenticate = _authenticate_action(args.get("authentication"))
        self.https_listener = aws.lb.Listener(
            f"{name}-https", load_balancer_arn=self.load_balancer.arn, port=HTTPS, protocol="HTTPS",
            ssl_policy=args.get("tls_policy", DEFAULT_TLS_POLICY), certificate_arn=certificate_arn,
            default_actions=_then_forward(authenticate, self.target_group.arn), tags=tags, opts=child_options(self))
        aws.lb.Listener(
            f"{name}-http", load_balancer_arn=self.load_balancer.arn, port=HTTP, protocol="HTTP",
            default_actions=[{"type": "redirect",
                              "redirect": {"protocol": "HTTPS", "port": str(HTTPS), "status_code": "HTTP_301"}}],
            tags=tags, opts=child_options(self))
        zone_id = args.get("route53_zone_id")
        if zone_id:
            aws.route53.Record(
                f"{name}-alias", zone_id=zone_id, name=args["host_name"], type="A",
                aliases=[{"name": self.load_balancer.dns_name, "zone_id": self.load_balancer.zone_id,
                          "evaluate_target_health": True}],
                opts=child_options(self))

        self._path_rules(name, args, tags)
        login = args.get("web_login")
        login_function = (self._web_login(name, login, args["host_name"], authenticate, tags, context, protect)
                          if login else None)

        self.arn = self.load_balancer.arn
        self.dns_name = self.load_balancer.dns_name
        self.url = pulumi.Output.from_input(f"https://{args['host_name']}")
        self.target_group_arn = self.target_group.arn
        self.security_group_id = group.id
        self.https_listener_arn = self.https_listener.arn
        self.access_logs_bucket = logs_bucket.bucket if logs_bucket else pulumi.Output.from_input(None)
        self.login_function_name = login_function.name if login_function else pulumi.Output.from_input(None)
        self.register_outputs({
            "arn": self.arn, "dns_name": self.dns_name, "url": self.url, "target_group_arn": self.target_group_arn,
            "security_group_id": self.security_group_id, "https_listener_arn": self.https_listener_arn,
            "access_logs_bucket": self.access_logs_bucket, "login_function_name": self.login_function_name,
        })

    def _security_group(self, name, args, tags) -> aws.ec2.SecurityGroup:
        target = args["target"]
        group = aws.ec2.SecurityGroup(
            f"{name}-sg", vpc_id=args["vpc_id"], description=f"Load balancer of {args['host_name']}", tags=tags,
            opts=child_options(self))
        for port, purpose in ((HTTPS, "Users open the Airflow UI"), (HTTP, "Redirected to HTTPS")):
            for index, cidr in enumerate(args.get("allowed_cidrs") or []):
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-sg-in-{port}-cidr-{index}", security_group_id=group.id, cidr_ipv4=cidr,
                    ip_protocol="tcp", from_port=port, to_port=port, description=purpose, opts=child_options(self))
            for index, prefix_list in enumerate(args.get("allowed_prefix_list_ids") or []):
                aws.vpc.SecurityGroupIngressRule(
                    f"{name}-sg-in-{port}-pl-{index}", security_group_id=group.id, prefix_list_id=prefix_list,
                    ip_protocol="tcp", from_port=port, to_port=port, description=purpose, opts=child_options(self))
        if target.get("security_group_id") is not None:
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-target", security_group_id=group.id,
                referenced_security_group_id=target["security_group_id"], ip_protocol="tcp",
                from_port=target["port"], to_port=target["port"], description="Forward to the Airflow web server",
                opts=child_options(self))
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-target-in-alb", security_group_id=target["security_group_id"],
                referenced_security_group_id=group.id, ip_protocol="tcp", from_port=target["port"],
                to_port=target["port"], description=f"Load balancer of {args['host_name']}", opts=child_options(self))
        authentication = args.get("authentication")
        for index, cidr in enumerate((authentication.get("identity_provider_cidrs", ["0.0.0.0/0"])
                                      if authentication else [])):
            # The listener itself calls the IdP's token and user info endpoints during sign-in.
            aws.vpc.SecurityGroupEgressRule(
                f"{name}-sg-out-idp-{index}", security_group_id=group.id, cidr_ipv4=cidr, ip_protocol="tcp",
                from_port=HTTPS, to_port=HTTPS, description="Sign-in: token and user info endpoints of the IdP",
                opts=child_options(self))
        return group

    def _access_logs_bucket(self, name, args, tags, context) -> tuple[Optional[aws.s3.Bucket], list[pulumi.Resource]]:
        """The log bucket and what must be in place before the load balancer writes to it."""
        settings = args.get("access_logs") or {}
        if not settings.get("enabled", True):
            return None, []
        legacy_delivery = aws.elb.get_service_account_output(opts=pulumi.InvokeOutputOptions(parent=self))
        # Load balancers write access logs only with SSE-S3 (AES256), never with a KMS key.
        target = private_bucket(
            self, f"{name}-logs", bucket_prefix="alb-logs-", tags=tags, versioned=False,
            protect=bool(args.get("protect_stateful_resources")), policy_name="delivery",
            policy=lambda bucket_arn: pulumi.Output.all(context.output, bucket_arn, legacy_delivery.arn).apply(
                lambda v: json.dumps(policies.alb_access_logs_bucket_policy(
                    bucket_arn=v[1], account=v[0].account, legacy_delivery_account_arn=v[2]))))
        aws.s3.BucketLifecycleConfiguration(
            f"{name}-logs-expiry", bucket=target.bucket.id,
            rules=[{"id": "expire-access-logs", "status": "Enabled", "filter": {},
                    "expiration": {"days": settings.get("retention_days", 90)}}],
            opts=child_options(self))
        return target.bucket, target.guards

    def _certificate(self, name, args, tags, protect: bool) -> pulumi.Input[str]:
        if args.get("certificate_arn"):
            return args["certificate_arn"]
        zone = args.get("certificate_validation_zone_id") or args["route53_zone_id"]
        certificate = aws.acm.Certificate(
            f"{name}-certificate", domain_name=args["host_name"], validation_method="DNS", key_algorithm="EC_prime256v1",
            # Deleting it takes HTTPS down until a new one is issued and validated.
            tags=tags, opts=child_options(self, protect=protect))
        # One domain, so exactly one validation record: declared here, not inside an apply.
        option = certificate.domain_validation_options.apply(lambda options: options[0])
        record = aws.route53.Record(
            f"{name}-certificate-validation", zone_id=zone, name=option.resource_record_name,
            type=option.resource_record_type, records=[option.resource_record_value], ttl=300, allow_overwrite=True,
            opts=child_options(self))
        validation = aws.acm.CertificateValidation(
            f"{name}-certificate-validated", certificate_arn=certificate.arn, validation_record_fqdns=[record.fqdn],
            opts=child_options(self))
        return validation.certificate_arn

    def _web_login(self, name, login: WebLoginArgs, host_name, authenticate, tags, context,
                   protect: bool) -> aws.lambda_.Function:
        environment = login["environment_name"]
        major_version = choice(AirflowMajorVersion, login["airflow_major_version"],
                               "PrivateAccessAlb: web_login.airflow_major_version")
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-login-logs", name=naming.function_log_group_name(environment, "web-login"),
            retention_in_days=login.get("log_retention_days", 30), kms_key_id=login.get("kms_key_arn"), tags=tags,
            opts=child_options(self, protect=protect))
        function_role = aws.iam.Role(
            f"{name}-login-role", description=f"Signs users in to the Airflow UI of {environment}",
            assume_role_policy=json.dumps(policies.assume_role_policy("lambda.amazonaws.com")), tags=tags,
            opts=child_options(self))
        airflow_roles = [role for role in naming.AIRFLOW_UI_ROLES if role in login["group_role_mapping"].values()]
        login_roles: dict[str, aws.iam.Role] = {}
        for airflow_role in airflow_roles:
            role = aws.iam.Role(
                f"{name}-login-{airflow_role.lower()}",
                description=f"Opens the Airflow UI of {environment} as {airflow_role}, for the login function only",
                assume_role_policy=function_role.arn.apply(
                    lambda arn: json.dumps(policies.web_login_role_trust_policy(arn))),
                tags=tags, opts=child_options(self))
            aws.iam.RolePolicy(
                f"{name}-login-{airflow_role.lower()}-token", role=role.id,
                policy=context.apply(lambda c, r=airflow_role: json.dumps(policies.web_ui_access_policy(
                    partition=c.partition, region=c.region, account=c.account, environment_name=environment,
                    role=r))),
                opts=child_options(self))
            login_roles[airflow_role] = role
        function_policy = aws.iam.RolePolicy(
            f"{name}-login-policy", role=function_role.id,
            policy=pulumi.Output.all(log_group.arn, *[r.arn for r in login_roles.values()]).apply(
                lambda v: json.dumps(policies.web_login_function_policy(log_group_arn=v[0], login_role_arns=v[1:]))),
            opts=child_options(self))
        function = aws.lambda_.Function(
            f"{name}-login", description=f"Signs users in to the Airflow UI of {environment}",
            runtime=LAMBDA_RUNTIME, architectures=[LAMBDA_ARCHITECTURE], handler="app.handler",
            code=function_archive("web_login"),
            role=function_role.arn, timeout=10, memory_size=256,
            logging_config={"log_format": "JSON", "log_group": log_group.name},
            environment={"variables": {
                "MWAA_ENVIRONMENT_NAME": environment,
                "AIRFLOW_MAJOR_VERSION": major_version,
                "ALB_ARN": self.load_balancer.arn,
                # Where the function sends the browser back; never the request's Host header.
                "HOST_NAME": host_name,
                "GROUP_ROLE_MAPPING": json.dumps(login["group_role_mapping"], sort_keys=True),
                "GROUPS_CLAIM": login.get("groups_claim", "groups"),
                "LOGIN_ROLE_ARNS": pulumi.Output.all(**{r: role.arn for r, role in login_roles.items()}).apply(
                    lambda arns: json.dumps(arns, sort_keys=True)),
            }},
            tags=tags, opts=child_options(self, depends_on=[function_policy]))

        login_target = aws.lb.TargetGroup(
            f"{name}-login-tg", target_type="lambda", lambda_multi_value_headers_enabled=True, tags=tags,
            opts=child_options(self))
        invoke = aws.lambda_.Permission(
            f"{name}-login-invoke", action="lambda:InvokeFunction", function=function.name,
            principal="elasticloadbalancing.amazonaws.com", source_arn=login_target.arn, opts=child_options(self))
        aws.lb.TargetGroupAttachment(
            f"{name}-login-tg-function", target_group_arn=login_target.arn, target_id=function.arn,
            opts=child_options(self, depends_on=[invoke]))

        login_paths = LOGIN_PATHS[major_version]
        rules = {
            # The login function's redirect carries the MWAA token: straight to the web server.
            "token": (10, [{"path_pattern": {"values": login_paths}},
                           {"query_strings": [{"key": "login", "value": "true"}]}],
                      [{"type": "forward", "target_group_arn": self.target_group.arn}]),
            "sign-in": (20, [{"path_pattern": {"values": login_paths}}],
                        _then_forward(authenticate, login_target.arn)),
            "sign-out": (30, [{"path_pattern": {"values": [LOGOUT_PATH]}}],
                         [{"type": "forward", "target_group_arn": login_target.arn}]),
        }
        for rule_name, (priority, conditions, actions) in rules.items():
            aws.lb.ListenerRule(
                f"{name}-{rule_name}", listener_arn=self.https_listener.arn, priority=priority,
                conditions=conditions, actions=actions, tags=tags, opts=child_options(self))
        return function


    def _path_rules(self, name, args, tags) -> None:
        """Blocked paths before everything else; machine paths after the login rules, one rule per 3 networks."""
        rules = []
        blocked = args.get("blocked_paths") or []
        for index, paths in enumerate(_chunks(blocked, MAX_CONDITION_VALUES)):
            rules.append((f"blocked-{index}", BLOCKED_PRIORITY + index, [{"path_pattern": {"values": paths}}],
                          [{"type": "fixed-response", "fixed_response": {
                              "content_type": "text/plain", "status_code": "403",
                              "message_body": "Not served through the load balancer"}}]))
        machine = args.get("machine_access")
        if machine:
            # A rule takes 3 values per condition: one rule per path and group of up to 3 networks.
            pairs = [(path, cidrs) for path in machine["paths"]
                     for cidrs in _chunks(machine["source_cidrs"], MAX_CONDITION_VALUES)]
            for index, (path, cidrs) in enumerate(pairs):
                rules.append((f"machine-{index}", MACHINE_PRIORITY + index,
                              [{"path_pattern": {"values": [path]}}, {"source_ip": {"values": cidrs}}],
                              [{"type": "forward", "target_group_arn": self.target_group.arn}]))
        for rule_name, priority, conditions, actions in rules:
            aws.lb.ListenerRule(
                f"{name}-{rule_name}", listener_arn=self.https_listener.arn, priority=priority,
                conditions=conditions, actions=actions, tags=tags, opts=child_options(self))


def _chunks(values: list[str], size: int) -> list[list[str]]:
    return [values[start:start + size] for start in range(0, len(values), size)]


def _check(args: PrivateAccessAlbArgs) -> None:
    if not args.get("certificate_arn") and not (args.get("certificate_validation_zone_id")
                                                or args.get("route53_zone_id")):
        raise ValueError("PrivateAccessAlb: give certificate_arn, or a zone (certificate_validation_zone_id or "
                         "route53_zone_id) to validate a requested certificate in")
    authentication = args.get("authentication")
    if authentication is not None and ("oidc" in authentication) == ("cognito" in authentication):
        raise ValueError("PrivateAccessAlb: authentication needs exactly one of oidc or cognito")
    if args.get("web_login") and authentication is None:
        raise ValueError("PrivateAccessAlb: web_login needs authentication (the login function reads the "
                         "listener's signed claims)")
    if len(args.get("blocked_paths") or []) > (10 - BLOCKED_PRIORITY) * MAX_CONDITION_VALUES:
        raise ValueError("PrivateAccessAlb: at most 27 blocked_paths (their rules must come before the login rules)")
    machine = args.get("machine_access")
    if machine is not None and not (machine["paths"] and machine["source_cidrs"]):
        raise ValueError("PrivateAccessAlb: machine_access needs paths and source_cidrs")


def _authenticate_action(authentication: Optional[AuthenticationArgs]) -> Optional[aws.lb.ListenerDefaultActionArgsDict]:
    if authentication is None:
        return None
    timeout = authentication.get("session_timeout_seconds", SESSION_TIMEOUT_SECONDS)
    if "oidc" in authentication:
        oidc = authentication["oidc"]
        return {"type": "authenticate-oidc", "authenticate_oidc": {
            "issuer": oidc["issuer"], "authorization_endpoint": oidc["authorization_endpoint"],
            "token_endpoint": oidc["token_endpoint"], "user_info_endpoint": oidc["user_info_endpoint"],
            "client_id": oidc["client_id"], "client_secret": pulumi.Output.secret(oidc["client_secret"]),
            "scope": oidc.get("scope", "openid email profile"), "session_timeout": timeout,
            "on_unauthenticated_request": "authenticate"}}
    cognito = authentication.get("cognito")
    assert cognito is not None  # _check: exactly one of oidc and cognito
    return {"type": "authenticate-cognito", "authenticate_cognito": {
        "user_pool_arn": cognito["user_pool_arn"], "user_pool_client_id": cognito["user_pool_client_id"],
        "user_pool_domain": cognito["user_pool_domain"], "session_timeout": timeout,
        "on_unauthenticated_request": "authenticate"}}


def _then_forward(authenticate: Optional[aws.lb.ListenerDefaultActionArgsDict],
                  target_group_arn: pulumi.Input[str]) -> list[aws.lb.ListenerDefaultActionArgsDict]:
    """Actions that sign the user in (when the listener authenticates), then forward."""
    forward: aws.lb.ListenerDefaultActionArgsDict = {"type": "forward", "target_group_arn": target_group_arn}
    if authenticate is None:
        return [forward]
    return [{**authenticate, "order": 1}, {**forward, "order": 2}]
