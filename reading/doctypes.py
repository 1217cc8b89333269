"""Document type from explicit words only: a title, a leading label, a self-description, a Q&A layout.

Nothing is guessed from topic: a text that never names what it is stays "unknown".
"""
from __future__ import annotations

import re

from .model import UNKNOWN

# (canonical type, pattern naming it); order matters: the more specific names first.
_NAMES: list[tuple[str, str]] = [
    ("Joint submission", r"joint[\s_-]+submission"),
    ("Joint statement", r"joint[\s_-]+statement|សេចក្[ដត]ីថ្លែងការណ៍រួម"),
    ("Statement", r"statement|សេចក្[ដត]ីថ្លែងការណ៍"),
    ("Fact sheet", r"fact[\s-]?sheet"),
    ("Infographic", r"infographic"),
    ("Interview", r"interview"),
    ("Flyer", r"flyer|leaflet|ខិត្តប័ណ្ណ|ប័ណ្ណព័ត៌មាន"),
    ("Press release", r"press[\s-]+release"),
    ("Report", r"report"),
]
# Words that count in a title (a title saying "finds new report" names a report, not itself).
_TITLE_TYPES = {"Joint submission", "Joint statement", "Statement", "Fact sheet", "Infographic", "Flyer"}


def _name_at(text: str, anchored: str) -> str | None:
    for doc_type, pattern in _NAMES:
        if re.search(anchored.format(pattern), text, re.IGNORECASE):
            return doc_type
    return None


def _from_title(title: str) -> str | None:
    for doc_type, pattern in _NAMES:
        if doc_type in _TITLE_TYPES and re.search(rf"(?<![^\W\d_])(?:{pattern})(?![^\W\d_])", title, re.IGNORECASE):
            return doc_type
    return None


def _from_label(paragraphs: list[str]) -> str | None:
    """A leading paragraph that is a label: "Joint Statement", "Statement at the 51st Session ..."."""
    for paragraph in paragraphs[:3]:
        if len(paragraph) > 160:
            continue
        found = _name_at(paragraph, r"^(?:{0})(?:\s*$|\s*:|\s+(?:at|on|by|to|from|of)\b)")
        if found:
            return found
    return None


def _from_self_description(text: str) -> str | None:
    """ "This joint statement is endorsed by", "is releasing an infographic", "ចេញផ្សាយប័ណ្ណព័ត៌មាន"."""
    found = _name_at(text, r"\b(?:this|these)\s+(?:(?:new|present|short)\s+)?(?:{0})s?\b(?!\s+(?:by|from|of)\b)")
    if found:
        # "This report is a joint submission" names the more specific type.
        more = _name_at(text, r"\b(?:this|these)\s+\w+\s+is\s+an?\s+(?:{0})\b")
        return more or found
    found = _name_at(text, r"\breleas(?:ing|es|ed)\s+(?:an?|its|the)\s+(?:new\s+)?(?:{0})\b")
    if found:
        return found
    return _name_at(text, r"ចេញផ្សាយ\s*(?:{0})")


def _is_interview(paragraphs: list[str]) -> bool:
    questions = [p for p in paragraphs if p.rstrip().endswith("?") and len(p) < 250]
    return len(questions) >= 3


def infer_doc_type(title: str, paragraphs: list[str]) -> str:
    """The canonical doc_type named by explicit words in `title` or the body, else "unknown"."""
    return (
        _from_title(title)
        or _from_label(paragraphs)
        or ("Interview" if _is_interview(paragraphs) else None)
        or _from_self_description(" ".join(paragraphs))
        or UNKNOWN
    )
