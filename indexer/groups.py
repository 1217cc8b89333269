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


_CUT = re.compile(r"[ \t\n]")  # ASCII whitespace: never joined by NFC to what stands before it


def _summary(body: str) -> str:
    """`_normal(body)[:SUMMARY_CHARS]` without normalising the whole of a long body: the body cut
    before an ASCII whitespace normalises to a prefix of what the whole body does (NFC never
    composes across such a character, spacing collapses and case folds character by character), so
    once that prefix is SUMMARY_CHARS long it is the summary."""
    body = body or ""
    reach = 2 * SUMMARY_CHARS
    while reach < len(body):
        cut = _CUT.search(body, reach)
        if cut is None:
            break
        prefix = _normal(body[:cut.start()])
        if len(prefix) >= SUMMARY_CHARS:
            return prefix[:SUMMARY_CHARS]
        reach *= 4
    return _normal(body)[:SUMMARY_CHARS]


def group_key(title: str, body: str) -> str:
    """16 hex digits, equal for records whose title and summary are equal up to case and spacing."""
    summary = _summary(body)
    return hashlib.sha1(f"{_normal(title)}\n{summary}".encode("utf-8")).hexdigest()[:16]
