"""Plan a stack offline: run the real program under the mock engine and print what `pulumi up` would create.

    python -m program.plan [STACK ...] [--json]

No AWS account and no Pulumi CLI are needed. Lookups are answered by a fake account that
looks like the one the stack file pins. Invalid settings print every problem and exit 2; so does a
planned resource input AWS's API model refuses (program/api_model).
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import os
import runpy
import sys
from collections import Counter
from pathlib import Path
from typing import Any, Callable, NoReturn, Optional

import pulumi
from airflow_aws.mwaa_requirements.package import zip_wheels
from airflow_aws.settings import PROJECT, InvalidSettings

from . import REPOSITORY_ROOT
from .api_model.problems import InvalidResources
from .api_model.resources import Report, require_valid
from .changes.assets import content_hash
from .changes.preview import load_base, preview
from .cost.estimate import estimate
from .cost.render import as_lines as cost_lines
from .guardrail_check import Finding
from .guardrail_check import check as check_guardrails
from .offline import Plan, Registration, run
from .stacks import STACKS, engine_config, fake_world, stack_settings, stack_values

# What a reader wants to see of each resource type in the tree.
KEY_PROPERTIES: dict[str, tuple[str, ...]] = {
    "aws:mwaa/environment:Environment": ("name", "airflowVersion", "environmentClass", "minWorkers", "maxWorkers",
                                         "schedulers", "webserverAccessMode", "endpointManagement"),
    "aws:ec2/vpc:Vpc": ("cidrBlock",),
    "aws:ec2/subnet:Subnet": ("cidrBlock", "availabilityZone"),
    "aws:ec2/natGateway:NatGateway": (),
    "aws:s3/bucket:Bucket": ("bucketPrefix",),
    "aws:s3/bucketObjectv2:BucketObjectv2": ("key",),
    "aws:s3/bucketVersioning:BucketVersioning": ("versioningConfiguration",),
    "aws:cloudwatch/logGroup:LogGroup": ("name", "retentionInDays"),
    "aws:kms/key:Key": ("enableKeyRotation", "deletionWindowInDays"),
    "aws:kms/alias:Alias": ("name",),
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ("ipProtocol", "fromPort", "toPort", "cidrIpv4",
                                                                  "referencedSecurityGroupId", "description"),
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ("ipProtocol", "fromPort", "toPort", "cidrIpv4",
                                                                "prefixListId", "description"),
    "aws:iam/policy:Policy": ("description",),
    "aws:ec2/vpcEndpoint:VpcEndpoint": ("serviceName", "vpcEndpointType", "privateDnsEnabled"),
    "aws:lb/loadBalancer:LoadBalancer": ("internal", "enableDeletionProtection", "accessLogs"),
    "aws:lb/targetGroup:TargetGroup": ("targetType", "protocol", "port", "healthCheck"),
    "aws:lb/targetGroupAttachment:TargetGroupAttachment": ("targetId", "port"),
    "aws:lb/listener:Listener": ("protocol", "port", "sslPolicy"),
    "aws:lb/listenerRule:ListenerRule": ("priority", "conditions"),
    "aws:acm/certificate:Certificate": ("domainName", "validationMethod"),
    "aws:route53/record:Record": ("name", "type"),
    "aws:lambda/function:Function": ("runtime", "handler"),
    "aws:lambda/permission:Permission": ("principal",),
    "aws:cloudwatch/dashboard:Dashboard": ("dashboardName",),
    "aws:cloudwatch/metricAlarm:MetricAlarm": ("name", "comparisonOperator", "threshold", "evaluationPeriods",
                                               "treatMissingData"),
    "aws:scheduler/schedule:Schedule": ("scheduleExpression", "flexibleTimeWindow"),
    "aws:sns/topic:Topic": ("name",),
    "aws:ecs/cluster:Cluster": ("name",),
    "aws:ecs/service:Service": ("name", "desiredCount", "healthCheckGracePeriodSeconds"),
    "aws:ecs/taskDefinition:TaskDefinition": ("family", "cpu", "memory"),
    "aws:rds/cluster:Cluster": ("engine", "engineVersion", "serverlessv2ScalingConfiguration", "deletionProtection"),
    "aws:rds/clusterInstance:ClusterInstance": ("instanceClass",),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("engine", "nodeType", "numCacheClusters",
                                                          "transitEncryptionEnabled"),
    "aws:secretsmanager/secret:Secret": ("namePrefix",),
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": ("name",),
    "aws:servicediscovery/service:Service": ("name",),
    "aws:appautoscaling/target:Target": ("minCapacity", "maxCapacity"),
    "aws:appautoscaling/policy:Policy": ("policyType",),
    "random:index/randomPassword:RandomPassword": ("length", "overrideSpecial"),
    "random:index/randomBytes:RandomBytes": ("length",),
}


def plan_stack(stack: str) -> Plan:
    values = stack_values(stack)
    main = str(REPOSITORY_ROOT / "__main__.py")
    return run(lambda: runpy.run_path(main, run_name="__main__"), project=PROJECT, stack=stack,
               config=engine_config(values), world=fake_world(values), root_directory=REPOSITORY_ROOT)


def _plain(value: Any) -> Any:
    """The engine carries every number as a float; show whole numbers as the user wrote them."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _short(value: Any) -> str:
    value = _plain(value)
    text = value if isinstance(value, str) else json.dumps(value, default=_asset, separators=(",", ":"))
    return text if len(text) <= 60 else text[:57] + "..."


