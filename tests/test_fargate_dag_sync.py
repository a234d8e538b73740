"""The DAG sync sidecar against moto's S3: the local folder mirrors s3://bucket/dags, and nothing else."""

from __future__ import annotations

import boto3
import pytest
from moto import mock_aws

from airflow_aws import dag_sync

BUCKET = "airflow-x-bucket"


@pytest.fixture
def s3(monkeypatch):
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with mock_aws():
        client = boto3.client("s3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
        yield client


def files(folder) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): p.read_text() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_first_pass_copies_the_dag_prefix_only(s3, tmp_path):
    s3.put_object(Bucket=BUCKET, Key="dags/hello.py", Body=b"hello")
    s3.put_object(Bucket=BUCKET, Key="dags/team/etl.py", Body=b"etl")
    s3.put_object(Bucket=BUCKET, Key="dags/", Body=b"")  # a console "folder"
    s3.put_object(Bucket=BUCKET, Key="logs/dag_id=x/attempt=1.log", Body=b"log")
    dag_sync.sync(s3, BUCKET, "dags", tmp_path, {})
    assert files(tmp_path) == {"hello.py": "hello", "team/etl.py": "etl"}


def test_later_passes_update_changed_and_remove_deleted_files(s3, tmp_path):
    s3.put_object(Bucket=BUCKET, Key="dags/hello.py", Body=b"v1")
    s3.put_object(Bucket=BUCKET, Key="dags/team/etl.py", Body=b"etl")
    known = dag_sync.sync(s3, BUCKET, "dags", tmp_path, {})
    s3.put_object(Bucket=BUCKET, Key="dags/hello.py", Body=b"v2")
    s3.delete_object(Bucket=BUCKET, Key="dags/team/etl.py")
    dag_sync.sync(s3, BUCKET, "dags", tmp_path, known)
    assert files(tmp_path) == {"hello.py": "v2"}
    assert not (tmp_path / "team").exists()


def test_unchanged_files_are_not_downloaded_again(s3, tmp_path):
    s3.put_object(Bucket=BUCKET, Key="dags/hello.py", Body=b"v1")
    known = dag_sync.sync(s3, BUCKET, "dags", tmp_path, {})
    downloads = []
    original = s3.download_file
    s3.download_file = lambda *a, **k: (downloads.append(a[1]), original(*a, **k))
    known = dag_sync.sync(s3, BUCKET, "dags", tmp_path, known)
    assert downloads == []
    s3.put_object(Bucket=BUCKET, Key="dags/hello.py", Body=b"v2")
    dag_sync.sync(s3, BUCKET, "dags", tmp_path, known)
    assert downloads == ["dags/hello.py"]


def test_keys_that_would_escape_the_folder_are_skipped(s3, tmp_path):
    folder = tmp_path / "dags"
    folder.mkdir()
    s3.put_object(Bucket=BUCKET, Key="dags/../evil.py", Body=b"evil")
    s3.put_object(Bucket=BUCKET, Key="dags/ok.py", Body=b"ok")
    dag_sync.sync(s3, BUCKET, "dags", folder, {})
    assert files(tmp_path) == {"dags/ok.py": "ok"}
