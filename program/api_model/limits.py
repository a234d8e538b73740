"""Documented AWS limits botocore's service models do not carry, per Pulumi resource type.

LIMITS maps a Pulumi type token to checks; each takes the resource's inputs (Pulumi's camelCase names,
as registered) and returns the problems, with paths in those names. Each check cites the page that
documents the limit.
"""

import re
from typing import Any, Callable, Iterable, Optional

from airflow_aws.naming import ec2_description_problem
from airflow_aws.settings import LOG_RETENTION_DAYS

from .documents import guarded, whole_number
from .listener_rules import AUTHENTICATE
from .problems import Problem
from .task_limits import fargate_task, task_definition_size

Check = Callable[[dict[str, Any]], list[Problem]]


# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html (the table
# the settings check uses too); the provider's 0 means "never expire" and sends no retention policy.
RETENTION_DAYS = (0, *LOG_RETENTION_DAYS)


def log_group_retention(inputs: dict[str, Any]) -> list[Problem]:
    days = inputs.get("retentionInDays")
    if days is not None and days not in RETENTION_DAYS:
        return [Problem("retentionInDays", days, f"must be one of {', '.join(map(str, RETENTION_DAYS[1:]))} "
                                                 "(or 0: never expire)")]
    return []


# https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_IpPermission.html / API_IpRange.html (rule
# description) and API_CreateSecurityGroup.html (group description): up to 255 characters of
# a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$* (ASCII only); the rule itself is airflow_aws.naming's.
def _ec2_description(value: Any, path: str) -> list[Problem]:
    problem = None if value is None else ec2_description_problem(str(value))
    return [Problem(path, value, problem)] if problem else []


def rule_description(inputs: dict[str, Any]) -> list[Problem]:
    return _ec2_description(inputs.get("description"), "description")


def security_group_descriptions(inputs: dict[str, Any]) -> list[Problem]:
    """The group's description and name, and the description of each inline rule."""
    problems = _ec2_description(inputs.get("description"), "description")
    for key in ("name", "namePrefix"):
        name = inputs.get(key)
        if name is not None and (len(name) > 255 or str(name).startswith("sg-")):
            problems.append(Problem(key, name, "a security group name has at most 255 characters and may not start with sg-"))
    for direction in ("ingress", "egress"):
        for index, rule in enumerate(inputs.get(direction) or []):
            problems += _ec2_description(rule.get("description"), f"{direction}[{index}].description")
    return problems


# https://docs.aws.amazon.com/mwaa/latest/userguide/environment-class.html and mwaa-autoscaling.html:
# schedulers 2 to 5 (mw1.micro: 1), web servers 2 to 5 (mw1.micro: 1), workers at most 25.
MWAA_MAX_WORKERS = 25


def mwaa_capacity(inputs: dict[str, Any]) -> list[Problem]:
    micro = inputs.get("environmentClass") == "mw1.micro"
    problems = []
    low, high = inputs.get("minWorkers"), inputs.get("maxWorkers")
    if low is not None and high is not None and low > high:
        problems.append(Problem("minWorkers", low, f"must not exceed maxWorkers ({high})"))
    if high is not None and high > MWAA_MAX_WORKERS:
        problems.append(Problem("maxWorkers", high, f"MWAA runs at most {MWAA_MAX_WORKERS} workers"))
    allowed = (1, 1) if micro else (2, 5)
    where = "on mw1.micro" if micro else "on this class"
    for key in ("schedulers", "minWebservers", "maxWebservers"):
        value = inputs.get(key)
        if value is not None and not allowed[0] <= value <= allowed[1]:
            problems.append(Problem(key, value, f"must be {allowed[0]} to {allowed[1]} {where}" if not micro
                                    else f"must be 1 {where}"))
    low, high = inputs.get("minWebservers"), inputs.get("maxWebservers")
    if low is not None and high is not None and low > high:
        problems.append(Problem("minWebservers", low, f"must not exceed maxWebservers ({high})"))
    return problems


# https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html and
# API_CreateTargetGroup.html: at most 32 alphanumeric characters or hyphens, not beginning or ending with a
# hyphen (a load balancer's not beginning with "internal-"); the provider's namePrefix takes at most 6.
_ELB_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?")
ELB_PREFIX_MAX = 6


