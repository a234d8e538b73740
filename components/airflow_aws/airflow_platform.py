"""AirflowPlatform: the whole tested architecture as one component, built from a stack's settings.

The one place that decides what a stack deploys: the network (created or adopted), MWAA or Fargate, the VPC
endpoints, private access with sign-in, and monitoring. `__main__.py` only loads the settings, builds the
platform and exports its outputs; a Python project does the same with its own settings (docs/using-the-package.md).

The components were the stack's own children before the platform existed: each direct child carries an alias
to that former URN, and the engine derives its descendants' aliases from it, so existing stacks keep every
resource (tests/test_platform.py compares the URNs).
"""

import inspect
from typing import Any, Optional, Sequence

import pulumi
import pulumi_aws as aws
from pydantic.alias_generators import to_camel

import airflow_aws
from airflow_aws import (AirflowMonitoring, AirflowMonitoringArgs, EndpointSet, FargateMetricsArgs, MwaaEnvironment,
                         MwaaEnvironmentArgs, PrivateAccessAlb, PrivateAccessAlbArgs, WebLoginArgs)
from airflow_aws.aws_choices import (AirflowMajorVersion, CpuArchitecture, EndpointManagement, EnvironmentClass, MonitoredPlatform,
                                     TargetProtocol, WebserverAccessMode, WorkerReplacementStrategy)
from airflow_aws.airflow_settings import ui_base_url
from airflow_aws.endpoint_set import interface_private_ips, webserver_endpoint_interface_ids
from airflow_aws.mwaa_environment import TYPE_TOKEN as MWAA_TYPE
from airflow_aws.mwaa_environment import EgressRuleArgs, environment_security_group

from . import platform_network as network_module
from .platform_args import AirflowPlatformArgs
from .platform_settings import settings_from_args
from .settings import FARGATE_PROCESSES, Settings, base_url_option

# MWAA runs in exactly two private subnets (settings refuse any other count), so each of its
# interface endpoints has exactly two network interfaces.
MWAA_SUBNETS = 2
# Endpoints of the EndpointSet that only MWAA calls (its control plane and Celery queues).
MWAA_ONLY_ENDPOINT_SERVICES = ("airflow.api", "airflow.env", "airflow.ops", "sqs")
# The MwaaEnvironment's name: its resources' names and URNs start from it.
MWAA = "mwaa"
TYPE_TOKEN = "airflow-aws:index:AirflowPlatform"


