"""Account facts every component needs for ARNs, resolved once per component through its own provider."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping, TypeVar

import pulumi
import pulumi_aws as aws

T = TypeVar("T")


@dataclass(frozen=True)
class AwsFacts:
    partition: str
    region: str
    account: str


class AwsContext:
    """The partition, Region and account of the provider a component's children use."""

    def __init__(self, output: pulumi.Output[AwsFacts]):
        self.output = output

    @classmethod
    def of(cls, component: pulumi.Resource) -> "AwsContext":
        # parent=component makes the invokes use the component's provider (another account or Region).
        opts = pulumi.InvokeOutputOptions(parent=component)
        return cls(pulumi.Output.all(
            aws.get_partition_output(opts=opts).partition,
            aws.get_region_output(opts=opts).region,
            aws.get_caller_identity_output(opts=opts).account_id,
        ).apply(lambda values: AwsFacts(*values)))

    def apply(self, fn: Callable[[AwsFacts], T]) -> pulumi.Output[T]:
        return self.output.apply(fn)


def name_tagged(tags: pulumi.Input[Mapping[str, pulumi.Input[str]]],
                name: str) -> pulumi.Input[Mapping[str, pulumi.Input[str]]]:
    """`tags` and a Name tag: merged at once when the caller gave a dict (as stacks do), else once `tags` resolve."""
    if isinstance(tags, Mapping):
        return {**tags, "Name": name}
    return pulumi.Output.from_input(tags).apply(lambda resolved: {**resolved, "Name": name})


def available_after(value: pulumi.Input[T], ready_ids: pulumi.Input[object]) -> pulumi.Output[T]:
    """`value`, resolved only once the resources behind `ready_ids` exist: what takes it starts after them.

    The dependency travels with an input any language can pass (IDs), unlike a list of resources."""
    return pulumi.Output.all(value, ready_ids).apply(lambda values: values[0])


def child_options(parent: pulumi.Resource, **options) -> pulumi.ResourceOptions:
    """Options of a component's child: parented, so it inherits the component's provider and protection."""
    return pulumi.ResourceOptions(parent=parent, **options)
