"""The README's cost table: every shipped stack planned offline and priced (`make reference` writes it)."""

from ..plan import as_json, plan_stack
from ..stacks import STACKS, stack_values
from .estimate import estimate
from .render import readme_table


def cost_table() -> str:
    estimates = {stack: estimate(as_json(plan_stack(stack)), str(stack_values(stack).get("aws:region") or "unset"))
                 for stack in STACKS}
    return readme_table(estimates)
