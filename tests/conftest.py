"""Fixtures every test module shares: each stack as its stack file defines it, planned once per run."""

import tempfile
from pathlib import Path

import pytest

from program import REPOSITORY_ROOT
from program.stacks import STACKS
from tests.harness import plan_stack


@pytest.fixture(scope="session")
def stack_plans():
    """Stack name -> the plan of its unchanged stack file. Tests read plans, never change them."""
    return {stack: plan_stack(stack) for stack in STACKS}


@pytest.fixture(scope="session")
def fargate_plan():
    """The sandbox stack with `platform: fargate`, planned once per run."""
    return plan_stack("sandbox", {"platform": "fargate"})


@pytest.fixture(params=STACKS)
def stack_plan(request, stack_plans):
    """(stack name, plan) for each stack in turn."""
    return request.param, stack_plans[request.param]


@pytest.fixture
def project_tmp_path():
    """A scratch folder inside the project: folder settings refuse folders outside it."""
    with tempfile.TemporaryDirectory(dir=REPOSITORY_ROOT / "tests" / "fixtures", prefix=".scratch-") as folder:
        yield Path(folder)


@pytest.fixture(scope="session")
def alb_key():
    """The key a test load balancer signs its tokens with (tests/alb_tokens.py makes the tokens)."""
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def other_key():
    """A key that is not the load balancer's: tokens signed with it are forgeries."""
    from cryptography.hazmat.primitives.asymmetric import ec

    return ec.generate_private_key(ec.SECP256R1())
