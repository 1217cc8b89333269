"""Extraction results kept by file content, so an unchanged file is never extracted (above all
never OCR'd) again.

Key: the sha256 of the file's bytes (`file_digest`). Value: the `Extracted` as JSON, one file per
digest under `<root>/<first 2 hex>/<digest>.json`. The root is `$BAYON_EXTRACT_CACHE` when set,
else `var/extract-cache/` of the project (`default_cache_root`). Entries carry a format version:
an entry written by an older extractor (`EXTRACTOR_VERSION`) is a miss, so improving the
extraction re-extracts. Writes go to a temporary file renamed into place, so a crash or two
processes writing the same digest never leave a half-written entry; a corrupt entry is a miss.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from pathlib import Path

from reading.extract.model import Extracted

# Bump when a change to the extraction should make cached results stale.
EXTRACTOR_VERSION = 2

_CHUNK = 1 << 20


def file_digest(path: str | os.PathLike) -> str:
    """sha256 hex digest of the file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def default_cache_root() -> Path:
    env = os.environ.get("BAYON_EXTRACT_CACHE")
    if env:
        return Path(env)
    # reading/extract/cache.py -> project root is three levels up.
    return Path(__file__).resolve().parents[2] / "var" / "extract-cache"


def _to_json(result: Extracted) -> dict:
    d = asdict(result)
    d["metadata"] = {k: list(v) for k, v in result.metadata.items()}
    return d


def _from_json(d: dict) -> Extracted:
    return Extracted(
        paragraphs=[str(p) for p in d["paragraphs"]],
        metadata={k: (str(v[0]), str(v[1])) for k, v in d.get("metadata", {}).items()},
        warnings=[str(w) for w in d.get("warnings", [])],
        pages=int(d.get("pages", 0)),
        ocr_pages=int(d.get("ocr_pages", 0)),
        method=str(d.get("method", "")),
    )


class ExtractionCache:
    """`get(digest) -> Extracted | None`, `put(digest, Extracted)`."""

    def __init__(self, root: str | os.PathLike | None = None, *, version: int = EXTRACTOR_VERSION):
        self.root = Path(root) if root is not None else default_cache_root()
        self.version = version

    def _path(self, digest: str) -> Path:
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise ValueError(f"not a sha256 hex digest: {digest!r}")
        return self.root / digest[:2] / f"{digest}.json"

    def get(self, digest: str) -> Extracted | None:
        path = self._path(digest)
        try:
            with open(path, encoding="utf-8") as f:
                d = json.load(f)
            if d.get("version") != self.version:
                return None
            return _from_json(d["result"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # corrupt or foreign entry: extract again, put() overwrites it

    def put(self, digest: str, result: Extracted) -> None:
        path = self._path(digest)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"version": self.version, "digest": digest, "result": _to_json(result)}
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(payload, f, ensure_ascii=False)
            os.replace(tmp, path)
        except BaseException:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise
