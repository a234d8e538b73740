"""MwaaEnvironment: an Amazon MWAA environment with everything it needs to pass a security review.

It owns the source bucket, the uploads MWAA reads from it, the execution role, the security
group, the optional customer managed key, the log groups and the IAM policies people need to
open the Airflow UI. The network (VPC, subnets, endpoints) is passed in, so the same component
works in a VPC this program creates and in one a network team already runs; so is the security
group when the endpoints must admit it before the environment exists (`environment_security_group`).
"""

import json
from typing import Any, Mapping, Optional, Sequence, TypedDict, cast

import pulumi
import pulumi_aws as aws
from typing_extensions import NotRequired

from . import naming, policies
from ._aws_context import AwsContext, available_after, child_options, name_tagged
from .aws_choices import (EgressProtocol, EndpointManagement, EnvironmentClass, WebserverAccessMode,
                          WorkerReplacementStrategy, choice)
from .local_paths import local_folder
from .private_bucket import PrivateBucket, private_bucket, upload_tree

TYPE_TOKEN = "airflow-aws:index:MwaaEnvironment"

# Files MWAA reads from the bucket root, and the environment property pair each one feeds.
SOURCE_FILES = {
    "requirements.txt": ("requirements_s3_path", "requirements_s3_object_version"),
    "plugins.zip": ("plugins_s3_path", "plugins_s3_object_version"),
    "startup.sh": ("startup_script_s3_path", "startup_script_s3_object_version"),
}
DAGS_PREFIX = "dags"


class EgressRuleArgs(TypedDict):
    """An egress rule added to the environment's security group."""

    description: pulumi.Input[str]
    """Why the rule exists."""
    protocol: EgressProtocol
    """`tcp`, `udp` or `-1` (all; the ports are then ignored). Must be known at plan time."""
    from_port: pulumi.Input[int]
    """First port of the range."""
    to_port: pulumi.Input[int]
    """Last port of the range."""
    cidr: NotRequired[pulumi.Input[str]]
    """Destination IPv4 CIDR block; set this or `prefix_list_id`. Default: none."""
    prefix_list_id: NotRequired[pulumi.Input[str]]
    """Destination managed prefix list; set this or `cidr`. Default: none."""


