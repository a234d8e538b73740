"""The Pulumi program: read and validate this stack's settings, build the platform, export its outputs."""

from program import platform, settings

platform.export(platform.AirflowPlatform("airflow", settings.load()).outputs)