def _elb_name(inputs: dict[str, Any], what: str) -> list[Problem]:
    problems = []
    name, prefix = inputs.get("name"), inputs.get("namePrefix")
    if name is not None and not _ELB_NAME.fullmatch(str(name)):
        problems.append(Problem("name", name, f"a {what} name has 1 to 32 letters, digits or hyphens, not "
                                              "beginning or ending with a hyphen"))
    if what == "load balancer" and name is not None and str(name).startswith("internal-"):
        problems.append(Problem("name", name, "a load balancer name may not begin with internal-"))
    if prefix is not None and (len(prefix) > ELB_PREFIX_MAX or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9-]*", prefix)):
        problems.append(Problem("namePrefix", prefix, f"takes at most {ELB_PREFIX_MAX} letters, digits or hyphens"))
    return problems


def load_balancer_name(inputs: dict[str, Any]) -> list[Problem]:
    return _elb_name(inputs, "load balancer")


# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html:
# interval 5-300 s, timeout 2-120 s and shorter than the interval, thresholds 2-10, path up to 1024 characters
# starting with /, matcher HTTP codes 200-499 (lambda targets: 200-499 too, gRPC 0-99).
def target_group(inputs: dict[str, Any]) -> list[Problem]:
    problems = _elb_name(inputs, "target group")
    health = inputs.get("healthCheck") or {}
    for key, low, high in (("interval", 5, 300), ("timeout", 2, 120), ("healthyThreshold", 2, 10),
                           ("unhealthyThreshold", 2, 10)):
        value = health.get(key)
        if value is not None and not low <= value <= high:
            problems.append(Problem(f"healthCheck.{key}", value, f"must be {low} to {high}"))
    interval, timeout = health.get("interval"), health.get("timeout")
    if interval is not None and timeout is not None and timeout >= interval:
        problems.append(Problem("healthCheck.timeout", timeout, f"must be shorter than the interval ({interval} s)"))
    path = health.get("path")
    if path is not None and not (str(path).startswith("/") and len(path) <= 1024):
        problems.append(Problem("healthCheck.path", path, "must start with / and have at most 1024 characters"))
    # gRPC health checks match gRPC status codes (0 to 99), not HTTP ones.
    for code in _matcher_codes(health.get("matcher")) if inputs.get("protocolVersion") != "GRPC" else []:
        if code is None or not 200 <= code <= 499:
            problems.append(Problem("healthCheck.matcher", health.get("matcher"),
                                    "takes HTTP codes 200 to 499: one (200), a list (200,302) or a range (200-299)"))
            break
    return problems


def _matcher_codes(matcher: Any) -> Iterable[Optional[int]]:
    if not matcher:
        return []
    codes: list[Optional[int]] = []
    for part in str(matcher).split(","):
        codes += [int(code) if code.strip().isdigit() else None for code in part.split("-")]
    return codes


