"""Candidate lexicon entries from the corpus: frequent English terms and capitalised names that no
entry covers yet (compared by stem, as queries are), for a person to add the Khmer forms."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from lexicon.expand import english_key
from lexicon.model import Entry

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_NAME = re.compile(r"\b(?:[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?:\s+[A-Z][a-z]+(?:-[A-Z][a-z]+)?){1,2}\b")
# Words that start capitalised phrases without being part of a name.
_NOT_NAME_START = {"The", "This", "These", "That", "In", "On", "At", "As", "By", "For", "From", "Of", "To",
                   "We", "When", "While", "After", "Since", "During", "Under", "And", "But", "Last", "If",
                   "It", "Its", "Our", "Read", "More", "Mr", "Mrs", "Ms", "Dr"}
# Function words (beyond Whoosh's short stop list) that never make a lexicon term on their own.
_FUNCTION_WORDS = set("""
about above after again all also although among any are because been before being below between both
but can could did does doing down during each even ever every few further had has have having her here
hers him his how however into its itself just last least less many may might more most much must near
new not now off once only other others our out over own per same she should since some still such than
their them then there these they those though through too under until upon very was were what when
where whether which while who whom whose why will with within without would yet you your one two three
said says say made make including include includes well since day days year years time times
""".split())
_TITLES = {"Prime", "Minister", "President", "Deputy", "Judge", "Investigating", "General", "Lieutenant",
           "Colonel", "Director", "Executive", "Senior", "Head", "Secretary", "Vice"}
_GENERIC_CAPITALISED = {"January", "February", "March", "April", "May", "June", "July", "August",
                        "September", "October", "November", "December", "Monday", "Tuesday",
                        "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


@dataclass(frozen=True)
class Candidate:
    text: str
    kind: str           # "name" (capitalised phrase) or "term"
    documents: int      # how many records hold it
    occurrences: int
    example_id: str

    def line(self) -> str:
        return f"{self.kind}\t{self.text}\t{self.documents}\t{self.occurrences}\t{self.example_id}"


def suggest(records, entries: tuple[Entry, ...], *, min_documents: int = 2, limit: int = 50) -> list[Candidate]:
    """Candidates from the English text of `records` (Record objects) not covered by `entries`."""
    from analyzers.stopwords import ENGLISH_STOP_WORDS

    covered = {english_key(f) for e in entries for f in e.english}
    covered_words = {w for key in covered if len(key) > 1 for w in key}
    stop = set(ENGLISH_STOP_WORDS) | _FUNCTION_WORDS
    docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    counts: Counter = Counter()
    surface: dict[tuple[str, str], Counter] = defaultdict(Counter)

    for record in records:
        text = f"{record.title}\n{record.body}"
        for m in _NAME.finditer(text):
            words = m.group().split()
            while words and (words[0] in _NOT_NAME_START or words[0] in _TITLES):
                words = words[1:]
            words = [w for w in words if w not in _GENERIC_CAPITALISED]
            if len(words) < 2:
                continue
            phrase = " ".join(words)
            key = ("name", " ".join(english_key(phrase)))
            if english_key(phrase) in covered or set(english_key(phrase)) <= covered_words:
                continue
            docs[key].add(record.id)
            counts[key] += 1
            surface[key][phrase] += 1
        words = [w.casefold() for w in _WORD.findall(text)]
        for n in (1, 2, 3):
            for i in range(len(words) - n + 1):
                gram = words[i:i + n]
                if gram[0] in stop or gram[-1] in stop or len(gram[-1]) < 3:
                    continue
                phrase = " ".join(gram)
                stem = english_key(phrase)
                if stem in covered or set(stem) <= covered_words:
                    continue
                key = ("term", " ".join(stem))
                docs[key].add(record.id)
                counts[key] += 1
                surface[key][phrase] += 1

    out = []
    for key, ids in docs.items():
        if len(ids) < min_documents:
            continue
        text = surface[key].most_common(1)[0][0]
        out.append(Candidate(text, key[0], len(ids), counts[key], sorted(ids)[0]))
    out.sort(key=lambda c: (-c.documents, -c.occurrences, c.text))
    names = [c for c in out if c.kind == "name"][:limit]
    terms = [c for c in out if c.kind == "term"][:limit]
    return names + terms
