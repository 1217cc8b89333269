"""The record model: one publication, with its controlled document type and dated provenance."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, fields
from functools import lru_cache

# Controlled vocabulary of document types: canonical English label -> labels per UI language.
DOC_TYPES: dict[str, dict[str, str]] = {
    "Statement": {"en": "Statement", "km": "សេចក្តីថ្លែងការណ៍"},
    "Joint statement": {"en": "Joint statement", "km": "សេចក្តីថ្លែងការណ៍រួម"},
    "Report": {"en": "Report", "km": "របាយការណ៍"},
    "Video": {"en": "Video", "km": "វីដេអូ"},
    "Article": {"en": "Article", "km": "អត្ថបទ"},
    "Fact sheet": {"en": "Fact sheet", "km": "សន្លឹកព័ត៌មាន"},
    "Infographic": {"en": "Infographic", "km": "រូបភាពព័ត៌មាន"},
    "Joint submission": {"en": "Joint submission", "km": "ឯកសារដាក់ជូនរួម"},
    "Interview": {"en": "Interview", "km": "បទសម្ភាសន៍"},
    "Flyer": {"en": "Flyer", "km": "ខិត្តប័ណ្ណ"},
    "Letter": {"en": "Letter", "km": "លិខិត"},
    "Press release": {"en": "Press release", "km": "សេចក្តីប្រកាសព័ត៌មាន"},
    "Submission": {"en": "Submission", "km": "ឯកសារដាក់ជូន"},
}
UNKNOWN = "unknown"
UNKNOWN_LABELS = {"en": "Unknown type", "km": "មិនស្គាល់ប្រភេទ"}

DATE_SOURCES = ("listed", "inferred from text", "unknown", "document metadata")
DATE_PRECISIONS = ("day", "month", "year")


def doc_type_label(doc_type: str, lang: str) -> str:
    """The UI label of a document type in `lang` (`en` or `km`); English for other languages."""
    labels = DOC_TYPES.get(doc_type, UNKNOWN_LABELS if doc_type == UNKNOWN else None)
    if labels is None:
        return doc_type
    return labels.get(lang, labels["en"])


@lru_cache(maxsize=4096)  # a corpus repeats a handful of spellings; this runs once per record
def canonical_doc_type(value: str) -> str | None:
    """The canonical label for `value` (any case, English or Khmer label), or None if not in the vocabulary."""
    wanted = _fold(value)
    if wanted == UNKNOWN:
        return UNKNOWN
    for canonical, labels in DOC_TYPES.items():
        if wanted in (_fold(canonical), _fold(labels["km"])):
            return canonical
    return None


def _fold(text: str) -> str:
    # Khmer subscript DA and TA (U+17D2 U+178A / U+178F) are typed interchangeably in "សេចក្ដី".
    return " ".join(text.split()).casefold().replace("\u17d2\u178a", "\u17d2\u178f")


@dataclass
class Record:
    id: str
    source: str
    organisation: str
    doc_type: str
    title: str
    date: str | None
    date_precision: str | None
    year: int | None
    date_source: str
    language: str
    body: str
    url: str | None = None

    def to_dict(self) -> dict:
        # every field is a scalar, so a shallow dict equals dataclasses.asdict (which deep-copies:
        # two thirds of an incremental update's time at 100,000 records)
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def content_hash(self) -> str:
        """sha256 of every field, so that any change re-indexes the record."""
        payload = json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()
