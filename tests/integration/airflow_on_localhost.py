"""`make integration`: the planned Fargate task definitions run as local processes on real Airflow.

Not part of `make test` (it installs Airflow and runs for minutes). It plans the sandbox stack with
`platform: fargate` through tests/harness.py, installs the Airflow version of the planned image from
PyPI into .integration/airflow-<version> (pinned by the official constraints carried next to this file),
starts PostgreSQL and a TLS-only Redis from Debian packages on localhost (installed with apt-get when
missing), then runs each Airflow container's environment and command as a local process: migrate,
api-server, scheduler, dag-processor, triggerer and the Celery worker (with its scale-in protection
wrapper, which only runs the worker off ECS). What ECS would supply is replaced by local values: the
Secrets Manager secrets (built with the same URL functions as the plan), the `/opt/airflow` folders
(a temporary folder), the api-server's port and the load balancer's key URL (a local HTTPS server).

It then signs in through the load balancer path with tokens from tests/alb_tokens.py (a valid one per
mapped group, one in no mapped group, a forged one), checks the roles Airflow stored, and runs a DAG
through the REST API with the signed-in admin's token until the Celery worker finished it. Every
process it started is stopped at the end, also on failure.
"""

import http.server
import json
import os
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import ExitStack
from email.message import Message
from pathlib import Path
from typing import Any, Optional

from cryptography.hazmat.primitives.asymmetric import ec

from airflow_aws import airflow_settings as airflow
from tests.alb_tokens import KID, alb_token, pem, tampered
from tests.harness import plan_stack

HERE = Path(__file__).parent
REPO = HERE.parent.parent
STACK, CHANGES = "sandbox", {"platform": "fargate"}
# The order a deployment starts them in; migrate runs to completion first.
PROCESSES = ("api-server", "scheduler", "dag-processor", "triggerer", "worker")
POSTGRES_BIN = Path("/usr/lib/postgresql")
DAG_ID = "integration_check"
# The task returns this variable, set only in the worker's environment: the run succeeded on the worker.
RAN_ON = "INTEGRATION_PROCESS"
DAG_SOURCE = f'''
import os
import pendulum
from airflow.sdk import dag, task


@dag(dag_id="{DAG_ID}", schedule=None, start_date=pendulum.datetime(2024, 1, 1), catchup=False)
def integration_check():
    @task
    def where():
        return os.environ.get("{RAN_ON}")

    where()


integration_check()
'''
DEADLINE_SECONDS = 240


def log(message: str) -> None:
    print(f"[integration {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(what: str, check, timeout: float = DEADLINE_SECONDS, processes: Optional["Processes"] = None) -> Any:
    """Poll `check` until it returns something truthy; fail naming `what` (and any process that died)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if processes:
            processes.require_running()
        result = check()
        if result:
            return result
        time.sleep(1)
    raise RuntimeError(f"timed out after {timeout:.0f} s waiting for {what}")


# --- planned task definitions ------------------------------------------------------------------

def planned_containers() -> dict[str, dict]:
    """The Airflow container of each planned task definition, by container name."""
    plan = plan_stack(STACK, CHANGES)
    containers = {}
    for registration in plan.of_type("aws:ecs/taskDefinition:TaskDefinition"):
        definitions = registration.inputs["containerDefinitions"]
        for container in json.loads(definitions) if isinstance(definitions, str) else definitions:
            if container["name"] in (*PROCESSES, "migrate"):
                containers[container["name"]] = container
    return containers


# --- Airflow from PyPI -------------------------------------------------------------------------

def airflow_venv(image: str) -> Path:
    """A venv with the image's Airflow version and the providers the stack uses, installed once."""
    version = image.rsplit(":", 1)[1].split("-")[0]
    constraints = HERE / f"constraints-{version}.txt"
    if not constraints.is_file():
        raise RuntimeError(f"no constraints for Airflow {version}: copy constraints-{version}.txt (the official "
                           f"constraints-{version}/constraints-3.12.txt) to {HERE}")
    venv = REPO / ".integration" / f"airflow-{version}"
    marker = venv / ".installed"
    if not marker.is_file() or marker.read_text() != constraints.read_text():
        log(f"installing apache-airflow {version} into {venv}")
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                        f"apache-airflow[celery,postgres,fab]=={version}", "--constraint", str(constraints)],
                       check=True)
        marker.write_text(constraints.read_text())
    return venv


# --- PostgreSQL and Redis from Debian ----------------------------------------------------------

