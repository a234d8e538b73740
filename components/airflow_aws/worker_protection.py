"""Scale-in protection of a Celery worker task: ECS stops a worker only while it holds no Airflow task.

Runs inside the Airflow image as the worker's main program, `python -c <this file> celery worker`:
it starts a thread, then runs the Airflow command in this same process, so the thread can read
Celery's own record of the requests this worker holds (running, or prefetched and waiting).

- While the worker holds a request, the thread keeps the task protected through the ECS agent
  ($ECS_AGENT_URI/task-protection/v1/state), renewing the protection before it expires. Neither
  autoscaling's scale-in nor a deployment stops a protected task, however long its task runs.
- Once it holds none, it drops the protection: scale-in may pick it, and ECS's SIGTERM starts a
  warm shutdown with nothing left to wait for.
- A deployment starts new workers but leaves the protected old ones alone. So the thread also
  watches the worker service: once its primary deployment runs another task definition, the old
  worker stops taking tasks from its queues (the new workers take them), finishes what it holds,
  drops the protection, and ECS stops it.

Standard library at import time; Celery and boto3 (both in the Airflow image) when it runs.
Without $ECS_AGENT_URI (not on ECS) it only runs the Airflow command.
"""

import json
import logging
import os
import sys
import threading
import time
import urllib.error
import urllib.request
from typing import Callable, Optional

log = logging.getLogger("worker-protection")

# Protection lasts this long unless renewed: a worker that dies while protected blocks scale-in
# and deployments for at most this long. Renewed after half of it.
PROTECTION_MINUTES = 60
# How often the thread looks at the held requests (a task arriving is protected at once, see
# Protection.task_received; the look releases the protection and renews it).
CHECK_SECONDS = 5
# How often the worker service's deployment is looked up (one DescribeServices call).
DEPLOYMENT_CHECK_SECONDS = 60


class ProtectionError(Exception):
    """The ECS agent refused or failed a protection change."""


class EcsAgent:
    """The task scale-in protection endpoint of the ECS agent."""

    def __init__(self, agent_uri: str, timeout: float = 5):
        self.url = f"{agent_uri.rstrip('/')}/task-protection/v1/state"
        self.timeout = timeout

    def set(self, enabled: bool, minutes: Optional[int] = None) -> dict:
        body = {"ProtectionEnabled": enabled, **({"ExpiresInMinutes": minutes} if minutes else {})}
        request = urllib.request.Request(self.url, data=json.dumps(body).encode(), method="PUT",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read() or b"{}")
        except (urllib.error.URLError, OSError, ValueError) as error:
            raise ProtectionError(f"the ECS agent did not answer: {error}") from error
        # A refusal comes back as {"failure": {...}} or {"error": {...}}, the state as {"protection": {...}}.
        if "protection" not in answer:
            raise ProtectionError(f"the ECS agent refused: {answer}")
        return answer["protection"]