class AirflowPlatform(pulumi.ComponentResource):
    """Airflow on AWS as the stacks deploy it: the network (created or adopted), Amazon MWAA or Airflow 3 on ECS
    Fargate, VPC endpoints, the load balancer with sign-in, and monitoring. Its inputs are the stack settings
    (docs/settings.md), checked as a stack's are before anything is created."""

    # The outputs (docs/using-the-package.md lists them): each attribute's camelCase name is the stack output's.
    vpc_id: pulumi.Output[str]
    """The VPC Airflow runs in (created or adopted)."""
    subnet_ids: pulumi.Output[list[str]]
    """The two private subnets Airflow runs in."""
    alarm_topic_arn: pulumi.Output[str]
    """The SNS topic the alarms notify (the one given or the one made here)."""
    dashboard_name: pulumi.Output[Optional[str]]
    """The CloudWatch dashboard; unset without monitoring.dashboard."""
    airflow_url: Optional[pulumi.Output[str]]
    """The URL people open, the load balancer's host name; with privateAccess.enabled (always on Fargate), else unset."""
    endpoint_ids: Optional[pulumi.Output[dict[str, str]]]
    """VPC endpoint ID by service; with endpoints.enabled, else unset."""
    endpoint_security_group_id: Optional[pulumi.Output[str]]
    """The security group of the interface endpoints; with endpoints.enabled, else unset."""
    environment_arn: Optional[pulumi.Output[str]]
    """MWAA: the environment's ARN; unset on Fargate."""
    environment_name: Optional[pulumi.Output[str]]
    """MWAA: the environment's name; unset on Fargate."""
    webserver_url: Optional[pulumi.Output[str]]
    """MWAA: its own web server host name (reachable from the VPC only when private); unset on Fargate."""
    webserver_vpc_endpoint_service: Optional[pulumi.Output[str]]
    """MWAA: the web server's endpoint service (CUSTOMER endpoint management); unset on Fargate."""
    database_vpc_endpoint_service: Optional[pulumi.Output[str]]
    """MWAA: the metadata database's endpoint service (CUSTOMER endpoint management); unset on Fargate."""
    source_bucket: Optional[pulumi.Output[str]]
    """MWAA: the bucket holding DAGs, requirements.txt, plugins.zip and startup.sh; unset on Fargate."""
    execution_role_arn: Optional[pulumi.Output[str]]
    """MWAA: the environment's execution role; unset on Fargate."""
    security_group_id: Optional[pulumi.Output[str]]
    """MWAA: the environment's security group; unset on Fargate."""
    kms_key_arn: Optional[pulumi.Output[Optional[str]]]
    """MWAA: the customer managed key of the environment and its logs; unset with mwaa.kmsKey aws-owned and on Fargate."""
    web_ui_access_policy_arns: Optional[pulumi.Output[dict[str, str]]]
    """MWAA: the IAM policy granting each Airflow UI role, by role; unset on Fargate."""
    load_balancer_dns_name: Optional[pulumi.Output[str]]
    """MWAA with privateAccess.enabled: the load balancer's DNS name (the alias record points at it); else unset."""
    access_logs_bucket: Optional[pulumi.Output[Optional[str]]]
    """MWAA with privateAccess.enabled: the load balancer's access logs bucket; else unset."""
    login_function_name: Optional[pulumi.Output[Optional[str]]]
    """MWAA with privateAccess.enabled: the Lambda function that signs users in; else unset."""
    platform: Optional[pulumi.Output[str]]
    """Fargate: `fargate`; unset on MWAA."""
    cluster_name: Optional[pulumi.Output[str]]
    """Fargate: the ECS cluster's name; unset on MWAA."""
    cluster_arn: Optional[pulumi.Output[str]]
    """Fargate: the ECS cluster's ARN; unset on MWAA."""
    service_names: Optional[pulumi.Output[dict[str, str]]]
    """Fargate: ECS service name by Airflow process; unset on MWAA."""
    database_endpoint: Optional[pulumi.Output[str]]
    """Fargate: the Aurora PostgreSQL writer endpoint; unset on MWAA."""
    broker_endpoint: Optional[pulumi.Output[str]]
    """Fargate: the ElastiCache endpoint of the Celery broker; unset on MWAA."""
    secret_arns: Optional[pulumi.Output[dict[str, str]]]
    """Fargate: Secrets Manager ARN by secret (database and broker URLs, result backend, Fernet key, JWT and API
    secret keys); unset on MWAA."""
    dags_bucket: Optional[pulumi.Output[str]]
    """Fargate: the bucket the DAG folder syncs from; unset on MWAA."""
    task_role_arns: Optional[pulumi.Output[dict[str, str]]]
    """Fargate: IAM task role ARN by Airflow process; unset on MWAA."""

    def __init__(self, name: str, args: AirflowPlatformArgs, opts: Optional[pulumi.ResourceOptions] = None):
        self._build(name, settings_from_args(args), opts)

    @classmethod
    def from_settings(cls, name: str, settings: Settings, opts: Optional[pulumi.ResourceOptions] = None) -> "AirflowPlatform":
        """The platform from settings already validated (`airflow_aws.settings.load()` or `parse()`)."""
        # Not through __init__: its args are what the package schema declares, and the settings are already checked.
        platform = cls.__new__(cls)
        platform._build(name, settings, opts)
        return platform

    @property
    def outputs(self) -> dict[str, Any]:
        """The stack outputs by name (`environmentArn`, `airflowUrl`, ...), as the stacks export them; the
        attributes above hold the same values."""
        return self._outputs

    def _build(self, name: str, settings: Settings, opts: Optional[pulumi.ResourceOptions]) -> None:
        # An adopted network's subnets are looked up and checked first: what MWAA would refuse stops the
        # program before anything, this component included, is registered.
        adopted = network_module.adopt(settings) if settings.project.network.vpc_id else None
        super().__init__(TYPE_TOKEN, name, None, opts)
        self._outputs = compose(settings, self, adopted)
        for attribute in OUTPUT_ATTRIBUTES:
            setattr(self, attribute, self._outputs.get(to_camel(attribute)))
        self.register_outputs(self._outputs)


