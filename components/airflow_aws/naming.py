"""Naming rules: pure functions from an environment name to the names AWS resources need."""

from __future__ import annotations

import re

# MWAA's log types: the key in the component's `log_levels`, the field of its
# LoggingConfiguration, and the suffix MWAA uses for the log group it writes to.
LOG_TYPES: dict[str, tuple[str, str]] = {
    "dagProcessing": ("dag_processing_logs", "DAGProcessing"),
    "scheduler": ("scheduler_logs", "Scheduler"),
    "task": ("task_logs", "Task"),
    "webserver": ("webserver_logs", "WebServer"),
    "worker": ("worker_logs", "Worker"),
}

AIRFLOW_UI_ROLES = ("Admin", "Op", "User", "Viewer")

# EC2 security group and rule descriptions (API_IpRange, API_CreateSecurityGroup): up to 255 of these
# ASCII characters; anything else is refused at deploy time with InvalidParameterValue.
EC2_DESCRIPTION_CHARACTERS = re.compile(r"[a-zA-Z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*")
EC2_DESCRIPTION_MAX = 255


def ec2_description_problem(text: str) -> str | None:
    """Why EC2 would refuse `text` as a security group (rule) description, or None when it accepts it."""
    if len(text) > EC2_DESCRIPTION_MAX:
        return f"has {len(text)} characters, EC2 allows at most {EC2_DESCRIPTION_MAX}"
    bad = sorted(set(EC2_DESCRIPTION_CHARACTERS.sub("", text)))
    if bad:
        return (f"has characters EC2 refuses ({' '.join(repr(c) for c in bad)}): use only "
                "a-z, A-Z, 0-9, spaces and ._-:/()#,@[]+=&;{}!$*")
    return None


# S3 caps bucket_prefix at 37 characters (the provider appends 26 random ones).
_BUCKET_PREFIX_MAX = 37


def log_group_name(environment_name: str, log_type: str) -> str:
    """The log group MWAA writes a log type to; we create it so it has retention and goes on delete."""
    return f"airflow-{environment_name}-{LOG_TYPES[log_type][1]}"


def function_log_group_name(environment_name: str, function: str) -> str:
    """The log group of one of an environment's functions: inside log_group_pattern, so the key policy admits it."""
    return f"airflow-{environment_name}-{function}"


def log_group_pattern(environment_name: str) -> str:
    """Every log group of an environment, for IAM and KMS conditions."""
    return f"airflow-{environment_name}-*"


def bucket_prefix(environment_name: str) -> str:
    """A bucket name prefix that S3 accepts for any valid environment name.

    Environment names may hold capitals and underscores, which bucket names may not; the
    `airflow-` start is what the MWAA console expects of source buckets.
    """
    slug = re.sub(r"[^a-z0-9-]+", "-", environment_name.lower()).strip("-")
    slug = re.sub(r"-{2,}", "-", slug).removeprefix("airflow-")
    return f"airflow-{slug}"[: _BUCKET_PREFIX_MAX - 1].rstrip("-") + "-"


def environment_arn(partition: str, region: str, account: str, environment_name: str) -> str:
    return f"arn:{partition}:airflow:{region}:{account}:environment/{environment_name}"


def web_login_role_arn(partition: str, region: str, account: str, environment_name: str, role: str) -> str:
    """The resource `airflow:CreateWebLoginToken` is granted on, one per Airflow UI role."""
    return f"arn:{partition}:airflow:{region}:{account}:role/{environment_name}/{role}"