# https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html
# (authentication needs an HTTPS listener) and load-balancer-listeners.html#redirect-actions ("You cannot
# redirect HTTPS to HTTP").
def listener_protocol(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    protocol = inputs.get("protocol")
    for index, action in enumerate(inputs.get("defaultActions") or []):
        if action.get("type") in AUTHENTICATE and protocol != "HTTPS":
            problems.append(Problem(f"defaultActions[{index}].type", action["type"],
                                    f"authentication needs an HTTPS listener, this one is {protocol}"))
        redirect = action.get("redirect") or {}
        if protocol == "HTTPS" and redirect.get("protocol") == "HTTP":
            problems.append(Problem(f"defaultActions[{index}].redirect.protocol", "HTTP",
                                    "an HTTPS listener cannot redirect to HTTP"))
    return problems


# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html: "The total size of all
# environment variables doesn't exceed 4 KB", and the reserved keys a function may not set.
LAMBDA_ENVIRONMENT_MAX = 4096
LAMBDA_RESERVED = {"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_DEFAULT_REGION", "AWS_REGION", "AWS_EXECUTION_ENV",
                   "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "AWS_LAMBDA_FUNCTION_VERSION",
                   "AWS_LAMBDA_INITIALIZATION_TYPE", "AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME",
                   "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                   "AWS_LAMBDA_RUNTIME_API", "LAMBDA_TASK_ROOT", "LAMBDA_RUNTIME_DIR"}


def lambda_environment(inputs: dict[str, Any]) -> list[Problem]:
    variables = (inputs.get("environment") or {}).get("variables") or {}
    problems = [Problem(f"environment.variables[{key!r}]", value, "is reserved by Lambda and cannot be set")
                for key, value in variables.items() if key in LAMBDA_RESERVED]
    size = sum(len(str(key).encode()) + len(str(value).encode()) for key, value in variables.items())
    if size > LAMBDA_ENVIRONMENT_MAX:
        problems.append(Problem("environment.variables", f"{size} bytes",
                                f"a function's environment variables take at most {LAMBDA_ENVIRONMENT_MAX} bytes in all"))
    return problems


# https://docs.aws.amazon.com/acm/latest/APIReference/API_RequestCertificate.html: "The first domain name
# you enter cannot exceed 64 octets, including periods"; each label at most 63; a wildcard only as the
# leftmost label; at most 253 characters per name.
def certificate_domains(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    domain = inputs.get("domainName")
    if domain is not None and len(domain) > 64:
        problems.append(Problem("domainName", domain, "the certificate's first domain name may have at most 64 characters"))
    names = [("domainName", domain)] + [(f"subjectAlternativeNames[{i}]", name)
                                        for i, name in enumerate(inputs.get("subjectAlternativeNames") or [])]
    for path, name in names:
        if name is None:
            continue
        labels = str(name).rstrip(".").split(".")
        if len(name) > 253 or any(not 1 <= len(label) <= 63 for label in labels) or "*" in "".join(labels[1:]) \
                or (labels[0] != "*" and "*" in labels[0]) or len(labels) < 2:
            problems.append(Problem(path, name, "must be a domain name: labels of 1 to 63 characters, at most 253 "
                                                "in all, a wildcard only as the whole first label (*.example.com)"))
    return problems


# https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html: a period of 10,
# 20, 30 or a multiple of 60; evaluation periods x period at most one day (seven days for periods of an
# hour or more); DatapointsToAlarm at most EvaluationPeriods; with Metrics, exactly one returns data.
ALARM_TREAT_MISSING = ("breaching", "notBreaching", "ignore", "missing")


def _alarm_period(period: Any, path: str) -> list[Problem]:
    number = whole_number(period)
    if number is None or not (number in (10, 20, 30) or (number > 0 and number % 60 == 0)):
        return [Problem(path, period, "must be 10, 20, 30 or a multiple of 60 seconds")]
    return []


def metric_alarm(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    queries = inputs.get("metricQueries") or []
    periods = []
    if inputs.get("period") is not None:
        problems += _alarm_period(inputs["period"], "period")
        periods.append(inputs["period"])
    if queries and inputs.get("metricName"):
        problems.append(Problem("metricName", inputs["metricName"], "an alarm has metricName or metricQueries, not both"))
    ids = [query.get("id") for query in queries]
    for index, query in enumerate(queries):
        period = (query.get("metric") or {}).get("period")
        if period is not None:
            problems += _alarm_period(period, f"metricQueries[{index}].metric.period")
            periods.append(period)
        if ids.count(query.get("id")) > 1:
            problems.append(Problem(f"metricQueries[{index}].id", query.get("id"), "must be unique within the alarm"))
        if not re.fullmatch(r"[a-z][a-zA-Z0-9_]*", str(query.get("id"))):
            problems.append(Problem(f"metricQueries[{index}].id", query.get("id"),
                                    "must start with a lowercase letter, then letters, digits or _"))
    if queries and sum(1 for query in queries if query.get("returnData")) != 1:
        problems.append(Problem("metricQueries", [query.get("id") for query in queries if query.get("returnData")],
                                "exactly one query of an alarm has returnData true"))
    evaluation, datapoints = inputs.get("evaluationPeriods"), inputs.get("datapointsToAlarm")
    if datapoints is not None and evaluation is not None and datapoints > evaluation:
        problems.append(Problem("datapointsToAlarm", datapoints, f"must not exceed evaluationPeriods ({evaluation})"))
    for period in periods:
        if evaluation is not None and isinstance(period, (int, float)):
            limit = 7 * 86400 if period >= 3600 else 86400
            if evaluation * period > limit:
                problems.append(Problem("evaluationPeriods", evaluation,
                                        f"x period {int(period)} s is more than {limit // 86400} day(s) of data"))
    if inputs.get("treatMissingData") not in (None, *ALARM_TREAT_MISSING):
        problems.append(Problem("treatMissingData", inputs["treatMissingData"], f"must be one of {', '.join(ALARM_TREAT_MISSING)}"))
    return problems


# Identifiers: https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/CHAP_Limits.html#RDS_Limits.Constraints
# (1 to 63 letters, digits or hyphens; first a letter; no two consecutive hyphens; not ending with one) and
# https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_CreateReplicationGroup.html (the same, 1 to 40).
def _identifier(value: Any, path: str, longest: int) -> list[Problem]:
    text = str(value)
    if value is None:
        return []
    if not (re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", text) and len(text) <= longest and "--" not in text
            and not text.endswith("-")):
        return [Problem(path, value, f"must be 1 to {longest} letters, digits or hyphens, start with a letter, "
                                     "with no two hyphens in a row and no hyphen at the end")]
    return []


def _window(value: Any, path: str, with_day: bool, shortest: int) -> list[Problem]:
    """ddd:hh24:mi-ddd:hh24:mi (or hh24:mi-hh24:mi), UTC, at least `shortest` minutes long."""
    if value is None:
        return []
    part = r"(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):([0-5]\d)" if with_day else r"()([01]\d|2[0-3]):([0-5]\d)"
    match = re.fullmatch(f"{part}-{part}", str(value).lower())
    if not match:
        shape = "ddd:hh24:mi-ddd:hh24:mi" if with_day else "hh24:mi-hh24:mi"
        return [Problem(path, value, f"must be a UTC window {shape}")]
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    start, end = (
        (days.index(match.group(i)) if with_day else 0) * 1440 + int(match.group(i + 1)) * 60 + int(match.group(i + 2))
        for i in (1, 4))
    length = (end - start) % (7 * 1440 if with_day else 1440)
    if length < shortest:
        return [Problem(path, value, f"must last at least {shortest} minutes")]
    return []


# https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html: master password 8 to
# 128 printable ASCII characters except / ' " @ and space; windows of at least 30 minutes; backups kept 1
# to 35 days; Aurora Serverless v2 capacity 0 to 256 ACUs in steps of 0.5.
def rds_cluster(inputs: dict[str, Any]) -> list[Problem]:
    problems = _identifier(inputs.get("clusterIdentifier"), "clusterIdentifier", 63)
    password = inputs.get("masterPassword")
    if password is not None and not re.fullmatch(r"[!#-&(-.0-?A-~]{8,128}", str(password)):
        problems.append(Problem("masterPassword", "(secret)", "must be 8 to 128 printable ASCII characters "
                                                              "other than / ' \" @ and space"))
    user = inputs.get("masterUsername")
    if user is not None and not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,62}", str(user)):
        problems.append(Problem("masterUsername", user, "must be 1 to 63 letters, digits or _, starting with a letter"))
    problems += _window(inputs.get("preferredMaintenanceWindow"), "preferredMaintenanceWindow", True, 30)
    problems += _window(inputs.get("preferredBackupWindow"), "preferredBackupWindow", False, 30)
    retention = inputs.get("backupRetentionPeriod")
    if retention is not None and not 1 <= retention <= 35:
        problems.append(Problem("backupRetentionPeriod", retention, "must be 1 to 35 days"))
    scaling = inputs.get("serverlessv2ScalingConfiguration") or {}
    for key in ("minCapacity", "maxCapacity"):
        value = scaling.get(key)
        if value is not None and not (0 <= value <= 256 and float(value * 2).is_integer()):
            problems.append(Problem(f"serverlessv2ScalingConfiguration.{key}", value, "must be 0 to 256 ACUs in steps of 0.5"))
    if (scaling.get("minCapacity") or 0) > (scaling.get("maxCapacity") or float("inf")):
        problems.append(Problem("serverlessv2ScalingConfiguration.minCapacity", scaling["minCapacity"],
                                f"must not exceed maxCapacity ({scaling['maxCapacity']})"))
    return problems


def rds_instance(inputs: dict[str, Any]) -> list[Problem]:
    return _identifier(inputs.get("identifier"), "identifier", 63)


# https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html: an AUTH token has 16 to 128 printable
# characters other than @ " and /, and needs in-transit encryption; automatic failover needs two or more
# nodes, Multi-AZ needs automatic failover; the maintenance window lasts at least 60 minutes.
def elasticache_replication_group(inputs: dict[str, Any]) -> list[Problem]:
    problems = _identifier(inputs.get("replicationGroupId"), "replicationGroupId", 40)
    token = inputs.get("authToken")
    if token is not None:
        if not re.fullmatch(r"[!#-.0-?A-~]{16,128}", str(token)):
            problems.append(Problem("authToken", "(secret)", "must be 16 to 128 printable characters other than @ \" / and space"))
        if not inputs.get("transitEncryptionEnabled"):
            problems.append(Problem("authToken", "(secret)", "needs transitEncryptionEnabled"))
    nodes = inputs.get("numCacheClusters")
    if inputs.get("automaticFailoverEnabled") and nodes is not None and nodes < 2:
        problems.append(Problem("automaticFailoverEnabled", True, f"needs at least 2 nodes, numCacheClusters is {nodes}"))
    if inputs.get("multiAzEnabled") and not inputs.get("automaticFailoverEnabled"):
        problems.append(Problem("multiAzEnabled", True, "needs automaticFailoverEnabled"))
    if nodes is not None and not 1 <= nodes <= 6:
        problems.append(Problem("numCacheClusters", nodes, "must be 1 to 6 (a primary and up to 5 replicas)"))
    return problems + _window(inputs.get("maintenanceWindow"), "maintenanceWindow", True, 60)


# https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html (7 to 30 days) and
# API_CreateAlias.html (alias/ prefix; alias/aws/ is reserved for AWS managed keys).
def kms_key(inputs: dict[str, Any]) -> list[Problem]:
    window = inputs.get("deletionWindowInDays")
    if window is not None and not 7 <= window <= 30:
        return [Problem("deletionWindowInDays", window, "must be 7 to 30 days")]
    return []


def kms_alias(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    for key in ("name", "namePrefix"):
        name = inputs.get(key)
        if name is not None and (not str(name).startswith("alias/") or str(name).startswith("alias/aws/")):
            problems.append(Problem(key, name, "must start with alias/ and not with alias/aws/ (reserved for AWS)"))
    return problems


# https://docs.aws.amazon.com/autoscaling/application/APIReference/API_RegisterScalableTarget.html
def scalable_target(inputs: dict[str, Any]) -> list[Problem]:
    low, high = inputs.get("minCapacity"), inputs.get("maxCapacity")
    if low is not None and high is not None and low > high:
        return [Problem("minCapacity", low, f"must not exceed maxCapacity ({high})")]
    return []


# https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html (rate, cron, at) and
# https://docs.aws.amazon.com/scheduler/latest/APIReference/API_FlexibleTimeWindow.html (1 to 1440 minutes, FLEXIBLE only).
_SCHEDULE = re.compile(r"rate\(([1-9]\d*) (minute|minutes|hour|hours|day|days)\)|cron\((\S+ ){5}\S+\)|"
                       r"at\(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\)")


def schedule(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    expression = inputs.get("scheduleExpression")
    if expression is not None:
        match = _SCHEDULE.fullmatch(str(expression))
        if not match:
            problems.append(Problem("scheduleExpression", expression,
                                    "must be rate(N unit), cron(six fields) or at(yyyy-mm-ddThh:mm:ss)"))
        elif match.group(1) and (match.group(1) == "1") != (not match.group(2).endswith("s")):
            problems.append(Problem("scheduleExpression", expression, "takes the singular unit for 1 and the plural otherwise"))
    window = inputs.get("flexibleTimeWindow") or {}
    minutes = window.get("maximumWindowInMinutes")
    if window.get("mode") == "FLEXIBLE" and not (minutes is not None and 1 <= minutes <= 1440):
        problems.append(Problem("flexibleTimeWindow.maximumWindowInMinutes", minutes, "FLEXIBLE needs 1 to 1440 minutes"))
    # The provider sends no window for 0 (its zero value), so only a real number of minutes reaches AWS.
    if window.get("mode") == "OFF" and minutes:
        problems.append(Problem("flexibleTimeWindow.maximumWindowInMinutes", minutes, "is only for mode FLEXIBLE"))
    return problems


# https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: 1 to 256 letters, digits, - and _
# (a FIFO topic ends in .fifo); a display name (SMS sender) has at most 100 characters.
def sns_topic(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    name = inputs.get("name")
    if name is not None:
        base = str(name)[:-5] if inputs.get("fifoTopic") and str(name).endswith(".fifo") else str(name)
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", base) or len(str(name)) > 256:
            problems.append(Problem("name", name, "must be 1 to 256 letters, digits, - or _ (.fifo at the end of a FIFO topic)"))
    if len(inputs.get("displayName") or "") > 100:
        problems.append(Problem("displayName", inputs["displayName"], "may have at most 100 characters"))
    return problems


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html: 3 to 63 lowercase letters,
# digits, dots and hyphens, starting and ending with a letter or digit; the provider's bucketPrefix leaves
# room for its 26-character suffix, so at most 37.
def s3_bucket(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    bucket, prefix = inputs.get("bucket"), inputs.get("bucketPrefix")
    if bucket is not None and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", str(bucket)):
        problems.append(Problem("bucket", bucket, "must be 3 to 63 lowercase letters, digits, dots or hyphens, "
                                                  "starting and ending with a letter or digit"))
    if prefix is not None and not re.fullmatch(r"[a-z0-9][a-z0-9.-]{0,36}", str(prefix)):
        problems.append(Problem("bucketPrefix", prefix, "takes at most 37 lowercase letters, digits, dots or hyphens"))
    return problems


# https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html (255 characters, labels of
# at most 63) and ResourceRecordTypes.html#CNAMEFormat (a CNAME record set holds exactly one value; an alias
# record has no TTL and no values).
def route53_record(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    name = str(inputs.get("name") or "")
    if len(name.rstrip(".")) > 255 or any(len(label) > 63 for label in name.rstrip(".").split(".")):
        problems.append(Problem("name", name, "must have at most 255 characters in labels of at most 63"))
    records = inputs.get("records") or []
    if inputs.get("type") == "CNAME" and len(records) > 1:
        problems.append(Problem("records", records, "a CNAME record holds exactly one value"))
    if inputs.get("aliases") and (records or inputs.get("ttl") is not None):
        problems.append(Problem("aliases", inputs["aliases"], "an alias record takes no records and no ttl"))
    return problems


# https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html: a name of at most
# 512 ASCII letters, digits and /_+=.@- (the provider adds a 26-character suffix to namePrefix).
def secret_name(inputs: dict[str, Any]) -> list[Problem]:
    problems = []
    for key, longest in (("name", 512), ("namePrefix", 512 - 26)):
        value = inputs.get(key)
        if value is not None and not re.fullmatch(rf"[A-Za-z0-9/_+=.@-]{{1,{longest}}}", str(value)):
            problems.append(Problem(key, value, f"takes at most {longest} letters, digits and /_+=.@-"))
    return problems


_LIMITS: dict[str, list[Check]] = {
    "aws:acm/certificate:Certificate": [certificate_domains],
    "aws:appautoscaling/target:Target": [scalable_target],
    "aws:cloudwatch/logGroup:LogGroup": [log_group_retention],
    "aws:cloudwatch/metricAlarm:MetricAlarm": [metric_alarm],
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": [security_group_descriptions],
    "aws:ec2/securityGroup:SecurityGroup": [security_group_descriptions],
    "aws:ec2/securityGroupRule:SecurityGroupRule": [rule_description],
    "aws:ecs/taskDefinition:TaskDefinition": [fargate_task, task_definition_size],
    "aws:elasticache/replicationGroup:ReplicationGroup": [elasticache_replication_group],
    "aws:kms/alias:Alias": [kms_alias],
    "aws:kms/key:Key": [kms_key],
    "aws:lambda/function:Function": [lambda_environment],
    "aws:lb/listener:Listener": [listener_protocol],
    "aws:lb/loadBalancer:LoadBalancer": [load_balancer_name],
    "aws:lb/targetGroup:TargetGroup": [target_group],
    "aws:mwaa/environment:Environment": [mwaa_capacity],
    "aws:rds/cluster:Cluster": [rds_cluster],
    "aws:rds/clusterInstance:ClusterInstance": [rds_instance],
    "aws:route53/record:Record": [route53_record],
    "aws:s3/bucket:Bucket": [s3_bucket],
    "aws:scheduler/schedule:Schedule": [schedule],
    "aws:secretsmanager/secret:Secret": [secret_name],
    "aws:sns/topic:Topic": [sns_topic],
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": [rule_description],
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": [rule_description],
}
LIMITS: dict[str, list[Check]] = {type_token: [guarded(check) for check in checks] for type_token, checks in _LIMITS.items()}
