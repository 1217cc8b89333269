"""Suggestions while typing (/api/suggest): completions of what is typed from the index's own
titles and the lexicon's names and vocabulary (English and Khmer forms).

A prefix table per index generation, built on the first request: every word start of every
candidate (at most KEY_CHARS characters from it), casefolded and sorted, so a lookup is two
binary searches and a short walk. Titles beyond MAX_TITLES (the newest are kept) are left out to
bound memory on very large indexes."""
from __future__ import annotations

import bisect
import re
import threading
import time

from flask import Blueprint, jsonify, request

from lexicon.khmer_text import normalize
from webui.searching import service

MAX_SUGGESTIONS = 8
MAX_TITLES = 20_000
KEY_CHARS = 24
MIN_CHARS = 2
KIND_ORDER = {"name": 0, "term": 1, "title": 2}
_WORD_START = re.compile(r"(?:^|(?<=[\s(\"“‘'/–-]))\S")

suggest = Blueprint("suggest", __name__)
_lock = threading.Lock()
_tables: dict[str, "PrefixTable"] = {}


def _fold(text: str) -> str:
    return " ".join(normalize(text).casefold().split())


class PrefixTable:
    def __init__(self, candidates):
        """`candidates`: (text, kind) pairs; kind is name, term or title."""
        seen: dict[str, tuple[str, str]] = {}
        for text, kind in candidates:
            text = " ".join((text or "").split())
            if len(text) >= MIN_CHARS:
                key = _fold(text)
                if key not in seen or KIND_ORDER[kind] < KIND_ORDER[seen[key][1]]:
                    seen[key] = (text, kind)
        self.items = list(seen.values())
        keys = []
        for n, (text, _kind) in enumerate(self.items):
            folded = _fold(text)
            for m in _WORD_START.finditer(folded):
                keys.append((folded[m.start():m.start() + KEY_CHARS], m.start() == 0, n))
        keys.sort()
        self.keys = [k[0] for k in keys]
        self.refs = [(k[1], k[2]) for k in keys]

    def lookup(self, typed: str, limit: int = MAX_SUGGESTIONS) -> list[dict]:
        prefix = _fold(typed)[:KEY_CHARS]
        if len(prefix) < MIN_CHARS:
            return []
        lo = bisect.bisect_left(self.keys, prefix)
        hi = bisect.bisect_left(self.keys, prefix + "\U0010ffff", lo)
        best: dict[int, tuple] = {}
        for i in range(lo, min(hi, lo + 2000)):
            at_start, n = self.refs[i]
            text, kind = self.items[n]
            rank = (not at_start, KIND_ORDER[kind], len(text), text)
            if n not in best or rank < best[n]:
                best[n] = rank
        ordered = sorted(best.items(), key=lambda kv: kv[1])[:limit]
        return [{"text": self.items[n][0], "kind": self.items[n][1],
                 "lang": "km" if re.search("[\u1780-\u17ff]", self.items[n][0]) else "en"}
                for n, _rank in ordered]


def _candidates(svc):
    from lexicon.loader import shipped_entries

    for entry in shipped_entries():
        kind = "term" if entry.kind == "term" else "name"
        for form in (*entry.english, *entry.khmer):
            yield form, kind
    browse = svc.search(q="", sort="date", per_page=100)
    total, page = browse["total"], 1
    while True:
        for hit in browse["results"]:
            if hit.get("title"):
                yield hit["title"], "title"
        if page * 100 >= min(total, MAX_TITLES):
            return
        page += 1
        browse = svc.search(q="", sort="date", per_page=100, page=page)


def table_for(svc) -> PrefixTable:
    """The prefix table of the service's current index generation (built once per generation)."""
    from indexer import layout

    key = str(layout.require_current(svc.root)) if getattr(svc, "root", None) else str(id(svc))
    table = _tables.get(key)
    if table is None:
        with _lock:
            table = _tables.get(key)
            if table is None:
                table = PrefixTable(_candidates(svc))
                _tables.clear()  # one generation at a time
                _tables[key] = table
    return table


@suggest.get("/api/suggest")
def suggestions():
    typed = request.args.get("q", "")[:200]
    started = time.perf_counter()
    found = table_for(service()).lookup(typed)
    elapsed = (time.perf_counter() - started) * 1000
    response = jsonify({"query": typed, "suggestions": found})
    response.headers["Server-Timing"] = f"suggest;dur={elapsed:.1f}"
    return response
