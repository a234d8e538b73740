"""Opt-in: the Fargate sign-in against real Airflow 3 and the FAB auth manager.

    python -m venv /tmp/airflow-venv
    /tmp/airflow-venv/bin/pip install apache-airflow==3.0.6 apache-airflow-providers-fab==2.4.1 \
        --constraint https://raw.githubusercontent.com/apache/airflow/constraints-3.0.6/constraints-3.12.txt
    AIRFLOW_SIGN_IN_PYTHON=/tmp/airflow-venv/bin/python .venv/bin/python -m pytest tests/test_fargate_sign_in_airflow.py

Skipped unless AIRFLOW_SIGN_IN_PYTHON names that Python (the default suite does not install
Airflow). The constraints are what the apache/airflow:3.0.6 image holds (PyJWT 2.10.1,
cryptography 42.0.8, Flask-AppBuilder 4.6.3); a newer PyJWT than the image's (2.15) refuses
Airflow 3.0.6's own token without `[api_auth] jwt_issuer`, which says nothing about the image. The files and environment are the ones the plan gives the api-server task, only in a
temporary folder; the database is SQLite, migrated by `airflow db migrate`; the real api-server
app (FastAPI with FAB's Flask app under /auth) answers through a test client
(tests/airflow_sign_in_probe.py).
"""

import json
import os
import subprocess
from pathlib import Path

import pytest

from airflow_aws import airflow_settings as airflow

from .alb_tokens import ALB_ARN, KID, OTHER_ALB_ARN, alb_token, pem, tampered

PYTHON = os.environ.get("AIRFLOW_SIGN_IN_PYTHON")
pytestmark = pytest.mark.skipif(not PYTHON, reason="set AIRFLOW_SIGN_IN_PYTHON to a Python with apache-airflow 3")
GROUP_ROLES = {"airflow-admins": "Admin", "airflow-viewers": "Viewer"}
KEYS_URL = "https://keys.example.com"


def user(email: str, *groups: str) -> dict:
    return {"email": email, "groups": list(groups)}


@pytest.fixture(scope="module")
def outcome(alb_key, other_key, tmp_path_factory):
    home = tmp_path_factory.mktemp("airflow")
    folder = home / "sign-in"
    folder.mkdir()
    for path, content in airflow.sign_in_files().items():
        (folder / Path(path).name).write_text(content)
    environment = {
        **{k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "HOME")},
        **airflow.sign_in_environment(alb_arn=ALB_ARN, group_roles=GROUP_ROLES, groups_claim="groups"),
        "AIRFLOW__FAB__CONFIG_FILE": str(folder / "webserver_config.py"),
        "ALB_KEYS_URL": KEYS_URL, "AIRFLOW_HOME": str(home),
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home}/airflow.db",
        "AIRFLOW__CORE__AUTH_MANAGER": airflow.FAB_AUTH_MANAGER, "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__API__BASE_URL": "https://airflow.example.com/",
        "AIRFLOW__API_AUTH__JWT_SECRET": "test-secret-test-secret-test-secret",
    }
    migrate = subprocess.run([str(Path(PYTHON).parent / "airflow"), "db", "migrate"], env=environment,
                             capture_output=True, text=True, check=False)
    assert migrate.returncode == 0, migrate.stderr[-3000:]
    requests = {
        "admin": alb_token(alb_key, user("alice@example.com", "airflow-viewers", "airflow-admins")),
        "viewer": alb_token(alb_key, user("bob@example.com", "airflow-viewers")),
        "no mapped group": alb_token(alb_key, user("carol@example.com", "staff")),
        "forged": tampered(alb_token(alb_key, user("mallory@example.com", "staff"))),
        "other key": alb_token(other_key, user("mallory@example.com", "airflow-admins")),
        "other load balancer": alb_token(alb_key, user("mallory@example.com", "airflow-admins"), signer=OTHER_ALB_ARN),
        "expired": alb_token(alb_key, user("mallory@example.com", "airflow-admins"), expires_in=-5),
        "no header": None,
    }
    probe = subprocess.run(
        [PYTHON, str(Path(__file__).with_name("airflow_sign_in_probe.py"))],
        input=json.dumps({"folder": str(folder), "key_url": f"{KEYS_URL}/{KID}", "pem": pem(alb_key).decode(),
                          "requests": requests}),
        env=environment, capture_output=True, text=True, check=False)
    assert probe.returncode == 0, probe.stderr[-3000:]
    return json.loads(probe.stdout.strip().splitlines()[-1])


def test_the_api_server_uses_the_load_balancer_sign_in(outcome):
    assert outcome["security_manager"] == "LoadBalancerSecurityManager"


@pytest.mark.parametrize("name, role", [("admin", "Admin"), ("viewer", "Viewer")])
def test_a_mapped_user_is_signed_in_with_the_mapped_role_and_gets_an_airflow_token(outcome, name, role):
    answer = outcome["answers"][name]
    email = {"admin": "alice@example.com", "viewer": "bob@example.com"}[name]

    assert (answer["status"], answer["location"]) == (302, "https://airflow.example.com/dags")
    assert answer["token"] and "Secure" in answer["cookie"]
    assert answer["dags_status"] == 200
    assert outcome["users"][email] == [role]


def test_a_user_in_no_mapped_group_is_refused_and_not_created(outcome):
    answer = outcome["answers"]["no mapped group"]

    assert answer["status"] == 403 and "No access to Airflow" in answer["body"]
    assert not answer["token"] and "carol@example.com" not in outcome["users"]


@pytest.mark.parametrize("name", ["forged", "other key", "other load balancer", "expired", "no header"])
def test_a_request_without_this_load_balancers_valid_token_gets_no_identity(outcome, name):
    answer = outcome["answers"][name]

    assert answer["status"] == 401 and not answer["token"]
    assert "mallory@example.com" not in outcome["users"]
