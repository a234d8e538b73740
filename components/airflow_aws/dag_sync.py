"""The DAG sync sidecar: mirror s3://$DAGS_BUCKET/$DAGS_PREFIX/ into $DAGS_FOLDER every $SYNC_INTERVAL_SECONDS.

Runs inside the Airflow image as `python -c <this file>`, so it imports nothing but the
standard library and boto3. Files are written to a temporary name and renamed into place, so
a parser never reads half a DAG; files gone from the bucket are removed. After the first
complete pass it creates $DAGS_SYNCED_MARKER, which the task's health check waits for.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path


def sync(client, bucket: str, prefix: str, folder: Path, known: dict[str, str]) -> dict[str, str]:
    """One pass; `known` maps relative paths to the ETags already downloaded. Returns the new map."""
    root = folder.resolve()
    listed: dict[str, str] = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/"):
        for item in page.get("Contents", []):
            relative = item["Key"][len(prefix) + 1:]
            target = (root / relative).resolve()
            # Folder markers and keys that would land outside the DAG folder ("../") are skipped.
            if not relative or relative.endswith("/") or root not in target.parents:
                continue
            listed[relative] = item["ETag"]
            if known.get(relative) == item["ETag"] and target.is_file():
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            client.download_file(bucket, item["Key"], str(partial))
            os.replace(partial, target)
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file() and path.relative_to(root).as_posix() not in listed:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return listed


def main() -> None:
    import boto3

    client = boto3.client("s3")
    bucket, prefix = os.environ["DAGS_BUCKET"], os.environ["DAGS_PREFIX"]
    folder, marker = Path(os.environ["DAGS_FOLDER"]), Path(os.environ["DAGS_SYNCED_MARKER"])
    interval = int(os.environ.get("SYNC_INTERVAL_SECONDS", "30"))
    known: dict[str, str] = {}
    while True:
        try:
            known = sync(client, bucket, prefix, folder, known)
            marker.touch()
        except Exception as error:  # keep the last good copy and try again next round
            print(f"DAG sync from s3://{bucket}/{prefix}/ failed: {error!r}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()
