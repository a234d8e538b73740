"""Content hashes of the files and folders a plan uploads, so the preview sees an edited file under the same path."""

import hashlib
from pathlib import Path


def content_hash(path: str) -> str:
    """SHA-256 of a file, or of a folder's files with their relative paths (sorted); `missing` when nothing is there."""
    root = Path(path)
    digest = hashlib.sha256()
    if root.is_file():
        digest.update(root.read_bytes())
    elif root.is_dir():
        for file in sorted(p for p in root.rglob("*") if p.is_file()):
            digest.update(file.relative_to(root).as_posix().encode() + b"\0" + file.read_bytes())
    else:
        return "missing"
    return digest.hexdigest()