def _line(r: Registration) -> str:
    props = [f"{k}={_short(r.inputs[k])}" for k in KEY_PROPERTIES.get(r.type, ()) if r.inputs.get(k) not in (None, "", [])]
    source = r.inputs.get("source")
    if r.type == "aws:s3/bucketObjectv2:BucketObjectv2" and isinstance(source, pulumi.FileAsset):
        wheels = zip_wheels(Path(source.path)) if source.path.endswith("plugins.zip") else []
        props += [f"wheels={','.join(wheels)}"] if wheels else []
    flags = ["protected"] if r.protect else []
    return "  ".join([f"{r.type}  {r.name}", *(f"[{f}]" for f in flags), *props])


def render_tree(plan: Plan) -> list[str]:
    children: dict[str, list[Registration]] = {}
    for r in sorted(plan.registrations, key=lambda r: (r.custom, r.type, r.name)):
        children.setdefault(r.parent, []).append(r)
    known = {r.urn for r in plan.registrations}
    roots = [r for parent, nodes in children.items() if parent not in known for r in nodes]
    lines = [f"pulumi:pulumi:Stack  {plan.project}-{plan.stack}"]

    def walk(nodes: list[Registration], indent: str) -> None:
        for index, node in enumerate(nodes):
            last = index == len(nodes) - 1
            lines.append(f"{indent}{'└─ ' if last else '├─ '}{_line(node)}")
            walk(children.get(node.urn, []), indent + ("   " if last else "│  "))

    walk(roots, "")
    return lines


def counts(plan: Plan) -> dict[str, int]:
    return dict(sorted(Counter(r.type for r in plan.registrations).items()))


def _asset(value: Any) -> Any:
    """Assets and archives as what they hold, so the same plan always prints the same JSON."""
    if isinstance(value, pulumi.AssetArchive):
        return {"AssetArchive": dict(sorted(value.assets.items()))}
    if isinstance(value, (pulumi.FileAsset, pulumi.FileArchive)):
        # Files of the checkout are shown relative to it, so the plans of two checkouts compare equal, with a content
        # hash, so an edited file is a change under the same path. Outside it, the path names the content (the
        # Lambda dependency cache is keyed by its requirements), and hashing those megabytes would slow every plan.
        path = Path(value.path).resolve()
        if not path.is_relative_to(REPOSITORY_ROOT):
            return {type(value).__name__: str(path)}
        return {type(value).__name__: path.relative_to(REPOSITORY_ROOT).as_posix(), "sha256": content_hash(str(path))}
    if isinstance(value, pulumi.StringAsset):
        return {"StringAsset": value.text}
    if isinstance(value, (pulumi.RemoteAsset, pulumi.RemoteArchive)):
        return {type(value).__name__: value.uri}
    return str(value)


def as_json(plan: Plan, report: Optional[Report] = None) -> dict[str, Any]:
    document = {
        "stack": plan.stack,
        "resources": [{"urn": r.urn, "type": r.type, "name": r.name, "parent": r.parent, "protect": r.protect,
                       "inputs": _plain(r.inputs), "id": r.id, "arn": r.state.get("arn")} for r in sorted(plan.registrations, key=lambda r: r.urn)],
        "counts": counts(plan),
        "outputs": plan.outputs,
    }
    if report is not None:
        document["apiModelCheck"] = report.as_json()
    return document


