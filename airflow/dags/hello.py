"""A DAG that proves the environment schedules and runs tasks."""

import pendulum
from airflow.decorators import dag, task


@dag(schedule="@daily", start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False, tags=["smoke"])
def hello():
    @task
    def say_hello() -> str:
        return "hello from airflow-aws"

    say_hello()


hello()
