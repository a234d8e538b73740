"""The CrossGuard policy pack: each guardrail of airflow_aws.guardrails as a mandatory resource policy."""

from pulumi_policy import EnforcementLevel, PolicyPack

from airflow_aws.guardrails import GUARDRAILS
from airflow_aws.policy_pack import policies

PolicyPack(name="airflow-aws-guardrails", enforcement_level=EnforcementLevel.MANDATORY, policies=policies(GUARDRAILS))
