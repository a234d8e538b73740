"""The sign-in function with real ES256 keys and load-balancer-style tokens; MWAA and STS through
botocore's Stubber, which checks every request and answer against the real API models."""

from __future__ import annotations

import json
import urllib.error
from datetime import datetime, timezone
from typing import Any, Optional

import boto3
import pytest
from botocore.stub import Stubber
from cryptography.hazmat.primitives.asymmetric import ec

from airflow_aws import alb_identity, naming
from airflow_aws.functions.web_login import app

# alb_key and other_key are fixtures.
from .alb_tokens import ALB_ARN, KID, OTHER_ALB_ARN, Keys, alb_token, pem, tampered

REGION = "eu-west-1"
ENVIRONMENT = "airflow-test"
HOST = "airflow.example.com"
MWAA_HOST = "0123abcd-vpce.c7.airflow.eu-west-1.on.aws"
WEB_TOKEN = "mwaa-web-token-0123456789"
SIGN_IN = "/aws_mwaa/aws-console-sso"
GROUP_ROLES = {"airflow-admins": "Admin", "airflow-operators": "Op", "airflow-users": "User",
               "airflow-viewers": "Viewer"}
LOGIN_ROLE_ARNS = {role: f"arn:aws:iam::111122223333:role/{ENVIRONMENT}-login-{role.lower()}"
                   for role in GROUP_ROLES.values()}


# --- what the load balancer sends ----------------------------------------------------------------


def user(groups: Any, email: str = "alice@example.com", claim: str = "groups") -> dict[str, Any]:
    return {"email": email, claim: groups}


def alb_event(path: str = SIGN_IN, token: Optional[str] = None,
              headers: Optional[dict[str, list[str]]] = None) -> dict[str, Any]:
    """A request as the load balancer forwards it; `headers` replace or add to the usual ones."""
    headers = {"host": [HOST], "user-agent": ["pytest"], "x-forwarded-proto": ["https"], **(headers or {})}
    if token is not None:
        headers["x-amzn-oidc-data"] = [token]
    return {"requestContext": {"elb": {"targetGroupArn": "arn:aws:elasticloadbalancing:eu-west-1:111122223333:"
                                                          "targetgroup/login/0123456789abcdef"}},
            "httpMethod": "GET", "path": path, "multiValueQueryStringParameters": {},
            "multiValueHeaders": headers, "body": "", "isBase64Encoded": False}


def environ(**changes: str) -> dict[str, str]:
    values = {"AWS_REGION": REGION, "MWAA_ENVIRONMENT_NAME": ENVIRONMENT, "AIRFLOW_MAJOR_VERSION": "2",
              "ALB_ARN": ALB_ARN, "HOST_NAME": HOST, "GROUP_ROLE_MAPPING": json.dumps(GROUP_ROLES),
              "LOGIN_ROLE_ARNS": json.dumps(LOGIN_ROLE_ARNS)}
    return {**values, **changes}


@pytest.fixture
def keys(alb_key) -> Keys:
    return Keys({KID: alb_key.public_key()})


# --- AWS through the Stubber ---------------------------------------------------------------------

CREDENTIALS = {"AccessKeyId": "ASIAEXAMPLEEXAMPLE01", "SecretAccessKey": "secret", "SessionToken": "session",
               "Expiration": datetime(2030, 1, 1, tzinfo=timezone.utc)}


