"""Checks after deploy: is the environment up, allowed what it needs, logging, scheduling and serving?

Each check reads the deployed MWAA environment (GetEnvironment) and what hangs off it; nothing is changed.
"""

import datetime
import json
from typing import Callable, Optional

import boto3

from airflow_aws.naming import log_group_name

from airflow_aws.settings import Settings
from airflow_aws.findings import Finding

# What the execution role must be allowed (AWS docs' execution role baseline; AWS's verify tool simulates the same).
# {name}, {region}, {bucket} are filled from the environment.
REQUIRED_ACTIONS = (
    (("airflow:PublishMetrics",), "{arn}"),
    (("s3:GetObject",), "{bucket}/*"),
    (("s3:ListBucket",), "{bucket}"),
    (("logs:CreateLogStream", "logs:PutLogEvents", "logs:GetLogEvents"),
     "arn:aws:logs:{region}:{account}:log-group:airflow-{name}-*"),
    (("cloudwatch:PutMetricData",), "*"),
    (("sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl",
      "sqs:ReceiveMessage", "sqs:SendMessage"), "arn:aws:sqs:{region}:*:airflow-celery-*"),
)
HEARTBEAT_MINUTES = 15


def _environment(session: boto3.Session, settings: Settings) -> dict:
    return session.client("mwaa").get_environment(Name=settings.project.environment_name)["Environment"]


def environment_status(session: boto3.Session, settings: Settings) -> Finding:
    environment = _environment(session, settings)
    status = environment["Status"]
    error = environment.get("LastUpdate", {}).get("Error")
    if status in ("CREATE_FAILED", "UPDATE_FAILED", "UNAVAILABLE"):
        reason = f": {error['ErrorCode']} {error['ErrorMessage']}" if error else ""
        return Finding("FAIL", "environment", f"{environment['Name']} is {status}{reason}",
                    "fix the cause named above (requirements: `python -m airflow_aws.mwaa_requirements check STACK`), then update")
    if status != "AVAILABLE":
        return Finding("WARN", "environment", f"{environment['Name']} is {status}", "run verify again once it is AVAILABLE")
    return Finding("PASS", "environment", f"{environment['Name']} is AVAILABLE")


def execution_role(session: boto3.Session, settings: Settings) -> Finding:
    environment = _environment(session, settings)
    values = {"arn": environment["Arn"], "bucket": environment["SourceBucketArn"], "region": settings.account.region,
              "account": settings.account.account_id, "name": environment["Name"]}
    iam = session.client("iam")
    denied = []
    for actions, resource in REQUIRED_ACTIONS:
        results = iam.simulate_principal_policy(PolicySourceArn=environment["ExecutionRoleArn"], ActionNames=list(actions),
                                                ResourceArns=[resource.format(**values)])["EvaluationResults"]
        denied += [r["EvalActionName"] for r in results if r["EvalDecision"] != "allowed"]
    if denied:
        return Finding("FAIL", "execution role", f"{environment['ExecutionRoleArn']} is not allowed {', '.join(denied)}",
                    "restore the role's policy (the stack manages it: `pulumi up`), or remove the Deny or boundary blocking it")
    return Finding("PASS", "execution role", f"allowed every action MWAA needs ({sum(len(a) for a, _ in REQUIRED_ACTIONS)})")


def log_groups(session: boto3.Session, settings: Settings) -> Finding:
    name = settings.project.environment_name
    enabled = [t for t, level in settings.project.mwaa.log_levels.items() if level != "DISABLED"]
    logs = session.client("logs")
    silent = []
    for log_type in enabled:
        group = log_group_name(name, log_type)
        streams = logs.describe_log_streams(logGroupName=group, orderBy="LastEventTime", descending=True, limit=1)
        if not any(s.get("lastEventTimestamp") for s in streams["logStreams"]):
            silent.append(group)
    if silent:
        return Finding("FAIL", "log groups", f"no events in {', '.join(silent)}", "check the execution role's logs "
                    "permissions and the KMS key policy (CloudWatch Logs must be allowed to use it)")
    return Finding("PASS", "log groups", f"{len(enabled)} log groups receive events")


def scheduler_heartbeat(session: boto3.Session, settings: Settings) -> Finding:
    now = datetime.datetime.now(datetime.timezone.utc)
    points = session.client("cloudwatch").get_metric_statistics(
        Namespace="AmazonMWAA", MetricName="SchedulerHeartbeat", Statistics=["Sum"], Period=60,
        Dimensions=[{"Name": "Function", "Value": "Scheduler"}, {"Name": "Environment", "Value": settings.project.environment_name}],
        # The end is exclusive: a minute ahead keeps the current, still filling minute in.
        StartTime=now - datetime.timedelta(minutes=HEARTBEAT_MINUTES), EndTime=now + datetime.timedelta(minutes=1))["Datapoints"]
    if not any(p["Sum"] > 0 for p in points):
        return Finding("FAIL", "scheduler", f"no SchedulerHeartbeat in the last {HEARTBEAT_MINUTES} minutes",
                    "read the scheduler log group for the error (often a requirement or plugin that fails to import)")
    return Finding("PASS", "scheduler", f"heartbeat in {len(points)} of the last {HEARTBEAT_MINUTES} minutes")


