"""The Pulumi program: read and validate this stack's settings, build the platform, export its outputs."""

from airflow_aws import airflow_platform, settings

airflow_platform.export(airflow_platform.AirflowPlatform.from_settings("airflow", settings.load()).outputs)