# The declared outputs (every annotation of the class is one, as the schema analyzer reads them).
OUTPUT_ATTRIBUTES = tuple(inspect.get_annotations(AirflowPlatform))


def child_options(parent: pulumi.Resource, *former_parents: pulumi.Alias,
                  opts: Optional[pulumi.ResourceOptions] = None) -> pulumi.ResourceOptions:
    """A direct child of the platform, aliased to its URN as a child of the stack (where it was before the
    platform existed) and of any `former_parents`; `opts` adds options of its own."""
    aliases = [pulumi.Alias(parent=pulumi.ROOT_STACK_RESOURCE), *former_parents]
    return pulumi.ResourceOptions.merge(pulumi.ResourceOptions(parent=parent, aliases=aliases), opts)


def compose(settings: Settings, parent: pulumi.Resource,
            adopted: Optional[network_module.NetworkRefs]) -> dict[str, Any]:
    """The platform's components as children of `parent` in the `adopted` network (else a created one); the stack outputs."""
    project = settings.project
    mwaa = project.mwaa
    network = adopted or network_module.create(settings, child_options(parent))
    if project.platform == "fargate":
        return compose_fargate(settings, network, parent)
    # Made before the environment and the endpoints: the endpoints admit it, and the environment
    # starts after the endpoints. It was the environment's child, hence the alias.
    group = environment_security_group(
        MWAA, vpc_id=network.vpc_id, environment_name=project.environment_name, tags=project.tags,
        egress=[EgressRuleArgs(**rule.model_dump(exclude_none=True)) for rule in mwaa.security_group_egress],
        opts=child_options(parent, pulumi.Alias(parent=pulumi.create_urn(MWAA, MWAA_TYPE))))
    endpoint_set = endpoint_set_for(settings, network, [group.id], parent)
    environment_args: MwaaEnvironmentArgs = {
        "environment_name": project.environment_name,
        "vpc_id": network.vpc_id,
        "subnet_ids": network.subnet_ids,
        "security_group_id": group.id,
        "start_after": pulumi.Output.all(network.ready_ids, endpoint_set.ready_ids if endpoint_set else []).apply(
            lambda ids: [*ids[0], *ids[1]]),
        "airflow_version": mwaa.airflow_version,
        "environment_class": EnvironmentClass(mwaa.environment_class),
        "min_workers": mwaa.min_workers,
        "max_workers": mwaa.max_workers,
        "schedulers": mwaa.schedulers,
        "min_webservers": mwaa.min_webservers,
        "max_webservers": mwaa.max_webservers,
        "weekly_maintenance_window_start": mwaa.weekly_maintenance_window_start,
        "webserver_access_mode": WebserverAccessMode(mwaa.webserver_access_mode),
        "endpoint_management": EndpointManagement(mwaa.endpoint_management),
        "airflow_configuration_options": {**mwaa.airflow_configuration_options, **_private_access_options(project)},
        "log_levels": mwaa.log_levels,
        "log_retention_days": mwaa.log_retention_days,
        "create_kms_key": mwaa.kms_key == "create",
        "source_folder": str(settings.project_root / mwaa.source_folder),
        "upload_dags": mwaa.upload_dags,
        "execution_role_policy_statements": mwaa.execution_role_policy_statements,
        "execution_role_managed_policy_arns": mwaa.execution_role_managed_policy_arns,
        "protect_stateful_resources": project.protect,
        "tags": project.tags,
    }
    if mwaa.worker_replacement_strategy:
        environment_args["worker_replacement_strategy"] = WorkerReplacementStrategy(mwaa.worker_replacement_strategy)
    if mwaa.kms_key.startswith("arn:"):
        environment_args["kms_key_arn"] = existing_key_arn(mwaa.kms_key)
    environment = MwaaEnvironment(MWAA, environment_args, opts=child_options(parent))
    private_outputs = compose_private_network(settings, network, environment, endpoint_set, parent)
    monitoring_outputs = compose_monitoring(settings, parent, environment, min_workers=mwaa.min_workers,
                                            max_workers=mwaa.max_workers, log_retention_days=mwaa.log_retention_days,
                                            kms_key_arn=environment.kms_key_arn)
    return {
        **private_outputs,
        **monitoring_outputs,
        "vpcId": network.vpc_id,
        "subnetIds": network.subnet_ids,
        "environmentArn": environment.arn,
        "environmentName": environment.name,
        "webserverUrl": environment.webserver_url,
        "webserverVpcEndpointService": environment.webserver_vpc_endpoint_service,
        "databaseVpcEndpointService": environment.database_vpc_endpoint_service,
        "sourceBucket": environment.bucket_name,
        "executionRoleArn": environment.execution_role_arn,
        "securityGroupId": environment.security_group_id,
        "kmsKeyArn": environment.kms_key_arn,
        "webUiAccessPolicyArns": environment.web_ui_access_policy_arns,
    }


