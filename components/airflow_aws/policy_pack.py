"""The guardrails as CrossGuard policies (pulumi_policy), for policy/__main__.py and the tests.

pulumi_policy is imported here only: the components and the offline plan run the same checks without it.
"""

from typing import Iterable

from pulumi_policy import PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy

from .guardrails import Context, Guardrail

CONFIG = PolicyConfigSchema(properties={
    "production": {"type": "boolean", "default": False,
                   "description": "Judge the stack as production: private web server, protected state. Default: false."},
    "customerKey": {"type": "boolean", "default": False,
                    "description": "The stack encrypts at rest with a customer managed KMS key. Default: false."},
})


def context(args: ResourceValidationArgs) -> Context:
    config = args.get_config() or {}
    return Context(protect=bool(args.opts.protect), production=bool(config.get("production", False)),
                   customer_key=bool(config.get("customerKey", False)))


def policy(rail: Guardrail) -> ResourceValidationPolicy:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        for message in rail.findings(args.resource_type, args.props, context(args)):
            report_violation(message, args.urn)

    return ResourceValidationPolicy(name=rail.name, description=rail.description, validate=validate, config_schema=CONFIG)


def policies(rails: Iterable[Guardrail]) -> list[ResourceValidationPolicy]:
    return [policy(rail) for rail in rails]