class StubbedAws:
    def __init__(self):
        session = boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)
        self.sts, self.mwaa = session.client("sts"), session.client("mwaa")
        self.sts_stub, self.mwaa_stub = Stubber(self.sts), Stubber(self.mwaa)
        self.credentials_used: list[dict[str, Any]] = []
        self.clients = app.AwsClients(sts=self.sts, mwaa_with=self._mwaa_with)

    def _mwaa_with(self, credentials):
        self.credentials_used.append(dict(credentials))
        return self.mwaa

    def expect_sign_in(self, role: str, session: str = "alice@example.com") -> None:
        self.sts_stub.add_response(
            "assume_role",
            {"Credentials": CREDENTIALS,
             "AssumedRoleUser": {"AssumedRoleId": f"AROAEXAMPLE:{session}",
                                 "Arn": f"arn:aws:sts::111122223333:assumed-role/login/{session}"}},
            expected_params={"RoleArn": LOGIN_ROLE_ARNS[role], "RoleSessionName": session, "DurationSeconds": 900})
        self.mwaa_stub.add_response("create_web_login_token",
                                    {"WebToken": WEB_TOKEN, "WebServerHostname": MWAA_HOST},
                                    expected_params={"Name": ENVIRONMENT})


@pytest.fixture
def aws():
    stubbed = StubbedAws()
    with stubbed.sts_stub, stubbed.mwaa_stub:
        yield stubbed
        stubbed.sts_stub.assert_no_pending_responses()
        stubbed.mwaa_stub.assert_no_pending_responses()


def sign_in(token: Optional[str], keys: Keys, aws: StubbedAws, **env: str) -> dict[str, Any]:
    return app.handle(alb_event(token=token), environ(**env), resolve_key=keys, aws=aws.clients)


def location(answer: dict[str, Any]) -> str:
    return answer["multiValueHeaders"]["Location"][0]


# --- signing in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("group, role", sorted(GROUP_ROLES.items()))
def test_each_mapped_group_signs_in_as_its_role(group, role, alb_key, keys, aws):
    aws.expect_sign_in(role)

    answer = sign_in(alb_token(alb_key, user([group])), keys, aws)

    assert (answer["statusCode"], answer["statusDescription"]) == (302, "302 Found")
    assert location(answer) == f"https://{HOST}/aws_mwaa/aws-console-sso?login=true#{WEB_TOKEN}"
    assert aws.credentials_used == [CREDENTIALS]
    assert answer["multiValueHeaders"]["Cache-Control"] == ["no-store"]
    assert keys.asked == [KID]


def test_airflow_3_lands_on_the_plugins_v2_login(alb_key, keys, aws):
    aws.expect_sign_in("Viewer")

    answer = sign_in(alb_token(alb_key, user(["airflow-viewers"])), keys, aws, AIRFLOW_MAJOR_VERSION="3")

    assert location(answer) == f"https://{HOST}/pluginsv2/aws_mwaa/aws-console-sso?login=true#{WEB_TOKEN}"


def test_the_most_privileged_mapped_role_wins_whatever_the_group_order(alb_key, keys, aws):
    aws.expect_sign_in("Op")

    answer = sign_in(alb_token(alb_key, user(["airflow-viewers", "unmapped", "airflow-operators"])), keys, aws)

    assert answer["statusCode"] == 302
    assert alb_identity.role_for_groups(["airflow-viewers", "airflow-admins"], GROUP_ROLES) == "Admin"
    assert alb_identity.role_for_groups(["airflow-admins", "airflow-viewers"], GROUP_ROLES) == "Admin"


def test_groups_come_from_the_configured_claim_as_a_delimited_string(alb_key, keys, aws):
    aws.expect_sign_in("User")
    token = alb_token(alb_key, user("staff,airflow-users", claim="custom:groups"))

    answer = sign_in(token, keys, aws, GROUPS_CLAIM="custom:groups")

    assert answer["statusCode"] == 302


# --- which groups a claim names -------------------------------------------------------------------