def existing_key_arn(setting: str) -> pulumi.Input[str]:
    """The key ARN of an existing key setting: an alias ARN is resolved to the key it points to.

    MWAA itself takes an alias, but the same key also encrypts log groups (CloudWatch Logs takes only a
    key ARN) and is named in IAM policies, where an alias ARN matches no key and grants nothing.
    """
    if ":alias/" not in setting:
        return setting
    return aws.kms.get_alias_output(name=setting.split(":", 5)[5]).target_key_arn


def _private_access_options(project) -> dict[str, str]:
    """Links in the Airflow UI must point at the load balancer's host name, not the private endpoint."""
    access, version = project.private_access, project.mwaa.airflow_version
    return ({base_url_option(version): ui_base_url(f"https://{access.host_name}", version)}
            if access.enabled else {})


def endpoint_set_for(settings: Settings, network: network_module.NetworkRefs, clients: Sequence[pulumi.Input[str]],
                     parent: pulumi.Resource, skipped: tuple[str, ...] = ()) -> Optional[EndpointSet]:
    """The VPC endpoints the platform's security groups `clients` reach AWS through (but `skipped`), when enabled."""
    endpoints, project = settings.project.endpoints, settings.project
    if not endpoints.enabled:
        return None
    return EndpointSet("endpoints", {
        "vpc_id": network.vpc_id,
        "subnet_ids": network.subnet_ids,
        "route_table_ids": network.route_table_ids,
        "client_security_group_ids": clients,
        "allowed_cidrs": endpoints.allowed_cidrs,
        "skip_services": sorted({*endpoints.skip_services, *skipped}),
        "private_dns": endpoints.private_dns,
        "tags": project.tags,
    }, opts=child_options(parent, opts=endpoint_provider_options(settings)))


