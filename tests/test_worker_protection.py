"""A worker keeps its task protected from scale-in exactly while it holds Airflow tasks, against a fake ECS agent."""

import json
import subprocess
import sys

import pytest

from airflow_aws import airflow_settings as airflow
from airflow_aws.worker_protection import EcsAgent, Protection
from tests.harness import FakeEcsAgent, policy

PROTECT = {"ProtectionEnabled": True, "ExpiresInMinutes": 60}
RELEASE = {"ProtectionEnabled": False}


class Worker:
    """What the protection reads of a worker: held requests, whether it is outdated, whether it left its queues."""

    def __init__(self):
        self.held, self.outdated, self.ready, self.left_queues, self.now = 0, False, True, 0, 0.0

    def protection(self, agent: FakeEcsAgent) -> Protection:
        def stop_consuming() -> bool:
            self.left_queues += self.ready
            return self.ready

        return Protection(EcsAgent(agent.uri), held=lambda: self.held, outdated=lambda: self.outdated,
                          stop_consuming=stop_consuming, clock=lambda: self.now)


@pytest.fixture
def agent():
    with FakeEcsAgent() as fake:
        yield fake


def test_a_busy_worker_is_protected_and_an_idle_one_released(agent):
    worker = Worker()
    protection = worker.protection(agent)
    protection.step()
    assert agent.requests == []  # idle from the start: nothing to protect
    worker.held = 3
    protection.step()
    protection.step()
    worker.held = 0
    protection.step()
    protection.step()
    assert agent.requests == [PROTECT, RELEASE]


def test_protection_is_renewed_before_it_expires_while_a_long_task_runs(agent):
    worker = Worker()
    protection = worker.protection(agent)
    worker.held = 1
    for minute in range(0, 180, 5):  # a three-hour task; protection lasts 60 minutes
        worker.now = minute * 60.0
        protection.step()
    assert agent.requests == [PROTECT] * 6  # renewed every 30 minutes, never lapsing


def test_a_refusing_agent_is_asked_again_on_the_next_look(agent):
    worker = Worker()
    protection = worker.protection(agent)
    worker.held, agent.refuse = 1, True
    protection.step()
    agent.refuse = False
    protection.step()
    assert agent.requests == [PROTECT]


def test_an_outdated_worker_leaves_its_queues_finishes_and_then_lets_ecs_stop_it(agent):
    worker = Worker()
    protection = worker.protection(agent)
    worker.held, worker.outdated = 2, True
    protection.step()
    assert worker.left_queues == 1 and agent.requests == [PROTECT]  # still finishing what it holds
    worker.now, worker.held = 120.0, 0
    protection.step()
    assert worker.left_queues == 1 and agent.requests == [PROTECT, RELEASE]


def test_leaving_the_queues_waits_until_celery_is_ready(agent):
    worker = Worker()
    protection = worker.protection(agent)
    worker.outdated, worker.ready = True, False
    protection.step()
    worker.ready, worker.now = True, 30.0
    protection.step()
    assert worker.left_queues == 0  # the next deployment look is a minute after the first
    worker.now = 60.0
    protection.step()
    assert worker.left_queues == 1


def test_a_task_arriving_is_protected_at_once_before_celery_counts_it(agent):
    worker = Worker()
    protection = worker.protection(agent)
    protection.task_received(sender=None, request=None)
    assert agent.requests == [PROTECT]
    protection.step()  # Celery may not count it as held yet: still protected
    worker.held, worker.now = 1, 5.0
    protection.step()
    worker.held, worker.now = 0, 10.0
    protection.step()
    assert agent.requests == [PROTECT, RELEASE]


# --- the worker container's own command, run here against stand-ins for Airflow and Celery --------------------

FAKE_IMAGE = {
    "bin/airflow": "#!/bin/sh\nexit 0\n",  # `airflow db check-migrations`: applied
    "lib/airflow/__init__.py": "",
    # The Airflow command: says how it was called, then receives one task as Celery's consumer would.
    "lib/airflow/__main__.py": "import sys\nfrom celery.signals import task_received\n"
                               "def main():\n    print(' '.join(sys.argv))\n    task_received.send(sender=None, request=None)\n",
    "lib/celery/__init__.py": "",
    "lib/celery/signals.py": "class Signal:\n    def __init__(self):\n        self.receivers = []\n"
                             "    def connect(self, receiver, weak=True):\n        self.receivers.append(receiver)\n"
                             "    def send(self, sender=None, **kwargs):\n"
                             "        return [r(sender=sender, **kwargs) for r in self.receivers]\n"
                             "task_received, worker_ready = Signal(), Signal()\n",
    "lib/celery/worker/__init__.py": "",
    "lib/celery/worker/state.py": "active_requests, reserved_requests = set(), set()\n",
}


