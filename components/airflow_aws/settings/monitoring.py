"""Monitoring settings: the dashboard, the alarms and their topic, and (on MWAA) the per-minute worker count."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Optional

from pydantic import Field, field_validator

from .base import SettingsModel, invalid, parse_arn, placement_problem
from .errors import SettingError, project_key

if TYPE_CHECKING:
    from .account import Account
    from .stack import StackSettings

SNS_TOPIC = r"[\w-]{1,256}"
# CloudWatch evaluates an alarm over at most one day; these alarms use one-minute periods.
MAX_ALARM_MINUTES = 1440
OTHER_ACCOUNT_TOPIC = ("AWS would let alarms notify another account's topic whose policy allows it, but this "
                       "program grants CloudWatch publishing and encryption on topics of the stack's own account only")


def _alarm_minutes(default: int, condition: str) -> Any:
    return Field(default, ge=1, le=MAX_ALARM_MINUTES,
                 description=f"Alarm when {condition} for this many minutes in a row (1 to {MAX_ALARM_MINUTES}).")


class MonitoringSettings(SettingsModel):
    """The dashboard, the alarms and (on MWAA) the per-minute worker count (AirflowMonitoring)."""

    dashboard: bool = Field(True, description="Create the environment's CloudWatch dashboard.")
    alarm_topic_arn: Optional[str] = Field(
        None, description="Send alarms to this existing SNS topic (of the stack's account and Region); unset creates "
                          "the topic `<environmentName>-alarms`.")
    scheduler_heartbeat_missing_minutes: int = _alarm_minutes(5, "the scheduler sends no heartbeat")
    tasks_queued_without_progress_minutes: int = _alarm_minutes(15, "tasks are queued while none runs")
    workers_at_maximum_minutes: int = _alarm_minutes(30, "the workers stay at their maximum")
    worker_metric_failing_minutes: int = _alarm_minutes(5, "every run of the worker metric function fails (MWAA)")
    worker_metric_every_minutes: int = Field(
        1, ge=1, le=5, description="How often the worker metric function runs (MWAA); each run also fills minutes "
                                   "a failed or late run left.")

    @field_validator("alarm_topic_arn")
    @classmethod
    def _topic(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not parse_arn(value, "sns", SNS_TOPIC):
            raise invalid("is not an SNS topic ARN", "use an ARN like arn:aws:sns:eu-west-1:123456789012:airflow-alarms")
        return value


def monitoring_checks(project: StackSettings, account: Optional[Account]) -> list[SettingError]:
    """CloudWatch alarms can only notify a topic of their own Region; this program uses its own account's only."""
    monitoring = project.monitoring
    arn = parse_arn(monitoring.alarm_topic_arn or "", "sns", SNS_TOPIC)
    problem = arn and account and placement_problem(arn, account.region, account.partition, account.account_id,
                                                    what="SNS topic", other_account=OTHER_ACCOUNT_TOPIC)
    if problem:
        return [SettingError(project_key("monitoring.alarmTopicArn"), monitoring.alarm_topic_arn, *problem)]
    return []
