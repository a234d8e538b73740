"""Wall time and peak memory of an offline plan, per stack and for 1, 10 and 50 environments.

    python benchmarks/plan_benchmark.py [--repeat 5] [--stacks sandbox ...] [--environments 1 10 50] [--eager]

Every measurement is a fresh interpreter (`python -m program.plan STACK --json`, or
benchmarks/scale_program.py N for one program holding N MwaaEnvironments and a VpcNetwork), so
the interpreter start and every import are included, as a user running the plan sees them.
Each command runs once unmeasured first (bytecode and file caches warm, even when the shell sets
PYTHONDONTWRITEBYTECODE), then --repeat rounds
run every command once each.
The time targets are checked against the median wall time; the minimum shows what the machine
does when nothing else competes for it, and CPU time (user + system) varies least with load.
Growth per environment is taken from the fastest runs (see the comment there).
--eager sets AIRFLOW_AWS_EAGER_IMPORTS=1 in the children: pulumi_aws imported as it ships.
The API-model check's share: per stack, a fresh interpreter times importing the check and running it
on the stack's plan; the share is that time over the plan's wall time without it (target: at most 20%).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY_ROOT))

STACK_TARGET_SECONDS = 1.5
FIFTY_ENVIRONMENTS_TARGET_SECONDS = 10.0
CHECK_SHARE_TARGET = 0.20
# Times the API-model check in a fresh interpreter: what it imports beyond the program (botocore's model, the
# cached shapes, parliament's findings) and the check of one stack's plan, run after the program as the plan
# command runs it. Modules the program itself loads (settings, components) are not the check's cost.
CHECK_PROBE = """
import json, runpy, sys, time
from program import offline, stacks
from airflow_aws.settings import PROJECT
from program import REPOSITORY_ROOT
# The program as the plan command runs it, without the check: settings, components, pulumi_aws.
values = stacks.stack_values(sys.argv[1])
plan = offline.run(lambda: runpy.run_path(str(REPOSITORY_ROOT / "__main__.py"), run_name="__main__"), project=PROJECT,
                   stack=sys.argv[1], config=stacks.engine_config(values), world=stacks.fake_world(values),
                   root_directory=REPOSITORY_ROOT)
start = time.perf_counter()
from program.api_model.resources import check_plan  # what only the check loads: botocore's model, cached shapes
check_plan(plan)
print(json.dumps({"check": time.perf_counter() - start}))
"""
# Per-environment cost from 10 to 50 environments over the cost from 1 to 10; above this, growth
# is worse than linear (the margin absorbs run-to-run noise of a shared machine).
LINEAR_GROWTH_TOLERANCE = 1.25


@dataclass(frozen=True)
class Sample:
    wall: float
    cpu: float
    peak_rss_mb: float
    stdout: str


@dataclass(frozen=True)
class Figures:
    label: str
    registrations: str
    samples: list[Sample]
    target: float | None

    @property
    def wall_median(self) -> float:
        return statistics.median(s.wall for s in self.samples)

    @property
    def wall_min(self) -> float:
        return min(s.wall for s in self.samples)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def cpu_min(self) -> float:
        return min(s.cpu for s in self.samples)

    @property
    def missed(self) -> bool:
        return self.target is not None and self.wall_median > self.target

    def row(self) -> str:
        rss = max(s.peak_rss_mb for s in self.samples)
        target = "" if self.target is None else f"<= {self.target:.1f} s  {'MISS' if self.missed else 'ok'}"
        return (f"{self.label:<18}{self.registrations:>10}{self.wall_min:>10.2f}{self.wall_median:>10.2f}"
                f"{self.cpu_median:>10.2f}{rss:>10.0f}  {target}")


HEADER = f"{'plan':<18}{'registered':>10}{'wall min':>10}{'wall med':>10}{'cpu med':>10}{'peak MB':>10}  target"


def measure(command: list[str], env: dict[str, str]) -> Sample:
    """Run one fresh interpreter and return its own wall time, CPU time and peak RSS.

    os.wait4 returns the resource usage of that one child. getrusage(RUSAGE_CHILDREN) would not
    do: its ru_maxrss is the largest peak of all children waited for so far, so every run after
    the largest would report the largest's memory. /usr/bin/time is not everywhere.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=REPOSITORY_ROOT, env=env, stdout=out, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        if child.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{err.read().decode()[-2000:]}")
        return Sample(wall=wall, cpu=usage.ru_utime + usage.ru_stime, peak_rss_mb=usage.ru_maxrss / 1024,
                      stdout=out.read().decode())


@dataclass(frozen=True)
class Plan:
    label: str
    command: list[str]
    target: float | None
    count_registrations: Callable[[str], str]


def run_interleaved(plans: list[Plan], env: dict[str, str], repeat: int) -> list[Figures]:
    """Each round runs every plan once, so a machine that speeds up or slows down (shared CPUs,
    frequency scaling) shifts all figures alike instead of skewing the ones measured last."""
    for plan in plans:
        measure(plan.command, env)  # warm-up, not counted
    samples: dict[str, list[Sample]] = {plan.label: [] for plan in plans}
    for round_number in range(repeat):
        print(f"  round {round_number + 1}/{repeat}", file=sys.stderr, flush=True)
        for plan in plans:
            samples[plan.label].append(measure(plan.command, env))
    return [Figures(plan.label, plan.count_registrations(samples[plan.label][0].stdout), samples[plan.label],
                    plan.target) for plan in plans]


