"""Real Khmer sentences for synthetic documents: the khPOS dev sentences (spaces removed) and the
Khmer text of the CCHR source file. The khPOS data is CC BY-NC-SA: it is read at run time from
../shared (beside the project) and only ever written into generated corpora under var/ or /tmp, never into the repo."""
from __future__ import annotations

import os
import random
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

# The gold data lives in ../shared/khmer-seg beside the project checkout ($BAYON_KHMER_SEG_DIR overrides).
KHMER_SEG_DIR = Path(os.environ.get("BAYON_KHMER_SEG_DIR", Path(__file__).resolve().parents[2] / "shared" / "khmer-seg"))
DEFAULT_GOLD_SENTENCES = KHMER_SEG_DIR / "dev.txt"
KHMER_CHAR = re.compile(r"[\u1780-\u17FF]")


@dataclass(frozen=True)
class KhmerSentence:
    text: str
    words: tuple[str, ...]  # gold words when known (khPOS), else empty


def gold_sentences(path: Path = DEFAULT_GOLD_SENTENCES) -> list[KhmerSentence]:
    """khPOS sentences with their word boundaries removed (the gold words are kept for query vocabulary)."""
    if not path.is_file():
        raise FileNotFoundError(f"Khmer sentence file not found: {path} (see ../shared/khmer-seg/README.md)")
    sentences = []
    for line in path.read_text(encoding="utf-8").splitlines():
        words = tuple(w for w in line.split(" ") if w)
        if words:
            sentences.append(KhmerSentence("".join(words), words))
    return sentences


def source_sentences(sources_dir: Path) -> list[KhmerSentence]:
    """Khmer sentences (split at ។) of the source files that contain Khmer text."""
    texts: dict[str, None] = {}  # ordered and without duplicates (titles repeat in listings)
    for path in sorted(sources_dir.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if not KHMER_CHAR.search(line):
                continue
            for part in re.split(r"(?<=។)\s*", line.strip().lstrip("•").strip()):
                if len(KHMER_CHAR.findall(part)) >= 10:
                    texts[part.strip()] = None
    return [KhmerSentence(text, ()) for text in texts]


def estimated_words(sentence: KhmerSentence) -> int:
    """Word count: the gold count when known, else about 4.6 Khmer characters a word (khPOS average)."""
    return len(sentence.words) or max(1, round(len(KHMER_CHAR.findall(sentence.text)) / 4.6))


class KhmerProse:
    """Khmer documents assembled from real sentences drawn at random (seeded)."""

    def __init__(self, sentences: list[KhmerSentence]):
        if not sentences:
            raise ValueError("no Khmer sentences")
        self.sentences = sentences
        self.word_counts: Counter[str] = Counter()  # gold words of every sentence drawn so far
        self.last_words: list[str] = []  # gold words of the last paragraphs() call
        self._drawn: dict[int, None] = {}  # indexes of the sentences used so far, in first-use order

    def paragraphs(self, rng: random.Random, target_words: int) -> list[str]:
        paragraphs: list[str] = []
        total = 0
        self.last_words = []
        while total < target_words:
            chosen = []
            for _ in range(rng.randint(3, 8)):
                index = int(rng.random() * len(self.sentences))
                sentence = self.sentences[index]
                self._drawn[index] = None
                chosen.append(sentence.text)
                self.word_counts.update(sentence.words)
                self.last_words.extend(sentence.words)
                total += estimated_words(sentence)
                if total >= target_words:
                    break
            paragraphs.append(" ".join(chosen))
        return paragraphs

    def drawn_sentences(self) -> list[KhmerSentence]:
        """The sentences that paragraphs() has put into documents so far."""
        return [self.sentences[index] for index in self._drawn]

    def title(self, rng: random.Random) -> str:
        """A short real sentence (at most 12 words) used as a title."""
        for _ in range(100):
            sentence = self.sentences[int(rng.random() * len(self.sentences))]
            if 3 <= estimated_words(sentence) <= 12:
                return sentence.text.rstrip("។ ")
        return self.sentences[0].text[:60]
