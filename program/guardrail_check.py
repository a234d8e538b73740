"""The policy pack's guardrails (airflow_aws.guardrails) run on an offline plan, judged by the stack's own settings."""

from __future__ import annotations

from dataclasses import dataclass

from airflow_aws.guardrails import Context, findings

from .offline import Plan
from airflow_aws.settings import Settings

# The encryption settings' values that mean an AWS key, not a customer managed one.
AWS_KEYS = ("aws-owned", "aws-managed")


@dataclass(frozen=True)
class Finding:
    guardrail: str
    urn: str
    message: str


def context(settings: Settings, protect: bool) -> Context:
    """A production stack is one that protects its state; a customer key is any key setting but AWS's own."""
    project = settings.project
    key = project.fargate.kms_key if project.platform == "fargate" else project.mwaa.kms_key
    return Context(protect=protect, production=project.protect, customer_key=key not in AWS_KEYS)


def check(plan: Plan, settings: Settings) -> list[Finding]:
    return [Finding(name, r.urn, message) for r in sorted(plan.registrations, key=lambda r: r.urn)
            for name, message in findings(r.type, r.inputs, context(settings, r.protect))]
