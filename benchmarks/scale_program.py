"""One program holding a VpcNetwork and N MwaaEnvironments, planned offline: `python benchmarks/scale_program.py N`.

plan_benchmark.py runs it in a fresh interpreter per measurement, so its figures include the
interpreter start and every import, as `python -m program.plan` does. Each environment is set
up like the sandbox stack's (uploads from airflow/, DAGs included) so it registers the same
kind and number of resources. Prints one JSON line: the number of resources registered.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPOSITORY_ROOT), str(REPOSITORY_ROOT / "components")]

from airflow_aws import MwaaEnvironment, VpcNetwork  # noqa: E402  (needs the paths above)
from program.offline import run  # noqa: E402
from program.plan import run_as_command  # noqa: E402
from airflow_aws.settings import PROJECT  # noqa: E402


def program(environments: int) -> None:
    network = VpcNetwork("network", {
        "cidr": "10.0.0.0/16", "private_subnet_cidrs": ["10.0.0.0/19", "10.0.32.0/19"],
        "public_subnet_cidrs": ["10.0.64.0/24", "10.0.65.0/24"], "nat_gateways": "single", "name": "bench",
    })
    for index in range(environments):
        MwaaEnvironment(f"mwaa-{index:02d}", {
            "environment_name": f"bench-{index:02d}",
            "vpc_id": network.vpc_id,
            "subnet_ids": network.private_subnet_ids,
            "source_folder": str(REPOSITORY_ROOT / "airflow"),
            "upload_dags": True,
            "tags": {"environment": f"bench-{index:02d}"},
        })


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not argv[0].isdigit():
        print("usage: python benchmarks/scale_program.py N", file=sys.stderr)
        return 2
    plan = run(lambda: program(int(argv[0])), project=PROJECT, stack="benchmark")
    print(json.dumps({"resources": sum(1 for r in plan.registrations if r.custom),
                      "components": sum(1 for r in plan.registrations if not r.custom)}))
    return 0


if __name__ == "__main__":
    run_as_command(lambda: main(sys.argv[1:]))  # as `python -m program.plan` runs
