"""Lambda function code shipped with airflow_aws (see functions/README.md)."""
