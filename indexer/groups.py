"""Near-duplicate groups: records that carry the same title and the same summary (the opening of
the body) are one publication listed several times (a video series re-posted each week, a report
announced on several pages). `group_key` names the group; records with different keys are distinct."""
from __future__ import annotations

import hashlib
import re
import unicodedata

SUMMARY_CHARS = 200  # how much of the body's opening counts as its summary
_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip().casefold()


def group_key(title: str, body: str) -> str:
    """16 hex digits, equal for records whose title and summary are equal up to case and spacing."""
    summary = _normal(body)[:SUMMARY_CHARS]
    return hashlib.sha1(f"{_normal(title)}\n{summary}".encode("utf-8")).hexdigest()[:16]
