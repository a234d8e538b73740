"""The Fargate api-server's single sign-on (alb_sign_in.py) with real ES256 keys and load-balancer-style
tokens, against a security manager that keeps users and roles the way FAB's does. The FAB glue
itself runs against real Airflow in test_fargate_sign_in_airflow.py (opt-in)."""

import json
import logging
from dataclasses import dataclass, field
from typing import Any, Optional

import pytest

from airflow_aws import alb_identity, alb_sign_in

from .alb_tokens import ALB_ARN, KID, OTHER_ALB_ARN, Keys, alb_token, tampered

GROUP_ROLES = {"airflow-admins": "Admin", "airflow-operators": "Op", "airflow-viewers": "Viewer"}
SETTINGS = alb_sign_in.SignInSettings(alb_arn=ALB_ARN, group_roles=GROUP_ROLES, groups_claim="groups",
                                      keys_url="https://keys.example.com")


@dataclass
class Role:
    name: str


@dataclass
class User:
    username: str
    first_name: str
    last_name: str
    email: str
    roles: list
    password: str
    active: bool = True
    login_count: int = 0

    @property
    def is_active(self) -> bool:
        return self.active


@dataclass
class SecurityManager:
    """FAB's security manager as sign_in uses it: Airflow's four roles, users by name."""

    roles: dict = field(default_factory=lambda: {name: Role(name) for name in alb_identity.ROLES_BY_PRIVILEGE})
    users: dict = field(default_factory=dict)

    def find_role(self, name: str) -> Optional[Role]:
        return self.roles.get(name)

    def find_user(self, username: str) -> Optional[User]:
        return self.users.get(username)

    def add_user(self, *, username, first_name, last_name, email, role, password) -> User:
        self.users[username] = User(username, first_name, last_name, email, [role], password)
        return self.users[username]

    def update_user_auth_stat(self, user: User) -> None:
        user.login_count += 1


@pytest.fixture
def keys(alb_key) -> Keys:
    return Keys({KID: alb_key.public_key()})


def claims(*groups: str, email: str = "alice@example.com") -> dict[str, Any]:
    return {"email": email, "given_name": "Alice", "family_name": "Liddell", "groups": list(groups)}


def test_a_user_in_a_mapped_group_is_created_with_the_most_privileged_mapped_role(alb_key, keys):
    manager = SecurityManager()

    user = alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-viewers", "airflow-operators")),
                               SETTINGS, keys)

    assert manager.users == {"alice@example.com": user}
    assert [role.name for role in user.roles] == ["Op"]
    assert (user.first_name, user.last_name, user.email, user.login_count) == ("Alice", "Liddell",
                                                                               "alice@example.com", 1)


def test_nobody_knows_the_password_of_a_user_created_by_sign_in(alb_key, keys):
    manager = SecurityManager()

    for email in ("alice@example.com", "bob@example.com"):
        alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-admins", email=email)), SETTINGS, keys)

    passwords = [user.password for user in manager.users.values()]
    assert len(set(passwords)) == 2 and all(len(password) >= 32 for password in passwords)


def test_each_sign_in_sets_the_role_the_groups_map_to_now(alb_key, keys):
    manager = SecurityManager()
    alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-admins")), SETTINGS, keys)

    user = alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-viewers")), SETTINGS, keys)

    assert [role.name for role in user.roles] == ["Viewer"]
    assert (len(manager.users), user.login_count) == (1, 2)


def test_a_user_known_only_by_subject_gets_a_placeholder_address(alb_key, keys):
    token = alb_token(alb_key, {"groups": ["airflow-viewers"]})

    user = alb_sign_in.sign_in(SecurityManager(), token, SETTINGS, keys)

    assert (user.username, user.email) == ("00u1abcd", "00u1abcd@users.invalid")


@pytest.mark.parametrize("groups", [[], ["staff"], [" airflow-admins"], "[airflow-admins, staff]"])
def test_a_user_in_no_mapped_group_is_refused_and_not_created(groups, alb_key, keys):
    manager = SecurityManager()

    with pytest.raises(alb_identity.NotMapped) as refusal:
        alb_sign_in.sign_in(manager, alb_token(alb_key, {"email": "alice@example.com", "groups": groups}),
                            SETTINGS, keys)

    assert (refusal.value.status, refusal.value.user) == (403, "alice@example.com")
    assert manager.users == {}


