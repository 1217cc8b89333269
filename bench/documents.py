"""Synthetic bilingual documents in the JSON Lines record format of corpus/documents/."""
from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterator

from bench.english_text import MarkovProse
from bench.khmer_text import KhmerProse

# Organisations publishing on Cambodia, with a skewed share of the archive each.
ORGANISATIONS = (
    ("LICADHO", 30), ("CCHR", 22), ("CIVICUS", 12), ("ADHOC", 10), ("Amnesty International", 8),
    ("Human Rights Watch", 7), ("CENTRAL", 5), ("Equitable Cambodia", 4), ("Transparency International Cambodia", 2),
)
FALLBACK_DOC_TYPES = ("Report", "Statement", "Video", "Article", "Fact sheet", "Infographic", "Flyer", "Press release")
FIRST_YEAR, LAST_YEAR = 2005, 2025
MIXED_SAMPLES = 2000
ENGLISH_WORD = re.compile(r"[A-Za-z][a-z]{2,}")


def doc_types() -> tuple[str, ...]:
    """The canonical doc_type labels of reading.model when that module exists, else the listing types of the sources."""
    try:
        from reading.model import DOC_TYPES
    except ImportError:
        return FALLBACK_DOC_TYPES
    return tuple(DOC_TYPES)


@dataclass
class DocumentFactory:
    """Deterministic stream of documents; counts the English words it writes (for the query set)."""

    english: MarkovProse
    khmer: KhmerProse
    seed: int
    khmer_share: float = 0.3
    mixed_share: float = 0.05
    english_counts: Counter = field(default_factory=Counter)
    mixed_samples: list = field(default_factory=list)  # (English words, Khmer words) of the first mixed documents

    def __post_init__(self) -> None:
        if not 0 <= self.khmer_share <= 1 or not 0 <= self.mixed_share <= 1 - self.khmer_share:
            raise ValueError("need 0 <= khmer_share and 0 <= mixed_share with khmer_share + mixed_share <= 1")
        self.doc_types = doc_types()
        self._organisations = [name for name, _ in ORGANISATIONS]
        self._organisation_weights = [weight for _, weight in ORGANISATIONS]
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        self._years = list(years)
        self._year_weights = [1 + 0.15 * (year - FIRST_YEAR) for year in years]  # more recent publications online

    def documents(self, count: int, first_number: int = 1, stream: str = "") -> Iterator[dict]:
        for number in range(first_number, first_number + count):
            rng = random.Random(f"{self.seed}:{stream}:{number}")  # one stream per document: stable across sizes
            yield self.document(rng, f"bench-{stream}{number:07d}")

    def document(self, rng: random.Random, doc_id: str) -> dict:
        target_words = int(min(3000, max(50, rng.lognormvariate(math.log(280), 0.5))))
        draw = rng.random()
        if draw < self.khmer_share:
            language, title = "km", self.khmer.title(rng)
            paragraphs = self.khmer.paragraphs(rng, target_words)
        elif draw < self.khmer_share + self.mixed_share:
            language = "mixed"
            title = f"{self.english.title(rng)} / {self.khmer.title(rng)}"
            english = self.english.paragraphs(rng, target_words // 2)
            paragraphs = english + self.khmer.paragraphs(rng, target_words // 2)
            if len(self.mixed_samples) < MIXED_SAMPLES:
                words = [w.lower() for w in ENGLISH_WORD.findall(" ".join(english))]
                self.mixed_samples.append((words, list(self.khmer.last_words)))
        else:
            language, title = "en", self.english.title(rng)
            paragraphs = self.english.paragraphs(rng, target_words)
        body = "\n\n".join(paragraphs)
        if language != "km":
            self.english_counts.update(word.lower() for word in ENGLISH_WORD.findall(body))
        organisation = rng.choices(self._organisations, self._organisation_weights)[0]
        year = rng.choices(self._years, self._year_weights)[0]
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        return {
            "id": doc_id,
            "title": title,
            "organisation": organisation,
            "doc_type": rng.choice(self.doc_types),
            "date": day.isoformat(),
            "language": language,
            "url": f"https://bench.invalid/{organisation.lower().replace(' ', '-')}/{doc_id}",
            "body": body,
        }