@pytest.mark.parametrize("claim, groups", [
    (["airflow-users", "Data Team"], ["airflow-users", "Data Team"]),
    ([" airflow-users", "airflow-users "], [" airflow-users", "airflow-users "]),
    (["airflow-users", 42, None, True, ["airflow-admins"], {"airflow-admins": "Admin"}, ""], ["airflow-users"]),
    ("airflow-users,staff", ["airflow-users", "staff"]),
    ("airflow-users staff", ["airflow-users staff"]),
    (" airflow-users, staff ", [" airflow-users", " staff "]),
    ("airflow-users,,", ["airflow-users"]),
    ("", []),
    ('["airflow-users", "Data Team"]', ["airflow-users", "Data Team"]),
    (None, []),
    (42, []),
    ({"airflow-admins": "Admin"}, []),
])
def test_a_list_claim_is_used_as_sent_and_a_string_claim_is_split_on_commas_only(claim, groups):
    assert alb_identity.groups_of({"groups": claim}, "groups") == groups


@pytest.mark.parametrize("claim", ["[airflow-admins, staff]", "[airflow-admins]", '["airflow-admins"', '["a"] ["b"]'])
def test_a_bracketed_string_that_is_not_a_json_list_is_ambiguous(claim):
    with pytest.raises(alb_identity.AmbiguousGroups, match="groups"):
        alb_identity.groups_of({"groups": claim}, "groups")


NOT_ADMINS = {
    "leading blank": [" airflow-admins"],
    "trailing blank": ["airflow-admins "],
    "blanks in a string": " airflow-admins ",
    "comma and blank": "staff, airflow-admins",
    "blank separated": "staff airflow-admins",
    "group name containing it": ["data team airflow-admins"],
    "string containing it": "data team airflow-admins",
    "prefix": "airflow-admins-old",
    "nested list": [["airflow-admins"]],
    "object member": [{"name": "airflow-admins"}],
    "cognito multi-valued form": "[airflow-admins, staff]",
    "empty string": "",
    "empty list": [],
}


@pytest.mark.parametrize("case", sorted(NOT_ADMINS))
def test_only_an_exact_group_name_grants_a_role(case, alb_key, keys, aws):
    answer = sign_in(alb_token(alb_key, user(NOT_ADMINS[case])), keys, aws)

    assert answer["statusCode"] == 403
    assert "not in a group mapped to an Airflow role" in answer["body"]
    assert aws.credentials_used == []


@pytest.mark.parametrize("claim", [["data team Admin"], "data team Admin", "staff,data team Admin"])
def test_a_group_whose_name_contains_a_mapped_group_gets_its_own_role_only(claim, alb_key, keys, aws):
    aws.expect_sign_in("Viewer")
    mapping = json.dumps({"Admin": "Admin", "data team Admin": "Viewer"})

    answer = sign_in(alb_token(alb_key, user(claim)), keys, aws, GROUP_ROLE_MAPPING=mapping)

    assert answer["statusCode"] == 302


# --- where the browser goes back to --------------------------------------------------------------

CRAFTED_HOSTS = {
    "another host": {"host": ["evil.example.com"]},
    "a longer name": {"host": [f"{HOST}.evil.example.com"]},
    "upper case": {"host": [HOST.upper()]},
    "a port": {"host": [f"{HOST}:8443"]},
    "a header injection": {"host": ["evil.example.com/\r\nX: y"]},
    "two hosts": {"host": [HOST, "evil.example.com"]},
    "no host": {"host": []},
    "a forwarded host": {"x-forwarded-host": ["evil.example.com"]},
}


@pytest.mark.parametrize("case", sorted(CRAFTED_HOSTS))
def test_the_login_redirect_goes_to_the_configured_host_whatever_the_request_says(case, alb_key, keys, aws):
    aws.expect_sign_in("Admin")
    event = alb_event(token=alb_token(alb_key, user(["airflow-admins"])), headers=CRAFTED_HOSTS[case])

    answer = app.handle(event, environ(), resolve_key=keys, aws=aws.clients)

    assert location(answer) == f"https://{HOST}/aws_mwaa/aws-console-sso?login=true#{WEB_TOKEN}"


