"""The Fargate plans stay byte for byte what was recorded: a refactor of the component changes no resource.

An intended change records the new plans (`python -m tests.plan_snapshots --update`) and its diff shows what moved."""

import pytest

from tests.plan_snapshots import VARIANTS, recorded, render


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_plan_command_prints_the_recorded_plan(variant):
    assert render(variant) == recorded(variant), f"run `python -m tests.plan_snapshots --update` if {variant} was meant to change"