def test_a_user_deactivated_in_airflow_is_refused(alb_key, keys):
    manager = SecurityManager()
    alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-admins")), SETTINGS, keys).active = False

    with pytest.raises(alb_identity.NotMapped, match="deactivated"):
        alb_sign_in.sign_in(manager, alb_token(alb_key, claims("airflow-admins")), SETTINGS, keys)


NO_IDENTITY = {
    "missing header": lambda alb, other: None,
    "empty header": lambda alb, other: "",
    "forged (claims changed)": lambda alb, other: tampered(alb_token(alb, claims("airflow-viewers"))),
    "signed by another key": lambda alb, other: alb_token(other, claims("airflow-admins")),
    "another load balancer": lambda alb, other: alb_token(alb, claims("airflow-admins"), signer=OTHER_ALB_ARN),
    "expired": lambda alb, other: alb_token(alb, claims("airflow-admins"), expires_in=-1),
    "header sent twice": lambda alb, other: ",".join([alb_token(alb, claims("airflow-admins"))] * 2),
    "not ES256": lambda alb, other: alb_token(alb, claims("airflow-admins"), alg="HS256"),
}


@pytest.mark.parametrize("case", NO_IDENTITY)
def test_a_request_without_this_load_balancers_valid_token_gets_no_identity(case, alb_key, other_key, keys):
    manager = SecurityManager()

    with pytest.raises(alb_identity.Refused) as refusal:
        alb_sign_in.sign_in(manager, NO_IDENTITY[case](alb_key, other_key), SETTINGS, keys)

    assert refusal.value.status == 401 and not isinstance(refusal.value, alb_identity.NotMapped)
    assert manager.users == {}


def test_a_refusal_is_a_page_with_its_status_and_one_log_line_without_the_token(alb_key, keys, caplog):
    token = alb_token(alb_key, claims("staff"))
    caplog.set_level(logging.INFO, logger="alb_sign_in")

    with pytest.raises(alb_identity.NotMapped) as refusal:
        alb_sign_in.sign_in(SecurityManager(), token, SETTINGS, keys)
    body, status, headers = alb_sign_in.refused(refusal.value)

    assert (status, headers["Cache-Control"]) == (403, "no-store")
    assert "No access to Airflow" in body and "alice@example.com" in body
    assert [json.loads(r.getMessage()) for r in caplog.records] == [
        {"decision": "refused", "status": 403, "reason": "no mapped group", "user": "alice@example.com",
         "groups": ["staff"]}]
    assert token.split(".")[2] not in caplog.text


ENVIRON = {"ALB_ARN": ALB_ARN, "GROUP_ROLE_MAPPING": json.dumps(GROUP_ROLES), "AWS_DEFAULT_REGION": "eu-west-1"}


def test_the_settings_come_from_the_task_environment():
    settings = alb_sign_in.SignInSettings.from_environ(ENVIRON)

    assert settings == alb_sign_in.SignInSettings(
        alb_arn=ALB_ARN, group_roles=GROUP_ROLES, groups_claim="groups",
        keys_url="https://public-keys.auth.elb.eu-west-1.amazonaws.com")


@pytest.mark.parametrize("change, named", [
    ({"ALB_ARN": ""}, "ALB_ARN"),
    ({"GROUP_ROLE_MAPPING": "{}"}, "GROUP_ROLE_MAPPING"),
    ({"GROUP_ROLE_MAPPING": "not json"}, "GROUP_ROLE_MAPPING"),
    ({"GROUP_ROLE_MAPPING": json.dumps({"g": "Superuser"})}, "GROUP_ROLE_MAPPING"),
    ({"AWS_DEFAULT_REGION": ""}, "AWS_DEFAULT_REGION"),
    ({"ALB_KEYS_URL": "http://keys.example.com"}, "ALB_KEYS_URL"),
])
def test_missing_or_bad_settings_stop_the_api_server_naming_the_variable(change, named):
    with pytest.raises(ValueError, match=named):
        alb_sign_in.SignInSettings.from_environ({**ENVIRON, **change})