def debian_packages() -> None:
    """postgresql and redis-server, installed only when missing (the target runs as root, as CI does)."""
    if shutil.which("redis-server") and list(POSTGRES_BIN.glob("*/bin/postgres")):
        return
    log("installing postgresql and redis-server with apt-get")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=environment)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql", "redis-server"],
                   check=True, env=environment, stdout=subprocess.DEVNULL)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for localhost and 127.0.0.1: Redis's and the key server's, and the one CA clients trust."""
    cert, key = folder / "localhost.crt", folder / "localhost.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-days", "1", "-subj", "/CN=localhost", "-addext",
                    "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key


class Processes:
    """Processes started in their own session, stopped (the whole group) when the run ends."""

    def __init__(self, logs: Path):
        self.logs, self.started = logs, {}

    def start(self, name: str, command: list[str], environment: Optional[dict[str, str]] = None,
              user: Optional[str] = None) -> subprocess.Popen:
        if user:
            command = ["runuser", "-u", user, "--", *command]
        with (self.logs / f"{name}.log").open("w") as output:  # the child keeps its own copy of the descriptor
            process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT,
                                       start_new_session=True, cwd=self.logs)
        self.started[name] = process
        return process

    def require_running(self) -> None:
        for name, process in self.started.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")

    def tail(self, name: str, lines: int = 40) -> str:
        return "\n".join((self.logs / f"{name}.log").read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        for process in reversed(self.started.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        end = time.monotonic() + 20
        for name, process in reversed(self.started.items()):
            try:
                process.wait(max(0.1, end - time.monotonic()))
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop on SIGTERM: killed")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def start_postgres(processes: Processes, folder: Path, port: int, password: str) -> None:
    binaries = sorted(POSTGRES_BIN.glob("*/bin"))[-1]
    data = folder / "postgres"
    data.mkdir()
    shutil.chown(data, "postgres")
    password_file = folder / "postgres.password"
    password_file.write_text(password)
    shutil.chown(password_file, "postgres")
    subprocess.run(["runuser", "-u", "postgres", "--", str(binaries / "initdb"), "-D", str(data), "-U",
                    airflow.DATABASE_USER, "--pwfile", str(password_file), "--auth", "scram-sha-256"],
                   check=True, capture_output=True, cwd=folder)
    processes.start("postgres", [str(binaries / "postgres"), "-D", str(data), "-p", str(port), "-h", "127.0.0.1",
                                 "-k", str(data)], user="postgres")
    environment = {**os.environ, "PGPASSWORD": password}
    wait_for("PostgreSQL", lambda: subprocess.run(
        [str(binaries / "psql"), "-h", "127.0.0.1", "-p", str(port), "-U", airflow.DATABASE_USER, "-d", "postgres",
         "-c", f"CREATE DATABASE {airflow.DATABASE_NAME}"], env=environment, capture_output=True).returncode == 0,
        timeout=30, processes=processes)


def start_redis(processes: Processes, port: int, token: str, cert: Path, key: Path) -> None:
    """Redis as ElastiCache runs it for the stack: TLS only (no plain port), an AUTH token."""
    processes.start("redis", ["redis-server", "--port", "0", "--tls-port", str(port), "--bind", "127.0.0.1",
                              "--tls-cert-file", str(cert), "--tls-key-file", str(key), "--tls-ca-cert-file",
                              str(cert), "--tls-auth-clients", "no", "--requirepass", token, "--save", "",
                              "--appendonly", "no"])
    wait_for("Redis", lambda: subprocess.run(
        ["redis-cli", "--tls", "--cacert", str(cert), "-h", "localhost", "-p", str(port), "--no-auth-warning",
         "-a", token, "ping"], capture_output=True, text=True).stdout.strip() == "PONG", timeout=30,
        processes=processes)


def serve_keys(cert: Path, key: Path, alb_key: ec.EllipticCurvePrivateKey) -> tuple[str, http.server.HTTPServer]:
    """The load balancer's public key endpoint (`<keys URL>/<kid>` gives the PEM), over HTTPS on localhost."""
    public = pem(alb_key)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
            found = self.path == f"/{KID}"
            self.send_response(200 if found else 404)
            self.end_headers()
            if found:
                self.wfile.write(public)

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"https://localhost:{server.server_address[1]}", server


# --- the task definitions as local processes ---------------------------------------------------

def local_environment(container: dict, values: dict[str, str], home: Path) -> dict[str, str]:
    """The container's environment, its secrets resolved to local values and `/opt/airflow` moved to `home`."""
    environment = {e["name"]: e["value"].replace("/opt/airflow", str(home)) for e in container.get("environment", [])}
    missing = [s["name"] for s in container.get("secrets", []) if s["name"] not in values]
    if missing:
        raise RuntimeError(f"{container['name']}: no local value for the secrets {missing}")
    environment.update({s["name"]: values[s["name"]] for s in container.get("secrets", [])})
    return environment


def local_command(container: dict, venv: Path, home: Path, api_port: int) -> list[str]:
    """The container's command; the image's entry point runs `airflow <command>` when it is not a shell."""
    # A free port instead of 8080: other programs on the machine may hold it.
    command = [part.replace("/opt/airflow", str(home)).replace("--port 8080", f"--port {api_port}")
               for part in container["command"]]
    return command if command[0] == "bash" else [str(venv / "bin" / "airflow"), *command]