def stack_registrations(stdout: str) -> str:
    return str(len(json.loads(stdout)["resources"]))


def scale_registrations(stdout: str) -> str:
    counts = json.loads(stdout.strip().splitlines()[-1])
    return str(counts["resources"] + counts["components"])


def child_environment(eager: bool) -> dict[str, str]:
    env = dict(os.environ)
    # The checkout this script belongs to, even when another one is installed in the venv.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPOSITORY_ROOT), str(REPOSITORY_ROOT / "components"),
                                                      env.get("PYTHONPATH")]))
    env.pop("AIRFLOW_AWS_EAGER_IMPORTS", None)
    # The warm-up run must leave the checkout's bytecode behind, as any user's first plan does: with
    # PYTHONDONTWRITEBYTECODE inherited, every measured run compiles the ~70 program and component modules
    # from source again (about 0.4 s of CPU), which measures the shell, not the plan.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if eager:
        env["AIRFLOW_AWS_EAGER_IMPORTS"] = "1"
    return env


def check_share(stacks: list[str], figures: list[Figures], env: dict[str, str], repeat: int) -> list[str]:
    """Print the API-model check's median time per stack and its share of the plan without it; return the misses."""
    print(f"\nAPI-model check (median of {repeat} fresh interpreters; share of the plan's median wall time without it)")
    missed = []
    for stack, figure in zip(stacks, figures):
        seconds = statistics.median(json.loads(measure([sys.executable, "-c", CHECK_PROBE, stack], env).stdout)["check"]
                                    for _ in range(repeat))
        share = seconds / (figure.wall_median - seconds)
        if share > CHECK_SHARE_TARGET:
            missed.append(stack)
        print(f"  stack {stack:<10} {seconds:.3f} s  {share:6.1%}  <= {CHECK_SHARE_TARGET:.0%}  "
              f"{'MISS' if share > CHECK_SHARE_TARGET else 'ok'}")
    return missed


def main(argv: list[str] | None = None) -> int:
    from program.stacks import STACKS

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="measured runs per plan (default 5)")
    parser.add_argument("--stacks", nargs="*", default=list(STACKS), help="stacks to plan (default: all)")
    parser.add_argument("--environments", nargs="*", type=int, default=[1, 10, 50],
                        help="environment counts of the scale program (default: 1 10 50)")
    parser.add_argument("--eager", action="store_true", help="children import pulumi_aws eagerly (as shipped)")
    options = parser.parse_args(argv)
    env = child_environment(options.eager)
    python = sys.executable

    imports = "as shipped (--eager)" if options.eager else "per name (airflow_aws._lazy_aws)"
    print(f"Offline plan, {options.repeat} runs each in a fresh interpreter (start included); "
          f"children import pulumi_aws {imports}")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start; {python}")
    stacks = [Plan(f"stack {stack}", [python, "-m", "program.plan", stack, "--json"], STACK_TARGET_SECONDS,
                   stack_registrations) for stack in options.stacks]
    scales = [Plan(f"{count} environment{'s' if count != 1 else ''}",
                   [python, "benchmarks/scale_program.py", str(count)],
                   FIFTY_ENVIRONMENTS_TARGET_SECONDS if count == 50 else None, scale_registrations)
              for count in options.environments]
    figures = run_interleaved(stacks + scales, env, options.repeat)
    print(HEADER)
    for figure in figures:
        print(figure.row())
    scale = dict(zip(options.environments, figures[len(stacks):]))

    growth_missed = False
    if {1, 10, 50} <= scale.keys():
        print()
        # From the fastest runs: the 1->10 difference is small next to start-up time, and load only
        # ever adds time, so medians would mostly measure the noise.
        for measure_name, fastest in (("wall", Figures.wall_min.fget), ("cpu", Figures.cpu_min.fget)):
            low = (fastest(scale[10]) - fastest(scale[1])) / 9
            high = (fastest(scale[50]) - fastest(scale[10])) / 40
            ratio = high / low if low > 0 else float("inf")
            verdict = ""
            if measure_name == "wall":  # the target; CPU time shows whether a miss is the machine's load
                growth_missed = ratio > LINEAR_GROWTH_TOLERANCE
                verdict = f"  (linear if <= {LINEAR_GROWTH_TOLERANCE})  {'MISS' if growth_missed else 'ok'}"
            print(f"{measure_name} per environment (fastest runs): 1->10 {low:.3f} s, 10->50 {high:.3f} s; "
                  f"ratio {ratio:.2f}{verdict}")
    share_missed = check_share(options.stacks, figures[:len(stacks)], env, options.repeat)
    print(f"load average {os.getloadavg()[0]:.2f} at end")
    misses = ([f.label for f in figures if f.missed] + (["growth"] if growth_missed else [])
              + [f"check share {stack}" for stack in share_missed])
    print(f"targets missed: {', '.join(misses)}" if misses else "all targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
