"""What every part of one FargateAirflowCluster shares: its component, names, tags and protection."""

from dataclasses import dataclass
from typing import Mapping

import pulumi

from ._aws_context import AwsContext, child_options


@dataclass(frozen=True)
class ClusterScope:
    """The parts (storage, data, services) register their resources as children of `component`."""

    component: pulumi.ComponentResource
    """The FargateAirflowCluster every resource is a child of."""
    label: str
    """The component's resource name: the prefix of every child's name."""
    env: str
    """The environment name: names the cluster, its log groups, namespace and secrets."""
    tags: pulumi.Input[Mapping[str, pulumi.Input[str]]]
    """Tags on every resource that takes them."""
    protect_stateful: bool
    """Protect the stateful resources (database, broker, bucket, key, logs, secrets)."""
    context: AwsContext
    """Partition, Region and account of the component's provider."""
    processes: tuple[str, ...]
    """The processes run as services (flower only when enabled); `migrate` comes on top."""
    metrics_namespace: str
    """CloudWatch namespace of the processes' StatsD metrics."""

    @property
    def tasks(self) -> list[str]:
        """Every process that runs as an ECS task: the services and the one-off migration."""
        return [*self.processes, "migrate"]

    def options(self, **options) -> pulumi.ResourceOptions:
        """A child's options."""
        return child_options(self.component, **options)

    def stateful(self, **options) -> pulumi.ResourceOptions:
        """A stateful child's options: protected when the cluster protects its state."""
        return child_options(self.component, protect=self.protect_stateful, **options)
