"""A first DAG: proves the environment reads the DAG folder it was given."""

import pendulum
from airflow.decorators import dag, task


@dag(schedule=None, start_date=pendulum.datetime(2026, 1, 1, tz="UTC"), catchup=False)
def hello():
    @task
    def say_hello() -> str:
        return "hello from airflow-aws"

    say_hello()


hello()