def compose_private_network(settings: Settings, network: network_module.NetworkRefs, environment: MwaaEnvironment,
                            endpoint_set: Optional[EndpointSet], parent: pulumi.Resource) -> dict[str, Any]:
    """The environment's own endpoints (CUSTOMER mode) and the load balancer with sign-in that make a private web server usable."""
    project = settings.project
    access, mwaa = project.private_access, project.mwaa
    outputs: dict[str, Any] = {}
    webserver_interfaces = None
    if endpoint_set is not None:
        endpoint_ids: pulumi.Input[dict[str, str]] = endpoint_set.endpoint_ids
        if mwaa.endpoint_management == "CUSTOMER":
            # They need the environment's endpoint services, which exist only once it does.
            own = endpoint_set.add_environment_endpoints({
                "webserver": environment.webserver_vpc_endpoint_service,
                "database": environment.database_vpc_endpoint_service,
                "security_group_id": environment.security_group_id})
            webserver_interfaces = own["webserver"].network_interface_ids
            endpoint_ids = pulumi.Output.all(endpoint_set.endpoint_ids, {k: e.id for k, e in own.items()}).apply(
                lambda v: {**v[0], **v[1]})
        outputs.update(endpointIds=endpoint_ids, endpointSecurityGroupId=endpoint_set.security_group_id)
    if not access.enabled:
        return outputs
    web_login: WebLoginArgs = {"environment_name": project.environment_name,
                               "airflow_major_version": AirflowMajorVersion(mwaa.airflow_version.split(".")[0]),
                               "group_role_mapping": access.group_role_mapping, "groups_claim": access.groups_claim,
                               "log_retention_days": mwaa.log_retention_days, "kms_key_arn": environment.kms_key_arn}
    alb = PrivateAccessAlb("private-access", PrivateAccessAlbArgs(
        **load_balancer_args(project, network),
        vpc_id=network.vpc_id,
        target={"port": 443, "protocol": TargetProtocol.HTTPS, "health_check_path": "/", "health_check_matcher": "200,302",
                "security_group_id": environment.security_group_id,
                "ip_addresses": _webserver_ips(network, environment, webserver_interfaces)},
        web_login=web_login,
    ), opts=child_options(parent))
    outputs.update(airflowUrl=alb.url, loadBalancerDnsName=alb.dns_name, accessLogsBucket=alb.access_logs_bucket,
                   loginFunctionName=alb.login_function_name)
    return outputs


def endpoint_provider_options(settings: Settings) -> Optional[pulumi.ResourceOptions]:
    """Seed 001: when the deploying role may not create VPC endpoints, another role of the same account does.

    The provider stays a child of the stack, not of the platform: every endpoint names its provider by URN,
    and the engine does not carry a provider over by alias (pulumi/pulumi#18395)."""
    role_arn = settings.project.endpoints.assume_role_arn
    if not role_arn:
        return None
    provider = aws.Provider("endpoints", region=settings.account.region,
                            allowed_account_ids=list(settings.account.allowed_account_ids),
                            # The Args class, not a dict: provider config travels as JSON, and only the
                            # class turns role_arn into the roleArn the provider reads.
                            assume_roles=[aws.ProviderAssumeRoleArgs(role_arn=role_arn)])
    return pulumi.ResourceOptions(providers={"aws": provider})


def _webserver_ips(network: network_module.NetworkRefs, environment: MwaaEnvironment,
                   interfaces: Optional[pulumi.Output[Sequence[str]]]) -> list[pulumi.Output[str]]:
    """One IP per interface of the webserver endpoint (the stack's in CUSTOMER mode, else MWAA's); one per subnet, two."""
    if interfaces is None:
        interfaces = webserver_endpoint_interface_ids(environment.webserver_vpc_endpoint_service, network.vpc_id,
                                                      parent=environment)
    return interface_private_ips(interfaces, MWAA_SUBNETS, parent=environment)


def _authentication(access) -> dict[str, Any]:
    common = {"session_timeout_seconds": access.session_timeout_seconds,
              "identity_provider_cidrs": access.identity_provider_cidrs}
    if access.sign_in == "cognito":
        return {**common, "cognito": access.cognito.model_dump()}
    oidc = access.oidc
    secret = aws.secretsmanager.get_secret_version_output(secret_id=oidc.client_secret_arn).secret_string
    return {**common, "oidc": {**oidc.model_dump(exclude={"client_secret_arn"}), "client_secret": pulumi.Output.secret(secret)}}