class MwaaEnvironmentArgs(TypedDict):
    """The arguments of an MwaaEnvironment."""

    environment_name: str
    """Name of the MWAA environment (also names its log groups, bucket prefix and role scope). Must be known at plan time."""
    vpc_id: pulumi.Input[str]
    """VPC the environment's security group belongs to."""
    subnet_ids: pulumi.Input[Sequence[pulumi.Input[str]]]
    """Two private subnets in two Availability Zones."""
    airflow_version: NotRequired[pulumi.Input[str]]
    """Airflow version. Default: MWAA's latest."""
    environment_class: NotRequired[EnvironmentClass]
    """mw1.micro .. mw1.2xlarge. Default: mw1.small."""
    min_workers: NotRequired[pulumi.Input[int]]
    """Workers always running. Default: 1."""
    max_workers: NotRequired[pulumi.Input[int]]
    """Upper bound of worker autoscaling. Default: 10."""
    schedulers: NotRequired[pulumi.Input[int]]
    """Schedulers. Default: 2 (1 on mw1.micro)."""
    min_webservers: NotRequired[pulumi.Input[int]]
    """Web servers always running. Default: 2 (1 on mw1.micro)."""
    max_webservers: NotRequired[pulumi.Input[int]]
    """Upper bound of web servers. Default: 2 (1 on mw1.micro)."""
    weekly_maintenance_window_start: NotRequired[pulumi.Input[str]]
    """DAY:HH:MM in UTC. Default: chosen by MWAA."""
    webserver_access_mode: NotRequired[WebserverAccessMode]
    """PRIVATE_ONLY, PUBLIC_ONLY or PUBLIC_AND_PRIVATE. Default: PRIVATE_ONLY."""
    endpoint_management: NotRequired[EndpointManagement]
    """SERVICE (MWAA creates its endpoints) or CUSTOMER (you do). Default: SERVICE."""
    worker_replacement_strategy: NotRequired[WorkerReplacementStrategy]
    """FORCED or GRACEFUL. Default: MWAA's."""
    airflow_configuration_options: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Airflow settings as `section.key: value`. Default: none."""
    log_levels: NotRequired[dict[str, str]]
    """Level per log type (dagProcessing, scheduler, task, webserver, worker); a type left out or DISABLED is off. Default: task INFO, the rest WARNING. Must be known at plan time."""
    log_retention_days: NotRequired[pulumi.Input[int]]
    """Retention of the log groups. Default: 30."""
    create_kms_key: NotRequired[bool]
    """Create a customer managed key for bucket, logs and environment. Default: false."""
    kms_key_arn: NotRequired[pulumi.Input[str]]
    """Use this existing customer managed key instead (its policy must allow CloudWatch Logs). Default: none."""
    source_folder: NotRequired[str]
    """Local folder with requirements.txt, plugins.zip and startup.sh (each optional); absolute from a program in another language. Default: none."""
    upload_dags: NotRequired[bool]
    """Upload `<source_folder>/dags` to the bucket. Default: false."""
    execution_role_policy_statements: NotRequired[Sequence[dict[str, Any]]]
    """Extra IAM statements for the services DAGs drive. Default: none."""
    execution_role_managed_policy_arns: NotRequired[Sequence[pulumi.Input[str]]]
    """Managed policies attached to the execution role. Default: none."""
    security_group_egress: NotRequired[Sequence[EgressRuleArgs]]
    """Egress beyond the environment itself and HTTPS (of the group made here). Default: none."""
    security_group_id: NotRequired[pulumi.Input[str]]
    """Use this security group, made with `environment_security_group`, instead of making one. Default: one made here."""
    start_after: NotRequired[pulumi.Input[Sequence[pulumi.Input[str]]]]
    """IDs of what gives the environment its way to AWS, which it needs all through its 20-30 minute creation (VpcNetwork and EndpointSet `ready_ids`); it is created after they exist. Default: none."""
    protect_stateful_resources: NotRequired[bool]
    """Protect the environment (it holds the Airflow metadata database), bucket, key and log groups from deletion and replacement. Default: false."""
    tags: NotRequired[pulumi.Input[Mapping[str, pulumi.Input[str]]]]
    """Tags on every resource that takes them. Default: none."""


DEFAULT_LOG_LEVELS = {"dagProcessing": "WARNING", "scheduler": "WARNING", "task": "INFO",
                      "webserver": "WARNING", "worker": "WARNING"}


class MwaaEnvironment(pulumi.ComponentResource):
    """An Amazon MWAA environment with its bucket, role, security group, key, log groups and UI access policies."""

    arn: pulumi.Output[str]
    """ARN of the environment."""
    name: pulumi.Output[str]
    """Name of the environment."""
    webserver_url: pulumi.Output[str]
    """Host name of the Airflow web server."""
    webserver_vpc_endpoint_service: pulumi.Output[str]
    """Endpoint service of the web server (for CUSTOMER endpoints and load balancers)."""
    database_vpc_endpoint_service: pulumi.Output[str]
    """Endpoint service of the metadata database (for CUSTOMER endpoints)."""
    bucket_name: pulumi.Output[str]
    """Source bucket name."""
    bucket_arn: pulumi.Output[str]
    """Source bucket ARN."""
    execution_role_arn: pulumi.Output[str]
    """ARN of the execution role; grant it what DAGs need."""
    execution_role_name: pulumi.Output[str]
    """Name of the execution role."""
    security_group_id: pulumi.Output[str]
    """Security group of the environment."""
    kms_key_arn: pulumi.Output[Optional[str]]
    """Customer managed key in use, if any."""
    log_group_names: pulumi.Output[list[str]]
    """Log groups of the enabled log types."""
    web_ui_access_policy_arns: pulumi.Output[dict[str, str]]
    """IAM policy ARN per Airflow UI role (Admin, Op, User, Viewer), for SSO permission sets."""

    def __init__(self, name: str, args: MwaaEnvironmentArgs, opts: Optional[pulumi.ResourceOptions] = None):
        super().__init__(TYPE_TOKEN, name, None, opts)
        _check(args)
        env = args["environment_name"]
        tags = args.get("tags") or {}
        protect = bool(args.get("protect_stateful_resources", False))
        context = AwsContext.of(self)

        key_arn = self._key(name, args, env, tags, protect, context)
        bucket = private_bucket(self, f"{name}-source", bucket_prefix=naming.bucket_prefix(env), tags=tags,
                                protect=protect, kms_key_arn=key_arn)
        sources = self._uploads(name, args, bucket)
        log_groups = self._log_groups(name, args, env, tags, protect, key_arn)
        role, role_policies = self._execution_role(name, args, env, tags, bucket.bucket.arn, key_arn, context)
        security_group_id = args.get("security_group_id") or environment_security_group(
            name, vpc_id=args["vpc_id"], environment_name=env, tags=tags, egress=args.get("security_group_egress"),
            opts=child_options(self)).id

        levels = args.get("log_levels", DEFAULT_LOG_LEVELS)
        # The keys are LoggingConfiguration's fields, as naming.LOG_TYPES lists them.
        logging = cast(aws.mwaa.EnvironmentLoggingConfigurationArgsDict, {
            field: {"enabled": levels.get(log_type, "DISABLED") != "DISABLED",
                    **({"log_level": levels[log_type]} if levels.get(log_type, "DISABLED") != "DISABLED" else {})}
            for log_type, (field, _) in naming.LOG_TYPES.items()
        })
        # MWAA receives its subnets only once everything it starts after exists.
        subnet_ids = available_after(args["subnet_ids"], args.get("start_after", []))
        self.environment = aws.mwaa.Environment(
            name,
            name=env,
            source_bucket_arn=bucket.bucket.arn,
            dag_s3_path=DAGS_PREFIX,
            execution_role_arn=role.arn,
            kms_key=key_arn,
            network_configuration={"security_group_ids": [security_group_id], "subnet_ids": subnet_ids},
            # An input not given is None, which Pulumi leaves out: MWAA applies its default.
            airflow_version=args.get("airflow_version"), min_workers=args.get("min_workers"),
            max_workers=args.get("max_workers"), schedulers=args.get("schedulers"),
            min_webservers=args.get("min_webservers"), max_webservers=args.get("max_webservers"),
            weekly_maintenance_window_start=args.get("weekly_maintenance_window_start"),
            airflow_configuration_options=args.get("airflow_configuration_options"),
            # MWAA gets an enumerated input's plain value, whether the caller gave the enum member or the string.
            environment_class=choice(EnvironmentClass, args.get("environment_class"), "MwaaEnvironment: environment_class"),
            endpoint_management=choice(EndpointManagement, args.get("endpoint_management"),
                                       "MwaaEnvironment: endpoint_management"),
            worker_replacement_strategy=choice(WorkerReplacementStrategy, args.get("worker_replacement_strategy"),
                                               "MwaaEnvironment: worker_replacement_strategy"),
            webserver_access_mode=choice(WebserverAccessMode, args.get("webserver_access_mode",
                                                                       WebserverAccessMode.PRIVATE_ONLY),
                                         "MwaaEnvironment: webserver_access_mode"),
            logging_configuration=logging,
            tags=tags,
            **sources,
            # MWAA checks the role, the bucket's public access block and versioning when it
            # starts, and writes into the log groups: all must exist first.
            opts=child_options(self, protect=protect, depends_on=[*role_policies, *bucket.guards, *log_groups]),
        )

        ui_policies = {
            role_name: aws.iam.Policy(
                f"{name}-ui-{role_name.lower()}",
                description=f"Open the Airflow UI of {env} as {role_name}",
                policy=context.apply(lambda c, r=role_name: json.dumps(policies.web_ui_access_policy(
                    partition=c.partition, region=c.region, account=c.account, environment_name=env, role=r))),
                tags=tags,
                opts=child_options(self),
            )
            for role_name in naming.AIRFLOW_UI_ROLES
        }

        self.arn = self.environment.arn
        self.name = self.environment.name
        self.webserver_url = self.environment.webserver_url
        self.webserver_vpc_endpoint_service = self.environment.webserver_vpc_endpoint_service
        self.database_vpc_endpoint_service = self.environment.database_vpc_endpoint_service
        self.bucket_name = bucket.bucket.bucket
        self.bucket_arn = bucket.bucket.arn
        self.execution_role_arn = role.arn
        self.execution_role_name = role.name
        self.security_group_id = pulumi.Output.from_input(security_group_id)
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.log_group_names = pulumi.Output.all(*[g.name for g in log_groups])
        self.web_ui_access_policy_arns = pulumi.Output.all(**{r: p.arn for r, p in ui_policies.items()})
        self.register_outputs({
            "arn": self.arn, "name": self.name, "webserver_url": self.webserver_url,
            "webserver_vpc_endpoint_service": self.webserver_vpc_endpoint_service,
            "database_vpc_endpoint_service": self.database_vpc_endpoint_service,
            "bucket_name": self.bucket_name, "bucket_arn": self.bucket_arn,
            "execution_role_arn": self.execution_role_arn, "execution_role_name": self.execution_role_name,
            "security_group_id": self.security_group_id, "kms_key_arn": self.kms_key_arn,
            "log_group_names": self.log_group_names, "web_ui_access_policy_arns": self.web_ui_access_policy_arns,
        })

    def _key(self, name, args, env, tags, protect, context) -> Optional[pulumi.Input[str]]:
        if not args.get("create_kms_key"):
            return args.get("kms_key_arn")
        key = aws.kms.Key(
            f"{name}-key",
            description=f"Encrypts the MWAA environment {env}: its bucket, logs and metadata",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=context.apply(lambda c: json.dumps(policies.mwaa_key_policy(
                partition=c.partition, region=c.region, account=c.account, environment_name=env))),
            tags=tags,
            opts=child_options(self, protect=protect),
        )
        aws.kms.Alias(f"{name}-key-alias", name=f"alias/airflow-{env}", target_key_id=key.key_id,
                      opts=child_options(self))
        return key.arn

    def _uploads(self, name, args, bucket: PrivateBucket) -> dict[str, pulumi.Input[str]]:
        """Upload the source files; each object's version goes into the environment, DAGs' never do."""
        folder = args.get("source_folder")
        if not folder:
            return {}
        root = local_folder(folder, "MwaaEnvironment", "source_folder")
        # Objects uploaded before versioning is on get no version ID, which MWAA needs.
        upload_opts = child_options(self, depends_on=bucket.guards)
        properties: dict[str, pulumi.Input[str]] = {}
        for file_name, (path_property, version_property) in SOURCE_FILES.items():
            if (root / file_name).is_file():
                obj = aws.s3.BucketObjectv2(
                    f"{name}-{file_name}", bucket=bucket.bucket.id, key=file_name,
                    source=pulumi.FileAsset(str(root / file_name)), opts=upload_opts)
                properties[path_property] = file_name
                properties[version_property] = obj.version_id
        if args.get("upload_dags") and (root / DAGS_PREFIX).is_dir():
            upload_tree(self, name, bucket, root / DAGS_PREFIX, DAGS_PREFIX)
        return properties

    def _log_groups(self, name, args, env, tags, protect, key_arn) -> list[aws.cloudwatch.LogGroup]:
        levels = args.get("log_levels", DEFAULT_LOG_LEVELS)
        return [
            aws.cloudwatch.LogGroup(
                f"{name}-logs-{log_type}", name=naming.log_group_name(env, log_type),
                retention_in_days=args.get("log_retention_days", 30), kms_key_id=key_arn, tags=tags,
                opts=child_options(self, protect=protect))
            for log_type in naming.LOG_TYPES
            if levels.get(log_type, "DISABLED") != "DISABLED"
        ]

    def _execution_role(self, name, args, env, tags, bucket_arn, key_arn, context):
        role = aws.iam.Role(
            f"{name}-execution", description=f"Execution role of the MWAA environment {env}",
            assume_role_policy=json.dumps(policies.mwaa_execution_trust_policy()), tags=tags,
            opts=child_options(self))
        baseline = aws.iam.RolePolicy(
            f"{name}-execution-baseline", role=role.id,
            policy=pulumi.Output.all(context.output, bucket_arn, key_arn).apply(
                lambda v: json.dumps(policies.mwaa_execution_policy(
                    partition=v[0].partition, region=v[0].region, account=v[0].account, environment_name=env,
                    bucket_arn=v[1], kms_key_arn=v[2]))),
            opts=child_options(self))
        attached: list[pulumi.Resource] = [baseline]
        statements = args.get("execution_role_policy_statements") or []
        if statements:
            attached.append(aws.iam.RolePolicy(
                f"{name}-execution-extra", role=role.id,
                policy=json.dumps(policies.extra_statements_policy(statements)), opts=child_options(self)))
        for index, policy_arn in enumerate(args.get("execution_role_managed_policy_arns") or []):
            attached.append(aws.iam.RolePolicyAttachment(
                f"{name}-execution-managed-{index}", role=role.name, policy_arn=policy_arn,
                opts=child_options(self)))
        return role, attached


def _check(args: MwaaEnvironmentArgs) -> None:
    if args.get("kms_key_arn") and args.get("create_kms_key"):
        raise ValueError("MwaaEnvironment: set create_kms_key or kms_key_arn, not both")
    if args.get("security_group_id") and args.get("security_group_egress"):
        raise ValueError("MwaaEnvironment: security_group_egress applies to the group made here; with "
                         "security_group_id give the egress to environment_security_group instead")


def environment_security_group(name: str, *, vpc_id: pulumi.Input[str], environment_name: str,
                               tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
                               egress: Optional[Sequence[EgressRuleArgs]] = None,
                               opts: Optional[pulumi.ResourceOptions] = None) -> aws.ec2.SecurityGroup:
    """An environment's security group, named after the MwaaEnvironment `name` it is for.

    MwaaEnvironment makes it unless given `security_group_id`. Make it yourself when others must
    admit the environment before it exists: the VPC endpoints it must start after admit this group.
    """
    group = aws.ec2.SecurityGroup(
        f"{name}-sg", vpc_id=vpc_id, description=f"MWAA environment {environment_name}",
        tags=name_tagged(tags, f"airflow-{environment_name}"), opts=opts)
    # MWAA's workers, schedulers, web servers and database endpoint talk to each other on
    # any port: the group must admit itself (cloudposse/terraform-aws-mwaa#10).
    aws.vpc.SecurityGroupIngressRule(
        f"{name}-sg-in-self", security_group_id=group.id, referenced_security_group_id=group.id,
        ip_protocol="-1", description="Airflow components reach each other", opts=opts)
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-sg-out-self", security_group_id=group.id, referenced_security_group_id=group.id,
        ip_protocol="-1", description="Airflow components reach each other", opts=opts)
    aws.vpc.SecurityGroupEgressRule(
        f"{name}-sg-out-https", security_group_id=group.id, cidr_ipv4="0.0.0.0/0", ip_protocol="tcp",
        from_port=443, to_port=443, description="AWS APIs through VPC endpoints or NAT", opts=opts)
    for index, rule in enumerate(egress or []):
        protocol = choice(EgressProtocol, rule["protocol"], f"MwaaEnvironment: security_group_egress[{index}].protocol")
        all_traffic = protocol == EgressProtocol.ALL
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-sg-out-{index}", security_group_id=group.id, description=rule["description"],
            ip_protocol=protocol, cidr_ipv4=rule.get("cidr"), prefix_list_id=rule.get("prefix_list_id"),
            from_port=None if all_traffic else rule["from_port"], to_port=None if all_traffic else rule["to_port"],
            opts=opts)
    return group
