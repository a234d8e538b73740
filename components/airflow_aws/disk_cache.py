"""The project's cache on disk: where it lives, and how an entry appears in it whole or not at all.

Lambda dependencies, MWAA image sites, constraints files, botocore shapes and parliament findings are
cached under one folder so CI can keep it between runs. Entries are built beside their final place and
renamed into it: a process that stops halfway leaves no entry a later run would trust.
"""

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterator


def cache_dir(*parts: str) -> Path:
    """`$XDG_CACHE_HOME/airflow-aws/<parts>`, by default under `~/.cache`."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache", "airflow-aws", *parts)


@contextlib.contextmanager
def staged_folder(final: Path) -> Iterator[Path]:
    """A fresh folder beside `final` to build it in; it becomes `final` when the block ends without an error.

    If another process finished the same entry first, theirs is kept and this build is dropped.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{final.name}-", dir=final.parent))
    try:
        yield staging
        try:
            staging.rename(final)
        except OSError:
            if not final.exists():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def write_json(path: Path, data: Any, **dump_options: Any) -> None:
    """Replace `path` with `data` as JSON in one step; a read-only cache only costs the next run the work again."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp") as file:
            json.dump(data, file, **dump_options)
        os.replace(file.name, path)
    except OSError:
        pass