def compose_monitoring(settings: Settings, parent: pulumi.Resource, platform: pulumi.Resource, *, min_workers: int, max_workers: int,
                       log_retention_days: int, kms_key_arn: pulumi.Input[Optional[str]] = None,
                       fargate: Optional[FargateMetricsArgs] = None) -> dict[str, Any]:
    """Dashboard, alarms and (MWAA) the worker count of the platform component, once it exists.

    MWAA: pass the MwaaEnvironment. Fargate: pass the FargateAirflowCluster and its metrics
    (ECS cluster name, service name per process, the StatsD namespace of its CloudWatch agent).
    """
    project = settings.project
    monitoring = project.monitoring
    monitoring_args: AirflowMonitoringArgs = {
        "environment_name": project.environment_name,
        "platform": MonitoredPlatform.FARGATE if fargate else MonitoredPlatform.MWAA,
        "min_workers": min_workers,
        "max_workers": max_workers,
        "dashboard": monitoring.dashboard,
        "thresholds": {
            "scheduler_heartbeat_missing_minutes": monitoring.scheduler_heartbeat_missing_minutes,
            "tasks_queued_without_progress_minutes": monitoring.tasks_queued_without_progress_minutes,
            "workers_at_maximum_minutes": monitoring.workers_at_maximum_minutes,
            "worker_metric_failing_minutes": monitoring.worker_metric_failing_minutes,
        },
        "worker_metric_every_minutes": monitoring.worker_metric_every_minutes,
        "log_retention_days": log_retention_days,
        "kms_key_arn": kms_key_arn,
        "protect_stateful_resources": project.protect,
        "tags": project.tags,
    }
    if fargate:
        monitoring_args["fargate"] = fargate
    if monitoring.alarm_topic_arn:
        monitoring_args["alarm_topic_arn"] = monitoring.alarm_topic_arn
    # Alarms on an environment still being created would only report that it does not run yet.
    component = AirflowMonitoring("monitoring", monitoring_args,
                                  opts=child_options(parent, opts=pulumi.ResourceOptions(depends_on=[platform])))
    return {"alarmTopicArn": component.alarm_topic_arn, "dashboardName": component.dashboard_name}


