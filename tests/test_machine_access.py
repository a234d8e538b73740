"""REST clients of configured networks reach Fargate's /api/v2 without the sign-in; /execution/ is never served."""

import pytest

from tests.harness import plan_stack, setting_errors

RULE = "aws:lb/listenerRule:ListenerRule"
FARGATE = {"platform": "fargate"}
CI_NETWORKS = ["10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16", "10.4.0.0/16"]


def rules(plan) -> dict[str, dict]:
    return {r.name: r.inputs for r in plan.of_type(RULE)}


def paths(rule: dict) -> list[str]:
    return [v for c in rule["conditions"] if "pathPattern" in c for v in c["pathPattern"]["values"]]


def networks(rule: dict) -> list[str]:
    return [v for c in rule["conditions"] if "sourceIp" in c for v in c["sourceIp"]["values"]]


def test_the_execution_api_is_answered_by_the_load_balancer_before_any_other_rule(fargate_plan):
    found = rules(fargate_plan)
    blocked = found.pop("fargate-access-blocked-0")
    assert paths(blocked) == ["/execution", "/execution/*"] and not networks(blocked)
    assert [a["type"] for a in blocked["actions"]] == ["fixed-response"]
    assert blocked["actions"][0]["fixedResponse"]["statusCode"] == "403"
    assert all(blocked["priority"] < rule["priority"] for rule in found.values())


def test_without_client_networks_every_api_call_goes_through_the_sign_in(fargate_plan):
    assert not [name for name in rules(fargate_plan) if "-machine-" in name]


def test_client_networks_reach_the_rest_api_and_token_endpoint_without_sign_in():
    plan = plan_stack("sandbox", {**FARGATE, "privateAccess.apiClientCidrs": CI_NETWORKS})
    machine = [rule for name, rule in rules(plan).items() if "-machine-" in name]
    for path in ("/api/v2/*", "/auth/token"):
        for_path = [rule for rule in machine if paths(rule) == [path]]
        assert sorted(n for rule in for_path for n in networks(rule)) == CI_NETWORKS
    # Straight to the api-server, which checks the Airflow token: no authenticate action on the way.
    assert all([a["type"] for a in rule["actions"]] == ["forward"] for rule in machine)


def test_mwaa_has_no_blocked_or_machine_paths(stack_plans):
    assert not [name for name in rules(stack_plans["sandbox"]) if "-blocked-" in name or "-machine-" in name]


@pytest.mark.parametrize("changes, problem", [
    ({"privateAccess.apiClientCidrs": ["10.1.0.0/16"]}, "is set, but platform is mwaa"),
    ({**FARGATE, "privateAccess.apiClientCidrs": ["192.168.0.0/24"]}, "lies outside privateAccess.allowedCidrs"),
    ({**FARGATE, "privateAccess.apiClientCidrs": ["0.0.0.0/0"]}, "admits the whole internet"),
    ({**FARGATE, "privateAccess.apiClientCidrs": [f"10.{n}.0.0/16" for n in range(31)]}, "more than 30"),
])
def test_client_networks_are_refused_where_they_could_not_work(changes, problem):
    error = setting_errors("sandbox", changes)["airflow-aws:privateAccess.apiClientCidrs"]
    assert problem in error.problem