def web_server_health(session: boto3.Session, settings: Settings) -> Finding:
    """Airflow's health endpoint through MWAA's InvokeRestApi (no network path to the private web server needed)."""
    path = "/monitor/health" if settings.project.mwaa.airflow_version.startswith("3.") else "/health"
    answer = session.client("mwaa").invoke_rest_api(Name=settings.project.environment_name, Path=path, Method="GET")
    body = answer["RestApiResponse"] if isinstance(answer["RestApiResponse"], dict) else json.loads(answer["RestApiResponse"])
    unhealthy = sorted(part for part, state in body.items() if isinstance(state, dict) and state.get("status") != "healthy")
    if answer["RestApiStatusCode"] != 200 or unhealthy:
        return Finding("FAIL", "web server", f"{path} answered {answer['RestApiStatusCode']}; unhealthy: "
                    f"{', '.join(unhealthy) or 'the web server'}", "read the web server and scheduler log groups")
    return Finding("PASS", "web server", f"{path}: " + ", ".join(f"{k} healthy" for k in sorted(body)))


def _alias_target(session: boto3.Session, zone_id: str, host_name: str) -> Optional[str]:
    """The DNS name hostName's alias record points at, as the load balancer reports its own (no `dualstack.`)."""
    answer = session.client("route53").list_resource_record_sets(
        HostedZoneId=zone_id, StartRecordName=host_name, StartRecordType="A", MaxItems="1")["ResourceRecordSets"]
    if not answer or answer[0]["Name"].rstrip(".") != host_name.rstrip(".") or "AliasTarget" not in answer[0]:
        return None
    return answer[0]["AliasTarget"]["DNSName"].rstrip(".").lower().removeprefix("dualstack.")


def _web_target_group(elbv2, dns_name: str) -> Optional[str]:
    """The target group the load balancer's HTTPS listener forwards to by default (after its sign-in action)."""
    balancers = [b for page in elbv2.get_paginator("describe_load_balancers").paginate()
                 for b in page["LoadBalancers"] if b["DNSName"].lower() == dns_name]
    if not balancers:
        return None
    listeners = elbv2.describe_listeners(LoadBalancerArn=balancers[0]["LoadBalancerArn"])["Listeners"]
    actions = [a for listener in listeners if listener["Port"] == 443 for a in listener["DefaultActions"]]
    return next((a["TargetGroupArn"] for a in actions if a["Type"] == "forward"), None)


def load_balancer_targets(session: boto3.Session, settings: Settings) -> Optional[Finding]:
    """The web server behind privateAccess' load balancer, found from hostName's alias record: the target group's
    name is generated by Pulumi and its tags are the user's, so neither identifies it."""
    access = settings.project.private_access
    if not access.enabled:
        return None
    host = access.host_name or ""
    if not access.route53_zone_id:
        return Finding("WARN", "load balancer targets", f"no privateAccess.route53ZoneId: the load balancer behind "
                       f"{host} cannot be found", "read the target group's health in the EC2 console")
    dns_name = _alias_target(session, access.route53_zone_id, host)
    elbv2 = session.client("elbv2")
    group = _web_target_group(elbv2, dns_name) if dns_name else None
    if group is None:
        return Finding("FAIL", "load balancer targets", f"{host} in {access.route53_zone_id} is not an alias of a "
                       "load balancer with an HTTPS listener forwarding to a target group", "run `pulumi up` to restore it")
    targets = elbv2.describe_target_health(TargetGroupArn=group)["TargetHealthDescriptions"]
    unhealthy = [f"{t['Target']['Id']} {t['TargetHealth']['State']} ({t['TargetHealth'].get('Reason', 'no reason')}"
                 + (f": {t['TargetHealth']['Description']}" if t["TargetHealth"].get("Description") else "") + ")"
                 for t in targets if t["TargetHealth"]["State"] != "healthy"]
    if unhealthy or not targets:
        return Finding("FAIL", "load balancer targets", f"unhealthy: {'; '.join(unhealthy)}" if unhealthy else
                       f"{group} has no targets", "Target.Timeout: the web server's security group must admit the load "
                       "balancer's on 443; Target.ResponseCodeMismatch: the health check path or matcher; no targets: "
                       "the web server endpoint's addresses changed, run `pulumi up`")
    return Finding("PASS", "load balancer targets", f"{len(targets)} targets healthy behind {host}")


CHECKS: tuple[Callable[[boto3.Session, Settings], Optional[Finding]], ...] = (
    environment_status, execution_role, log_groups, scheduler_heartbeat, web_server_health, load_balancer_targets)
