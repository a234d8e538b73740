"""Python dependencies of an MWAA environment: what MWAA's image installs per Airflow version, a check of the
stack's requirements.txt against it with pip's own resolver, and the wheels a private environment needs.

    python -m airflow_aws.mwaa_requirements check STACK

Importing this package is cheap (settings import the versions table); pip runs only in the commands.
"""
