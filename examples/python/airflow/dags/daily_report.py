"""An example DAG: a daily task that says which environment ran it (MWAA sets AIRFLOW_ENV_NAME)."""

import pendulum
from airflow import DAG
from airflow.operators.bash import BashOperator

with DAG("daily_report", schedule="@daily", start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False):
    BashOperator(task_id="report", bash_command='echo "report from ${AIRFLOW_ENV_NAME:-local}"')
