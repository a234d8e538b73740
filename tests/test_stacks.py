"""Every stack plans offline, is pinned to its own account, and differs from the others only in sizing."""


from program.stacks import STACKS, stack_values

ENVIRONMENT = "aws:mwaa/environment:Environment"



def test_each_stack_plans_one_environment_with_its_outputs(stack_plan):
    stack, plan = stack_plan
    environment = plan.one(ENVIRONMENT)
    assert environment.inputs["name"] == f"airflow-{stack}"
    assert plan.outputs["environmentName"] == f"airflow-{stack}"
    assert plan.outputs["webserverUrl"].endswith(".airflow.amazonaws.com")


def test_each_stack_is_pinned_to_its_own_account():
    accounts = [tuple(stack_values(stack)["aws:allowedAccountIds"]) for stack in STACKS]
    assert all(len(ids) == 1 for ids in accounts)
    assert len(set(accounts)) == len(STACKS)


def test_stacks_share_one_architecture(stack_plans):
    shapes = {stack: sorted({r.type for r in plan.registrations} - {"aws:ec2/natGateway:NatGateway", "aws:ec2/eip:Eip"})
              for stack, plan in stack_plans.items()}
    assert shapes["sandbox"] == shapes["test"] == shapes["prod"]


def test_only_production_protects_stateful_resources(stack_plan):
    stack, plan = stack_plan
    # Which resources production protects: tests/test_stateful_protection.py.
    assert any(r.protect for r in plan.registrations) is (stack == "prod")