@pytest.mark.parametrize("case", sorted(CRAFTED_HOSTS))
@pytest.mark.parametrize("logout_url", [None, "https://idp.example.com/logout"])
def test_logout_answers_the_same_whatever_the_request_says(case, logout_url):
    env = environ(**({"LOGOUT_REDIRECT_URL": logout_url} if logout_url else {}))

    crafted = app.handle(alb_event(path="/logout", headers=CRAFTED_HOSTS[case]), env)

    assert crafted == app.handle(alb_event(path="/logout"), env)


@pytest.mark.parametrize("user_name, session", [
    ("alice@example.com", "alice@example.com"),
    ("Jöhn Dœ/ops+airflow@example.com", "J-hn-D--ops+airflow@example.com"),
    ("x" * 80 + "@example.com", "x" * 64),
    ("é", "web-login"),
])
def test_the_sts_session_names_the_user_within_what_sts_allows(user_name, session):
    assert app.session_name(user_name) == session


# --- refusals ------------------------------------------------------------------------------------


REFUSED_TOKENS = {
    "expired": lambda alb, other: alb_token(alb, user(["airflow-admins"]), expires_in=-60),
    "header expired": lambda alb, other: alb_token(alb, user(["airflow-admins"]), expires_in=-60,
                                                   claims_expire=False),
    "tampered": lambda alb, other: tampered(alb_token(alb, user(["airflow-viewers"]))),
    "wrong signer": lambda alb, other: alb_token(alb, user(["airflow-admins"]), signer=OTHER_ALB_ARN),
    "wrong key": lambda alb, other: alb_token(other, user(["airflow-admins"])),
    "unknown key id": lambda alb, other: alb_token(alb, user(["airflow-admins"]), kid="0000-unknown"),
    "not ES256": lambda alb, other: alb_token(alb, user(["airflow-admins"]), alg="HS256"),
    "not a token": lambda alb, other: "not-a-token",
    "junk after the signature": lambda alb, other: alb_token(alb, user(["airflow-admins"])) + "!!!!",
    "missing header": lambda alb, other: None,
}


@pytest.mark.parametrize("case", sorted(REFUSED_TOKENS))
def test_bad_or_missing_tokens_are_refused_before_any_aws_call(case, alb_key, other_key, keys, aws):
    token = REFUSED_TOKENS[case](alb_key, other_key)

    answer = sign_in(token, keys, aws)

    assert answer["statusCode"] == 401
    assert "Location" not in answer["multiValueHeaders"]
    assert "Sign-in failed" in answer["body"]
    assert not token or token.split(".")[0] not in answer["body"]
    assert aws.credentials_used == []


def test_a_key_id_that_is_not_a_plain_token_is_refused_without_asking_for_the_key(alb_key, keys, aws):
    answer = sign_in(alb_token(alb_key, user(["airflow-admins"]), kid="../../evil.example.com/key"), keys, aws)

    assert answer["statusCode"] == 401
    assert keys.asked == []


def test_a_user_in_no_mapped_group_gets_a_page_that_says_so_escaped(alb_key, keys, aws):
    email = "mallory<script>alert(1)</script>@example.com"

    answer = sign_in(alb_token(alb_key, user(["staff", "everyone"], email=email)), keys, aws)

    assert answer["statusCode"] == 403
    assert "not in a group mapped to an Airflow role" in answer["body"]
    assert "mallory&lt;script&gt;alert(1)&lt;/script&gt;@example.com" in answer["body"]
    assert "<script>" not in answer["body"]
    assert 'href="/logout"' in answer["body"]
    assert aws.credentials_used == []


def decisions(caplog) -> list[dict[str, Any]]:
    return [json.loads(record.getMessage()) for record in caplog.records if record.name == "web_login"]


def test_each_decision_is_one_log_line_without_any_token(alb_key, keys, aws, caplog):
    aws.expect_sign_in("Admin")
    token = alb_token(alb_key, user(["airflow-admins"]))

    sign_in(token, keys, aws)

    assert [(d["decision"], d["role"], d["host"]) for d in decisions(caplog)] == [("allowed", "Admin", HOST)]
    assert WEB_TOKEN not in caplog.text and token.split(".")[2] not in caplog.text