class Protection:
    """Keeps the task protected exactly while the worker holds requests; lets go of the queues when outdated."""

    def __init__(self, agent: EcsAgent, *, held: Callable[[], int], outdated: Callable[[], bool],
                 stop_consuming: Callable[[], bool], clock: Callable[[], float] = time.monotonic,
                 minutes: int = PROTECTION_MINUTES, deployment_check_seconds: float = DEPLOYMENT_CHECK_SECONDS):
        self.agent = agent
        self.held = held
        self.outdated = outdated
        self.stop_consuming = stop_consuming
        self.clock = clock
        self.minutes = minutes
        self.deployment_check_seconds = deployment_check_seconds
        self.protected_until: Optional[float] = None  # clock time to renew by; None while unprotected
        self.next_deployment_check = 0.0
        self.draining = False
        self.received_at = float("-inf")
        # Celery's consumer (task_received) and the protection thread both change the protection.
        self.lock = threading.Lock()

    def step(self) -> None:
        """One look: drain if outdated, then protect, renew or release. Agent failures are retried next time."""
        now = self.clock()
        if not self.draining and now >= self.next_deployment_check:
            self.next_deployment_check = now + self.deployment_check_seconds
            # stop_consuming answers False until Celery is ready to be told; then it is asked again.
            self.draining = self._safely(self.outdated, False) and self._safely(self.stop_consuming, False)
            if self.draining:
                log.info("a newer deployment runs the worker service: taking no more tasks, finishing the held ones")
        # A request just received may not be counted as held yet: it keeps the task busy for one look.
        self.update(self.held() > 0 or now - self.received_at < CHECK_SECONDS)

    def update(self, busy: bool) -> None:
        """Protect (or renew) when busy, release when idle. Also called by Celery's thread as a task arrives."""
        with self.lock:
            now = self.clock()
            try:
                if busy and (self.protected_until is None or now >= self.protected_until):
                    self.agent.set(True, self.minutes)
                    self.protected_until = now + self.minutes * 60 / 2
                elif not busy and self.protected_until is not None:
                    self.agent.set(False)
                    self.protected_until = None
            except ProtectionError as error:
                log.warning("scale-in protection not changed (tried again in %s s): %s", CHECK_SECONDS, error)

    def task_received(self, **_) -> None:
        """Celery's task_received signal: protect before the task starts, not up to CHECK_SECONDS later.

        Celery sends it before it counts the request as held, hence busy=True."""
        self.received_at = self.clock()
        self.update(True)

    @staticmethod
    def _safely(check: Callable[[], bool], default: bool) -> bool:
        try:
            return check()
        except Exception as error:  # a lookup failing must never stop the worker; the next look retries
            log.warning("%s failed: %s", getattr(check, "__name__", check), error)
            return default

    def run_forever(self) -> None:
        while True:
            self.step()
            time.sleep(CHECK_SECONDS)


def celery_held_requests() -> int:
    """Requests this worker process holds: running, or reserved (prefetched) and waiting for a slot."""
    from celery.worker import state

    return len(state.active_requests) + len(state.reserved_requests)


class CeleryConsumer:
    """The worker's consumer, known once Celery says it is ready; told over the broker to leave its queues."""

    def __init__(self) -> None:
        self.consumer = None

    def ready(self, sender=None, **_) -> None:
        self.consumer = sender

    def stop_consuming(self) -> bool:
        if self.consumer is None:
            return False
        queues = [queue.name for queue in self.consumer.task_consumer.queues]
        for queue in queues:
            # Remote control, as `celery control cancel_consumer` sends it: the consumer's own loop
            # acts on it, so no thread touches the consumer's connection.
            self.consumer.app.control.cancel_consumer(queue, destination=[self.consumer.hostname], reply=False)
        return True


class WorkerService:
    """Whether the worker service's primary deployment runs another task definition than this task."""

    def __init__(self, cluster: str, service: str, metadata_uri: str, ecs=None):
        self.cluster, self.service, self.metadata_uri = cluster, service, metadata_uri
        self.ecs = ecs  # a boto3 ECS client; made on first use
        self.own: Optional[str] = None

    def outdated(self) -> bool:
        if self.own is None:
            with urllib.request.urlopen(f"{self.metadata_uri}/task", timeout=5) as response:
                task = json.loads(response.read())
            self.own = f":task-definition/{task['Family']}:{task['Revision']}"
        if self.ecs is None:
            import boto3

            self.ecs = boto3.client("ecs")
        answer = self.ecs.describe_services(cluster=self.cluster, services=[self.service])
        primary = [d for s in answer["services"] for d in s["deployments"] if d["status"] == "PRIMARY"]
        return bool(primary) and not primary[0]["taskDefinition"].endswith(self.own)


def main(argv: list[str]) -> None:
    agent_uri = os.environ.get("ECS_AGENT_URI")
    if agent_uri:
        from celery.signals import task_received, worker_ready

        consumer = CeleryConsumer()
        worker_ready.connect(consumer.ready, weak=False)
        service = WorkerService(os.environ["ECS_CLUSTER"], os.environ["ECS_SERVICE"],
                                os.environ["ECS_CONTAINER_METADATA_URI_V4"])
        protection = Protection(EcsAgent(agent_uri), held=celery_held_requests, outdated=service.outdated,
                                stop_consuming=consumer.stop_consuming)
        task_received.connect(protection.task_received, weak=False)
        threading.Thread(target=protection.run_forever, name="scale-in-protection", daemon=True).start()
    from airflow.__main__ import main as airflow

    sys.argv = ["airflow", *argv]
    airflow()


if __name__ == "__main__":
    # No logging set-up here: the Airflow command configures logging for the whole process.
    main(sys.argv[1:])