# --- HTTP against the api-server ---------------------------------------------------------------

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any) -> None:
        return None


HTTP = urllib.request.build_opener(NoRedirect)


def call(url: str, *, method: str = "GET", headers: Optional[dict[str, str]] = None,
         body: Any = None) -> tuple[int, Message, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method=method,
                                     headers={**(headers or {}), **({"Content-Type": "application/json"} if data else {})})
    try:
        with HTTP.open(request, timeout=30) as answer:
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode(errors="replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, Message(), ""


def sign_in(base: str, token: Optional[str]) -> tuple[int, Optional[str]]:
    """The load balancer forwards the request with its token; Airflow answers with its own token as a cookie."""
    status, headers, _ = call(f"{base}/auth/login/?next={base}/dags",
                              headers={"x-amzn-oidc-data": token} if token else {})
    cookies = [cookie.split(";", 1)[0].split("=", 1) for cookie in headers.get_all("Set-Cookie", [])]
    jwt_token = next((value for name, value in cookies if name == "_token" and value), None)
    return status, jwt_token


def stored_roles(venv: Path, environment: dict[str, str]) -> dict[str, list[str]]:
    """Users and roles as the FAB tables hold them, read with the Airflow installation's own driver."""
    program = ("import json, os, sqlalchemy\n"
               "engine = sqlalchemy.create_engine(os.environ['AIRFLOW__DATABASE__SQL_ALCHEMY_CONN'])\n"
               "rows = engine.connect().execute(sqlalchemy.text('SELECT u.username, r.name FROM ab_user u "
               "JOIN ab_user_role ur ON ur.user_id = u.id JOIN ab_role r ON r.id = ur.role_id')).all()\n"
               "users = {}\n"
               "[users.setdefault(user, []).append(role) for user, role in rows]\n"
               "print(json.dumps(users))\n")
    result = subprocess.run([str(venv / "bin" / "python"), "-c", program], env=environment, capture_output=True,
                            text=True, check=True)
    return json.loads(result.stdout)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)
    log(f"ok: {message}")


def run() -> None:
    started = time.monotonic()
    containers = planned_containers()
    venv = airflow_venv(containers["api-server"]["image"])
    debian_packages()
    with ExitStack() as cleanup:
        folder = Path(tempfile.mkdtemp(prefix="airflow-integration-"))
        os.chmod(folder, 0o755)  # postgres (its own user) reads its password file and data folder in here
        cleanup.callback(shutil.rmtree, folder, ignore_errors=True)
        processes = Processes(folder)
        cleanup.callback(processes.stop)
        try:
            check(containers, venv, folder, processes, cleanup)
        except BaseException:
            for name in processes.started:
                log(f"--- last lines of {name} ---\n{processes.tail(name)}")
            raise
    log(f"passed in {time.monotonic() - started:.0f} s")


def check(containers: dict[str, dict], venv: Path, folder: Path, processes: Processes, cleanup: ExitStack) -> None:
    home = folder / "airflow"
    (home / "dags").mkdir(parents=True)
    # Written before the dag-processor starts: it lists the folder when it starts.
    (home / "dags" / f"{DAG_ID}.py").write_text(DAG_SOURCE)
    cert, key = self_signed_certificate(folder)
    database_port, redis_port, api_port = free_port(), free_port(), free_port()
    database_password, redis_token = "db pass/word:@1", "redis-token-0123456789"  # quoted as the plan quotes
    start_postgres(processes, folder, database_port, database_password)
    start_redis(processes, redis_port, redis_token, cert, key)
    alb_key = ec.generate_private_key(ec.SECP256R1())
    keys_url, key_server = serve_keys(cert, key, alb_key)
    cleanup.callback(key_server.shutdown)
    secrets = {
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": airflow.database_url(database_password, "127.0.0.1", port=database_port),
        "AIRFLOW__CELERY__RESULT_BACKEND": airflow.result_backend_url(database_password, "127.0.0.1",
                                                                      port=database_port),
        "AIRFLOW__CELERY__BROKER_URL": airflow.broker_url(redis_token, "localhost", port=redis_port),
        "AIRFLOW__CORE__FERNET_KEY": airflow.fernet_key("A" * 43 + "="),
        "AIRFLOW__API_AUTH__JWT_SECRET": "integration-jwt-secret-integration-jwt-secret",
        "AIRFLOW__API__SECRET_KEY": "integration-api-secret-key",
    }
    base = f"http://localhost:{api_port}"
    local = {
        "PATH": f"{venv / 'bin'}:{os.environ.get('PATH', '/usr/bin:/bin')}", "HOME": str(home),
        "AIRFLOW_HOME": str(home), "LANG": "C.UTF-8",
        # What the VPC gives the tasks on ECS: the api-server's address, the load balancer's keys, a CA.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{base}/execution/", "AIRFLOW__API__BASE_URL": f"{base}/",
        "ALB_KEYS_URL": keys_url, "SSL_CERT_FILE": str(cert),
        # Task logs stay on local disk: there is no S3 bucket here.
        "AIRFLOW__LOGGING__REMOTE_LOGGING": "False",
    }
    environments = {name: {**local_environment(containers[name], secrets, home), **local}
                    for name in ("migrate", *PROCESSES)}
    environments["worker"][RAN_ON] = "worker"

    log("migrate")
    migrate = subprocess.run(local_command(containers["migrate"], venv, home, api_port),
                             env=environments["migrate"], capture_output=True, text=True, cwd=folder)
    if migrate.returncode:
        raise RuntimeError(f"migrate failed:\n{migrate.stdout[-3000:]}\n{migrate.stderr[-3000:]}")
    for name in PROCESSES:
        log(f"start {name}: {shlex.join(local_command(containers[name], venv, home, api_port)[:3])[:160]}")
        processes.start(name, local_command(containers[name], venv, home, api_port), environments[name])
    wait_for("the api-server's health", lambda: call(f"{base}/api/v2/monitor/health")[0] == 200, processes=processes)

    arn = environments["api-server"]["ALB_ARN"]
    group_roles = json.loads(environments["api-server"]["GROUP_ROLE_MAPPING"])
    admins = next(group for group, role in group_roles.items() if role == "Admin")
    viewers = next(group for group, role in group_roles.items() if role == "Viewer")

    def token(email: str, *groups: str) -> str:
        return alb_token(alb_key, {"email": email, "groups": list(groups)}, signer=arn)

    status, admin = sign_in(base, token("alice@example.com", viewers, admins))
    expect(status == 302 and admin is not None, f"a user in {admins} and {viewers} is signed in (302, {status})")
    status, viewer = sign_in(base, token("bob@example.com", viewers))
    expect(status == 302 and viewer is not None, f"a user in {viewers} is signed in (302, {status})")
    status, nobody = sign_in(base, token("carol@example.com", "staff"))
    expect(status == 403 and nobody is None, f"a user in no mapped group is refused (403, {status})")
    status, forged = sign_in(base, tampered(token("mallory@example.com", "staff"), groups=[admins]))
    expect(status == 401 and forged is None, f"a forged token gets no identity (401, {status})")
    status, _ = sign_in(base, None)
    expect(status == 401, f"a request without a token gets no identity (401, {status})")
    roles = stored_roles(venv, environments["api-server"])
    expect(roles == {"alice@example.com": ["Admin"], "bob@example.com": ["Viewer"]},
           f"Airflow stored the mapped roles, and no user for the refused and forged tokens: {roles}")

    def as_user(jwt_token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {jwt_token}"}

    wait_for(f"the dag-processor to parse {DAG_ID}",
             lambda: call(f"{base}/api/v2/dags/{DAG_ID}", headers=as_user(admin))[0] == 200, processes=processes)
    status, _, _ = call(f"{base}/api/v2/dags/{DAG_ID}/dagRuns", method="POST", headers=as_user(viewer),
                        body={"logical_date": None})
    expect(status == 403, f"the Viewer may not trigger a DAG run (403, {status})")
    status, _, _ = call(f"{base}/api/v2/dags/{DAG_ID}", method="PATCH", headers=as_user(admin),
                        body={"is_paused": False})
    expect(status == 200, f"the Admin unpauses {DAG_ID} ({status})")
    status, _, answer = call(f"{base}/api/v2/dags/{DAG_ID}/dagRuns", method="POST", headers=as_user(admin),
                             body={"logical_date": None})
    expect(status == 200, f"the Admin triggers a run ({status} {answer[:200]})")
    run_id = json.loads(answer)["dag_run_id"]
    run_url = f"{base}/api/v2/dags/{DAG_ID}/dagRuns/{run_id}"

    def finished() -> Optional[str]:
        state = json.loads(call(run_url, headers=as_user(admin))[2] or "{}").get("state")
        return state if state in ("success", "failed") else None

    state = wait_for(f"run {run_id} to finish", finished, processes=processes)
    expect(state == "success", f"the run finished: {state}")
    _, _, answer = call(f"{run_url}/taskInstances/where/xcomEntries/return_value", headers=as_user(admin))
    expect(json.loads(answer).get("value") == "worker", f"the task ran on the Celery worker: {answer[:200]}")


def stop_on_sigterm(signum: int, frame: Any) -> None:
    raise SystemExit(f"stopped by signal {signum}")  # unwinds through the clean-up, as Ctrl-C does


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, stop_on_sigterm)
    run()