def test_an_ambiguous_groups_claim_is_refused_and_the_log_says_why(alb_key, keys, aws, caplog):
    answer = sign_in(alb_token(alb_key, user("[airflow-admins, staff]")), keys, aws)

    assert answer["statusCode"] == 403
    assert [(d["decision"], d["reason"]) for d in decisions(caplog)] == [
        ("refused", "claim groups is in brackets but not a JSON list")]


def test_an_mwaa_error_is_a_502_page(alb_key, keys, aws):
    aws.sts_stub.add_response(
        "assume_role", {"Credentials": CREDENTIALS,
                        "AssumedRoleUser": {"AssumedRoleId": "AROAEXAMPLE:alice", "Arn": "arn:aws:sts::1:assumed-role/x/y"}},
        expected_params={"RoleArn": LOGIN_ROLE_ARNS["Admin"], "RoleSessionName": "alice@example.com",
                         "DurationSeconds": 900})
    aws.mwaa_stub.add_client_error("create_web_login_token", service_error_code="ResourceNotFoundException",
                                   http_status_code=404, expected_params={"Name": ENVIRONMENT})

    answer = sign_in(alb_token(alb_key, user(["airflow-admins"])), keys, aws)

    assert answer["statusCode"] == 502
    assert "ResourceNotFoundException" not in answer["body"]


def test_verify_token_returns_the_claims_of_a_padded_load_balancer_token(alb_key, keys):
    token = alb_token(alb_key, user(["airflow-users"]))

    claims = alb_identity.verify_token(token, alb_arn=ALB_ARN, resolve_key=keys)

    assert all(segment.endswith("=") for segment in token.split("."))
    assert (claims["email"], claims["groups"]) == ("alice@example.com", ["airflow-users"])


# --- logout --------------------------------------------------------------------------------------


def test_logout_expires_every_session_cookie_shard_and_shows_a_signed_out_page():
    answer = app.handle(alb_event(path="/logout"), environ())

    cookies = answer["multiValueHeaders"]["Set-Cookie"]
    assert answer["statusCode"] == 200 and "signed out" in answer["body"]
    assert f'href="https://{HOST}/"' in answer["body"]
    assert [cookie.split("=")[0] for cookie in cookies] == [f"AWSELBAuthSessionCookie-{n}" for n in range(4)]
    for cookie in cookies:
        attributes = {part.strip().split("=")[0] for part in cookie.split(";")}
        assert {"Max-Age", "Expires", "Path", "Secure"} <= attributes
        assert "Max-Age=0" in cookie and "Expires=Thu, 01 Jan 1970" in cookie and "Path=/;" in cookie


def test_logout_goes_on_to_the_configured_url():
    url = "https://idp.example.com/logout?client_id=abc&returnTo=https%3A%2F%2Fairflow.example.com"

    answer = app.handle(alb_event(path="/logout/"), environ(LOGOUT_REDIRECT_URL=url))

    assert (answer["statusCode"], location(answer)) == (302, url)
    assert len(answer["multiValueHeaders"]["Set-Cookie"]) == 4


# --- configuration and plumbing ------------------------------------------------------------------


