"""The whole platform in a project of your own: settings from this stack's `airflow-aws:` keys (Pulumi.dev.yaml),
folders relative to this project (airflow/ is uploaded to the environment's bucket). A test runs it under mocks
with the package installed from a built wheel."""

import pulumi

from airflow_aws import AirflowPlatform
from airflow_aws.settings import load

platform = AirflowPlatform.from_settings("airflow", load())
pulumi.export("webserverUrl", platform.outputs["webserverUrl"])
pulumi.export("environmentArn", platform.outputs["environmentArn"])