def render_check(report: Report) -> list[str]:
    """What the API-model check covered: the types it could not check with why, and how many inputs it skipped."""
    skipped = sum(len(inputs) for inputs in report.unchecked_properties.values())
    lines = [f"API model check: {len(report.checked_types)} resource types checked, {len(report.violations)} violations"]
    if report.unchecked_types:
        lines.append("unchecked types:")
        lines.extend(f"  {typ}: {reason}" for typ, reason in report.unchecked_types.items())
    lines.append(f"unchecked inputs: {skipped} (uploaded assets, attributes set by other calls, provider-only switches; "
                 f"each with its reason under apiModelCheck.uncheckedProperties in --json)")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m program.plan", description=__doc__.split("\n\n")[0])
    parser.add_argument("stacks", nargs="*", metavar="STACK", help=f"stacks to plan (default: {' '.join(STACKS)})")
    parser.add_argument("--json", action="store_true", help="print one JSON document per stack")
    parser.add_argument("--base", metavar="BASE.json",
                        help="print the change preview against this plan document (`--json` of the base branch)")
    parser.add_argument("--format", choices=("text", "markdown"), default="text",
                        help="form of the change preview: text, or markdown for a pull-request comment")
    options = parser.parse_args(argv)
    if options.base and len(options.stacks) != 1:
        parser.error("--base compares one stack: name exactly one STACK")
    status = 0
    for stack in options.stacks or STACKS:
        try:
            plan = plan_stack(stack)
            report = require_valid(plan)
        except (InvalidSettings, InvalidResources) as error:
            print(str(error), file=sys.stderr)
            status = 2
            continue
        region = str(stack_values(stack).get("aws:region") or "unset")
        # The policy pack's guardrails (policy/), judged as CrossGuard would with this stack's settings.
        guardrails = check_guardrails(plan, stack_settings(stack))
        if options.base:
            head = json.loads(json.dumps(as_json(plan), default=_asset))
            print(preview(stack, load_base(options.base, stack), head, "json" if options.json else options.format,
                          region))
            if not options.json:  # a reviewer sees the findings with the change (the JSON carries them in --json)
                print("\n".join(render_guardrails(guardrails, markdown=options.format == "markdown")))
            continue
        if options.json:
            document = {**as_json(plan, report), "guardrails": [vars(finding) for finding in guardrails]}
            cost = estimate(document, region)
            document["monthlyCost"] = {"region": region, "low": cost.low, "high": cost.high,
                                       "items": [{**vars(i), "label": i.label} for i in cost.items], "unpriced": sorted(set(cost.unpriced))}
            print(json.dumps(document, indent=2, default=_asset, sort_keys=True))
            continue
        total = sum(1 for r in plan.registrations if r.custom)
        print(f"== stack {stack}: `pulumi up` would create {total} resources "
              f"in {sum(1 for r in plan.registrations if not r.custom)} components ==")
        print("\n".join(render_tree(plan)))
        print("\nresources by type:")
        for typ, number in counts(plan).items():
            print(f"  {number:4d}  {typ}")
        print("\nstack outputs:")
        for name, value in plan.outputs.items():
            print(f"  {name}: {_short(value) if not isinstance(value, dict) else json.dumps(value)}")
        print()
        print("\n".join(render_check(report)))
        print("\n".join(render_guardrails(guardrails)))
        print()
        print("\n".join(cost_lines(estimate(as_json(plan), region))))
        print()
    return status


def render_guardrails(found: list[Finding], markdown: bool = False) -> list[str]:
    """The policy pack's findings: advice here, mandatory when the pack runs with `pulumi preview --policy-pack`."""
    if markdown:
        return [f"**Policy pack guardrails: {len(found)} finding{'' if len(found) == 1 else 's'}**", "",
                *(f"- `{f.guardrail}` `{f.urn.rsplit('::', 1)[1]}`: {f.message}" for f in found)]
    return [f"policy pack guardrails: {len(found)} findings",
            *(f"  {f.guardrail}: {f.urn.rsplit('::', 1)[1]}: {f.message}" for f in found)]


def run_as_command(command: Callable[[], int]) -> NoReturn:
    """Run a one-shot plan command in this process and exit with its status, the fast way.

    A plan is one short run over some 150,000 objects that live until it exits (pulumi_aws's types,
    the SDK's Outputs). Collecting cycles every 700 allocations re-scans them for 10-15% of its time,
    and tearing them down at exit takes another 0.3 s that frees nothing a finished plan needs: once
    the output is flushed, leave. An exception still ends the process the ordinary way.
    """
    gc.set_threshold(10_000, 10, 10)
    status = command()
    sys.stdout.flush()
    sys.stderr.flush()
    logging.shutdown()
    os._exit(status)


if __name__ == "__main__":
    run_as_command(main)