@pytest.mark.parametrize("changes, variable", [
    ({"GROUP_ROLE_MAPPING": json.dumps({"g": "Superuser"})}, "GROUP_ROLE_MAPPING"),
    ({"GROUP_ROLE_MAPPING": "not json"}, "GROUP_ROLE_MAPPING"),
    ({"LOGIN_ROLE_ARNS": json.dumps({"Admin": "arn:aws:iam::1:role/a"})}, "LOGIN_ROLE_ARNS"),
    ({"AIRFLOW_MAJOR_VERSION": "4"}, "AIRFLOW_MAJOR_VERSION"),
    ({"ALB_ARN": ""}, "ALB_ARN"),
    ({"HOST_NAME": ""}, "HOST_NAME"),
    ({"HOST_NAME": f"{HOST}:443"}, "HOST_NAME"),
    ({"HOST_NAME": f"https://{HOST}"}, "HOST_NAME"),
    ({"HOST_NAME": f"{HOST}/path"}, "HOST_NAME"),
    ({"LOGOUT_REDIRECT_URL": "http://idp.example.com/logout"}, "LOGOUT_REDIRECT_URL"),
])
def test_a_bad_setting_names_its_variable_and_the_user_gets_a_500_page(changes, variable):
    with pytest.raises(app.ConfigurationError, match=variable):
        app.Settings.from_environ(environ(**changes))
    assert app.handle(alb_event(path="/logout"), environ(**changes))["statusCode"] == 500


def test_the_key_url_defaults_to_the_regional_load_balancer_key_service():
    assert app.Settings.from_environ(environ()).keys_url == f"https://public-keys.auth.elb.{REGION}.amazonaws.com"


def test_a_target_group_without_multi_value_headers_gets_an_answer_it_can_read():
    event = {key: value for key, value in alb_event().items() if key != "multiValueHeaders"}
    event["headers"] = {"host": HOST}

    answer = app.handle(event, environ())

    assert answer["statusCode"] == 500
    assert "lambda.multi_value_headers.enabled" in answer["body"]
    assert answer["headers"]["Content-Type"].startswith("text/html")


def test_other_paths_are_not_found():
    assert app.handle(alb_event(path="/admin"), environ())["statusCode"] == 404


def test_the_function_knows_the_same_airflow_roles_as_the_components():
    assert alb_identity.ROLES_BY_PRIVILEGE == naming.AIRFLOW_UI_ROLES


# --- fetching the load balancer's public keys ----------------------------------------------------


@pytest.fixture
def empty_key_cache(monkeypatch):
    monkeypatch.setattr(alb_identity, "_PUBLIC_KEYS", {})


def test_each_public_key_is_fetched_once_over_https_with_a_timeout(alb_key, empty_key_cache):
    fetched = []

    def fetch(url: str, timeout: float) -> bytes:
        fetched.append((url, timeout))
        return pem(alb_key)

    resolve = alb_identity.public_key_resolver("https://public-keys.auth.elb.eu-west-1.amazonaws.com", fetch)
    first, second = resolve(KID), resolve(KID)

    assert first.public_numbers() == alb_key.public_key().public_numbers() == second.public_numbers()
    assert fetched == [(f"https://public-keys.auth.elb.eu-west-1.amazonaws.com/{KID}",
                        alb_identity.KEY_FETCH_TIMEOUT_SECONDS)]


def _http_404(url: str, timeout: float) -> bytes:
    raise urllib.error.HTTPError(url, 404, "Not Found", None, None)


def _unreachable(url: str, timeout: float) -> bytes:
    raise urllib.error.URLError(TimeoutError("timed out"))


@pytest.mark.parametrize("fetch, status", [
    (_http_404, 401),
    (_unreachable, 503),
    (lambda url, timeout: b"-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n", 401),
    (lambda url, timeout: pem(ec.generate_private_key(ec.SECP384R1())), 401),
])
def test_key_fetch_failures_and_keys_that_are_not_p256_are_refused(fetch, status, empty_key_cache):
    with pytest.raises(alb_identity.Refused) as refusal:
        alb_identity.public_key_resolver("https://keys.example.com", fetch)(KID)
    assert refusal.value.status == status
    assert alb_identity._PUBLIC_KEYS == {}


@pytest.mark.parametrize("kid", ["../x", "a/b", "a?b=c", "", "a" * 129, "kid\n"])
def test_key_ids_that_are_not_plain_tokens_never_reach_the_key_url(kid):
    with pytest.raises(alb_identity.Refused):
        alb_identity.key_url("https://keys.example.com", kid)