def compose_fargate(settings: Settings, network: network_module.NetworkRefs, parent: pulumi.Resource) -> dict[str, Any]:
    """Platform fargate: FargateAirflowCluster instead of MwaaEnvironment; network, load balancer and monitoring alike."""
    # Here, not at the top: an MWAA stack never imports the Fargate cluster.
    from .fargate_airflow_cluster import BrokerArgs, DatabaseArgs, FargateAirflowClusterArgs

    project = settings.project
    fargate = project.fargate
    cluster_args: FargateAirflowClusterArgs = {
        "environment_name": project.environment_name,
        "vpc_id": network.vpc_id,
        "vpc_cidr": network.vpc_cidr,
        "subnet_ids": network.subnet_ids,
        "start_after": network.ready_ids,
        "image": f"{fargate.image}:{fargate.image_tag}",
        "cpu_architecture": CpuArchitecture(fargate.cpu_architecture),
        "api_servers": fargate.api_servers,
        "schedulers": fargate.schedulers,
        "triggerers": fargate.triggerers,
        "min_workers": fargate.min_workers,
        "max_workers": fargate.max_workers,
        "worker_concurrency": fargate.worker_concurrency,
        "flower": fargate.flower,
        "task_sizes": {FARGATE_PROCESSES[key]: size.model_dump() for key, size in fargate.task_sizes.items()},
        "database": DatabaseArgs(**fargate.database.model_dump()),
        "broker": BrokerArgs(**fargate.broker.model_dump(exclude_none=True)),
        "log_retention_days": fargate.log_retention_days,
        "task_log_retention_days": fargate.task_log_retention_days,
        "create_kms_key": fargate.kms_key == "create",
        "dag_sync_interval_seconds": fargate.dag_sync_interval_seconds,
        "metrics_agent_image": fargate.metrics_agent_image,
        "protect_stateful_resources": project.protect,
        "tags": project.tags,
    }
    if fargate.api_workers is not None:
        cluster_args["api_workers"] = fargate.api_workers
    if fargate.kms_key.startswith("arn:"):
        cluster_args["kms_key_arn"] = fargate.kms_key
    if fargate.upload_dags:
        cluster_args["dags_folder"] = str(settings.project_root / fargate.dags_folder)
    if project.private_access.enabled:
        cluster_args["access"] = load_balancer_args(project, network)
        cluster_args["sign_in"] = {"group_role_mapping": project.private_access.group_role_mapping,
                                   "groups_claim": project.private_access.groups_claim}
        cluster_args["api_client_cidrs"] = project.private_access.api_client_cidrs
    cluster = airflow_aws.FargateAirflowCluster("fargate", cluster_args, opts=child_options(parent))
    # MWAA's endpoints minus its own services: ECR, CloudWatch, KMS and S3 stay off the NAT.
    endpoint_set = endpoint_set_for(settings, network, cluster.task_security_group_ids, parent, MWAA_ONLY_ENDPOINT_SERVICES)
    endpoint_outputs = ({"endpointIds": endpoint_set.endpoint_ids, "endpointSecurityGroupId": endpoint_set.security_group_id}
                        if endpoint_set else {})
    monitoring_outputs = compose_monitoring(
        settings, parent, cluster, min_workers=fargate.min_workers, max_workers=fargate.max_workers,
        log_retention_days=fargate.log_retention_days, kms_key_arn=cluster.kms_key_arn,
        fargate=FargateMetricsArgs(cluster_name=cluster.cluster_name, service_names=cluster.service_names,
                                   statsd_namespace=cluster.metrics_namespace))
    return {
        **endpoint_outputs,
        **monitoring_outputs,
        "vpcId": network.vpc_id,
        "subnetIds": network.subnet_ids,
        "platform": "fargate",
        "clusterName": cluster.cluster_name,
        "clusterArn": cluster.cluster_arn,
        "serviceNames": cluster.service_names,
        "airflowUrl": cluster.ui_url,
        "databaseEndpoint": cluster.database_endpoint,
        "brokerEndpoint": cluster.broker_endpoint,
        "secretArns": cluster.secret_arns,
        "dagsBucket": cluster.bucket_name,
        "taskRoleArns": cluster.task_role_arns,
    }


def load_balancer_args(project, network: network_module.NetworkRefs) -> dict[str, Any]:
    """The PrivateAccessAlb arguments privateAccess sets, whatever the load balancer fronts.

    MWAA adds its web server's IPs and the login function. Fargate's api-server signs users in
    itself (Airflow's FAB auth manager), so it has no login function; the listener's sign-in
    still keeps everyone else out.
    """
    access = project.private_access
    return {
        "subnet_ids": access.subnet_ids or network.subnet_ids,
        "internet_facing": access.internet_facing,
        "allowed_cidrs": access.allowed_cidrs,
        "allowed_prefix_list_ids": access.allowed_prefix_list_ids,
        "host_name": access.host_name,
        "route53_zone_id": access.route53_zone_id,
        **({"certificate_arn": access.certificate_arn} if access.certificate_arn else {}),
        **({"certificate_validation_zone_id": access.certificate_validation_zone_id}
           if access.certificate_validation_zone_id else {}),
        "tls_policy": access.tls_policy,
        "authentication": _authentication(access),
        "deletion_protection": project.protect,
        "access_logs": {"enabled": True, "retention_days": access.access_log_retention_days},
        "protect_stateful_resources": project.protect,
        "tags": project.tags,
    }


def export(outputs: dict[str, Any]) -> None:
    for name, value in outputs.items():
        pulumi.export(name, value)
