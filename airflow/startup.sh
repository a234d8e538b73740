#!/bin/sh
# Runs on every MWAA container before Airflow starts. Keep it quick: it delays every start.
export AIRFLOW_PLATFORM_STACK_MANAGED=true
