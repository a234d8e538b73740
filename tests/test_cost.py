"""The monthly cost of a stack and of a change, priced from the dated table in program/cost/prices.py."""

import pytest

from program.cost.estimate import estimate
from program.cost.prices import ASSUMED_USAGE, HOURS_PER_MONTH, PRICES
from program.cost.render import delta, headline, money
from program import REPOSITORY_ROOT
from tests.harness import plan_document, plan_stack

IRELAND = PRICES["eu-west-1"].prices


def items(stack_plan, region="eu-west-1"):
    found = estimate(plan_document(stack_plan), region)
    return {i.name: (i.low, i.high, i.detail) for i in found.items}, found


def month(item, units=1):
    return round(IRELAND[item] * HOURS_PER_MONTH * units, 2)


def test_mwaa_is_priced_by_class_with_the_extra_workers_schedulers_and_web_servers(stack_plans):
    prod, _ = items(stack_plans["prod"])  # mw1.medium, 2-10 workers, 3 schedulers, 2-4 web servers
    assert prod["MWAA environment"] == (month("mwaa.environment.mw1.medium"),) * 2 + ("mw1.medium",)
    assert prod["MWAA extra workers"][:2] == (month("mwaa.worker.mw1.medium", 1), month("mwaa.worker.mw1.medium", 9))
    assert prod["MWAA extra schedulers"][:2] == (month("mwaa.scheduler.mw1.medium"),) * 2
    assert prod["MWAA extra web servers"][:2] == (0, month("mwaa.webserver.mw1.medium", 2))
    assert "MWAA extra schedulers" not in items(stack_plans["sandbox"])[0]  # two schedulers are included


def test_the_network_items_count_nat_gateways_addresses_and_endpoint_zones(stack_plans):
    test, _ = items(stack_plans["test"])
    assert test["NAT gateways"][:2] == (month("nat.hour"),) * 2
    assert test["Public IPv4 addresses"][:2] == (month("ipv4.hour"),) * 2
    assert test["Interface endpoints"] == (month("endpoint.hour", 18),) * 2 + ("9 endpoints, 18 endpoint-zones",)
    assert test["Load balancers"][:2] == (month("alb.hour"),) * 2
    assert "Interface endpoints" not in items(stack_plans["sandbox"])[0]
    assert items(stack_plans["prod"])[0]["NAT gateways"][2] == "2"


def test_usage_priced_items_state_their_assumption(stack_plans):
    found = estimate(plan_document(stack_plans["sandbox"]), "eu-west-1")
    logs = next(i for i in found.items if i.name == "CloudWatch Logs ingestion")
    assert logs.assumed and logs.detail == f"assumed {ASSUMED_USAGE['logs.gb']} GB"
    assert logs.low == round(ASSUMED_USAGE["logs.gb"] * IRELAND["logs.gb"], 2)


def test_fargate_tasks_aurora_and_the_broker_are_priced_between_their_bounds(fargate_plan):
    fargate, found = items(fargate_plan)
    per_worker = 2 * IRELAND["fargate.vcpu.X86_64"] + 4 * IRELAND["fargate.gb.X86_64"]
    assert fargate["Fargate fargate-worker"][:2] == (round(per_worker * HOURS_PER_MONTH, 2),
                                                     round(10 * per_worker * HOURS_PER_MONTH, 2))
    assert fargate["Aurora Serverless v2"][:2] == (month("aurora.acu", 0.5), month("aurora.acu", 4))
    assert fargate["ElastiCache nodes"][:2] == (month("elasticache.cache.t4g.micro"),) * 2
    assert found.unpriced == [] and "MWAA environment" not in fargate


def test_a_region_without_prices_is_not_guessed(stack_plans):
    found = estimate(plan_document(stack_plans["sandbox"]), "ap-south-2")
    assert found.items == [] and found.table is None
    assert "no price table for Region ap-south-2" in headline(found)


def test_an_item_missing_from_the_table_is_named_not_guessed():
    found, estimated = items(plan_stack("sandbox", {"mwaa.environmentClass": "mw1.xlarge"}))
    assert "mwaa.worker.mw1.xlarge" in estimated.unpriced and "MWAA extra workers" not in found
    assert found["MWAA environment"][0] == month("mwaa.environment.mw1.xlarge")


def test_a_class_change_shows_its_monthly_delta(stack_plans):
    base = estimate(plan_document(stack_plans["sandbox"]), "eu-west-1")
    head = estimate(plan_document(plan_stack("sandbox", {"mwaa.environmentClass": "mw1.medium"})), "eu-west-1")
    change = delta(base, head)
    environment = month("mwaa.environment.mw1.medium") - month("mwaa.environment.mw1.small")
    workers = month("mwaa.worker.mw1.medium", 2) - month("mwaa.worker.mw1.small", 2)
    assert change["change"] == (pytest.approx(environment), pytest.approx(environment + workers))
    assert [i.detail for i in change["added"]] == ["mw1.medium", "0–2 × mw1.medium"]


def test_the_documented_figures_for_the_endpoint_default_hold(stack_plans):
    costs = (REPOSITORY_ROOT / "docs" / "costs.md").read_text()
    with_endpoints = estimate(plan_document(plan_stack("sandbox", {"endpoints.enabled": True})), "eu-west-1")
    without = estimate(plan_document(stack_plans["sandbox"]), "eu-west-1")
    saved = round(with_endpoints.low - without.low, 2)
    assert saved == round(month("endpoint.hour", 18) + ASSUMED_USAGE["endpoint.gb"] * IRELAND["endpoint.gb"], 2)
    assert f"saves ${saved}" in costs and f"sandbox: {money(with_endpoints.low, with_endpoints.high)} → " \
                                           f"{money(without.low, without.high)}" in costs