def run_worker_command(folder, environment: dict[str, str]) -> str:
    for name, text in FAKE_IMAGE.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (folder / "bin/airflow").chmod(0o755)
    (folder / "bin/python").symlink_to(sys.executable)
    command = airflow.service_command(airflow.PROCESSES["worker"])
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=True, env={
        "PATH": f"{folder / 'bin'}:/usr/bin:/bin", "PYTHONPATH": str(folder / "lib"), **environment})
    return result.stdout


def test_the_container_command_runs_celery_worker_in_the_programs_own_process(tmp_path):
    assert run_worker_command(tmp_path, {}) == "airflow celery worker\n"  # off ECS: no protection, same command


def test_on_ecs_a_task_arriving_at_the_worker_protects_its_task(tmp_path, agent):
    run_worker_command(tmp_path, {"ECS_AGENT_URI": agent.uri, "ECS_CLUSTER": "airflow-x", "ECS_SERVICE": "worker",
                                  "ECS_CONTAINER_METADATA_URI_V4": "http://127.0.0.1:9/v4/unreachable"})
    assert PROTECT in agent.requests


# --- what the plan gives the worker ---------------------------------------------------------------------------

def test_only_the_worker_may_protect_its_own_clusters_tasks_and_read_its_service(fargate_plan):
    grants = {r.name: {s.get("Sid"): s for s in policy(r)["Statement"]}
              for r in fargate_plan.of_type("aws:iam/rolePolicy:RolePolicy") if r.name.endswith("-task")}
    worker = grants.pop("fargate-worker-task")
    assert worker["ProtectItsTaskFromScaleIn"]["Resource"] == "arn:aws:ecs:eu-west-1:111111111111:task/airflow-sandbox/*"
    assert worker["WatchItsServiceDeployments"]["Resource"] == (
        "arn:aws:ecs:eu-west-1:111111111111:service/airflow-sandbox/worker")
    assert not [name for name, sids in grants.items() if "ProtectItsTaskFromScaleIn" in sids]


def test_the_worker_watches_the_service_and_cluster_it_runs_in(fargate_plan):
    definition = next(r for r in fargate_plan.of_type("aws:ecs/taskDefinition:TaskDefinition") if r.name == "fargate-worker")
    worker = json.loads(definition.inputs["containerDefinitions"])[0]
    variables = {e["name"]: e["value"] for e in worker["environment"]}
    service = next(r for r in fargate_plan.of_type("aws:ecs/service:Service") if r.name == "fargate-worker")
    cluster = fargate_plan.one("aws:ecs/cluster:Cluster")
    assert (variables["ECS_CLUSTER"], variables["ECS_SERVICE"]) == (cluster.inputs["name"], service.inputs["name"])


# --- whether a deployment replaced the worker's task definition ---------------------------------------------

def worker_service(agent: FakeEcsAgent, primary_revision: int):
    """The worker's service view, with DescribeServices stubbed (botocore checks request and answer)."""
    import boto3
    from botocore.stub import Stubber

    from airflow_aws.worker_protection import WorkerService

    ecs = boto3.client("ecs", region_name="eu-west-1", aws_access_key_id="x", aws_secret_access_key="x")
    stub = Stubber(ecs)
    definition = "arn:aws:ecs:eu-west-1:111111111111:task-definition/airflow-x-worker"
    stub.add_response("describe_services", {"services": [{"serviceName": "worker", "deployments": [
        {"status": "ACTIVE", "taskDefinition": f"{definition}:6"},
        {"status": "PRIMARY", "taskDefinition": f"{definition}:{primary_revision}"}]}]},
        {"cluster": "airflow-x", "services": ["worker"]})
    stub.activate()
    return WorkerService("airflow-x", "worker", agent.metadata_uri, ecs=ecs)


@pytest.mark.parametrize("primary_revision, outdated", [(7, False), (8, True), (17, True)])
def test_a_worker_is_outdated_once_the_primary_deployment_runs_another_revision(agent, primary_revision, outdated):
    assert worker_service(agent, primary_revision).outdated() is outdated  # the task itself runs revision 7
