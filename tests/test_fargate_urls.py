"""Connection URLs survive any password (seed 004's Celery crash) and the Fernet key is what Fernet accepts.

The URLs are parsed back with the parsers Airflow and Celery use: SQLAlchemy's make_url for
`sql_alchemy_conn` and the result backend, kombu's URL parser for the broker (and for the
result backend, which Celery sanitizes with kombu before printing its banner).
"""

from __future__ import annotations

import base64
import ssl
import string
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from hypothesis import example, given, settings, strategies as st
from kombu.utils.url import maybe_sanitize_url, parse_url, url_to_parts
from sqlalchemy.engine import make_url

from airflow_aws import airflow_settings as airflow

HOST = "fargate-database.cluster-c0123456789a.eu-west-1.rds.amazonaws.com"
BROKER = "master.fargate-broker.abc123.euw1.cache.amazonaws.com"
printable_ascii = st.text(alphabet=string.printable, min_size=1, max_size=64)
any_printable = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=64)
passwords = printable_ascii | any_printable
# Seed 004 and the issues the reference lists: "?" (apache/airflow#43150), "#" (celery#3327),
# "/" (celery#5532), "%" (alembic), ":" and "@" that split the netloc.
NASTY = "k:/@?#%[]! $&'()*+,;=\"\\`{|}~^<>\t"


@settings(max_examples=400, deadline=None)
@given(passwords)
@example(NASTY)
@example(string.printable)
def test_database_url_parses_back_to_the_password(password):
    url = make_url(airflow.database_url(password, HOST))
    assert (url.drivername, url.username, url.password, url.host, url.port, url.database) == (
        "postgresql+psycopg2", "airflow", password, HOST, 5432, "airflow")


@settings(max_examples=400, deadline=None)
@given(passwords)
@example(NASTY)
@example(string.printable)
def test_result_backend_parses_back_with_sqlalchemy_and_kombu(password):
    backend = airflow.result_backend_url(password, HOST)
    scheme, _, rest = backend.partition("+")
    assert scheme == "db"  # Celery picks its database backend by this prefix and hands SQLAlchemy the rest
    url = make_url(rest)
    assert (url.password, url.host, url.port, url.database) == (password, HOST, 5432, "airflow")
    parts = url_to_parts(backend)
    assert (parts.password, parts.hostname, parts.port) == (password, HOST, 5432)
    # Seed 004 crashed right here, in the banner Celery prints at start.
    assert maybe_sanitize_url(backend) == f"db+postgresql://airflow:**@{HOST}:5432/airflow"


@settings(max_examples=400, deadline=None)
@given(passwords)
@example(NASTY)
@example(string.printable)
def test_broker_url_parses_back_with_kombu(token):
    url = airflow.broker_url(token, BROKER)
    parsed = parse_url(url)
    assert (parsed["transport"], parsed["hostname"], parsed["port"], parsed["password"], parsed["virtual_host"]) == (
        "rediss", BROKER, 6379, token, "0")
    assert parsed["ssl"] == {"ssl_cert_reqs": ssl.CERT_REQUIRED}


def test_unencoded_passwords_are_what_broke_seed_004():
    """The property above is not vacuous: the same password put into the URL raw is misread."""
    raw = f"postgresql+psycopg2://airflow:{NASTY}@{HOST}:5432/airflow"
    try:
        misread = make_url(raw).password
    except Exception:  # the parsers refuse it outright, which is the other way to break
        misread = None
    assert misread != NASTY
    assert urlsplit(airflow.database_url(NASTY, HOST)).hostname == HOST


@given(st.binary(min_size=32, max_size=32))
@example(b"\xfb\xff" * 16)  # standard base64 of these bytes is full of "+" and "/"
def test_fernet_key_from_random_bytes_is_a_valid_fernet_key(raw):
    key = airflow.fernet_key(base64.b64encode(raw).decode())
    assert len(key) == 44 and not set(key) & set("+/")
    assert base64.urlsafe_b64decode(key) == raw
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"connection")) == b"connection"


def test_fernet_key_refuses_a_length_fernet_cannot_use():
    try:
        airflow.fernet_key(base64.b64encode(b"x" * 16).decode())
    except ValueError as error:
        assert "32 bytes" in str(error)
    else:
        raise AssertionError("a 16-byte key was accepted")


def test_generated_passwords_only_use_characters_aws_accepts():
    """RDS refuses / " @ and space; ElastiCache AUTH allows only !&#$^<>- besides letters and digits."""
    assert not set(airflow.DATABASE_PASSWORD_SPECIALS) & set('/"@ ')
    assert set(airflow.DATABASE_PASSWORD_SPECIALS) <= set(string.punctuation)
    assert set(airflow.BROKER_TOKEN_SPECIALS) == set("!&#$^<>-")
