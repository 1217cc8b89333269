"""Memoisation bounded in bytes, for caches keyed by text of any length (the query path's analyzers).

`functools.lru_cache(maxsize=N)` bounds a cache by entries; keyed by text, an entry is as large as
its text and what is computed from it, so N distinct 900-character Khmer queries grow a server by
N times tens of kilobytes with no plateau. Two tools replace it:

- `short_text_cache(maxsize, max_chars)`: lru_cache (C speed, for the per-syllable, per-word hot
  path) for texts of at most `max_chars` characters; longer texts are computed and not kept, so
  the cache holds at most `maxsize` entries of bounded size.
- `byte_budget_cache(max_bytes, size_of)`: an LRU whose entries are weighed by `size_of(key, value)`
  and evicted oldest first beyond `max_bytes` (for per-run segmentation, whose inputs are long).
"""
from __future__ import annotations

import functools
import sys
import threading
from collections import OrderedDict, namedtuple

# what functools' cache_info() gives; `maxsize` is the budget in bytes for a byte_budget_cache
CacheInfo = namedtuple("CacheInfo", "hits misses maxsize currsize")


def short_text_cache(maxsize: int, max_chars: int):
    """Decorator: lru_cache(maxsize) for calls whose first argument has at most `max_chars` characters."""

    def decorate(fn):
        cached = functools.lru_cache(maxsize=maxsize)(fn)

        @functools.wraps(fn)
        def call(text, *args):
            if len(text) > max_chars:
                return fn(text, *args)
            return cached(text, *args)

        call.cache_info, call.cache_clear = cached.cache_info, cached.cache_clear
        call.max_chars = max_chars
        return call

    return decorate


class ByteBudgetLRU:
    """A thread-safe LRU mapping bounded by the sum of its entries' weights (bytes)."""

    def __init__(self, max_bytes: int):
        self.max_bytes, self.used = max_bytes, 0
        self.hits = self.misses = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, default=None):
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
                return default
            self._items.move_to_end(key)
            self.hits += 1
            return found[0]

    def put(self, key, value, size: int) -> None:
        if size > self.max_bytes // 8:  # one entry never takes more than an eighth of the cache
            return
        with self._lock:
            if key in self._items:
                return
            self._items[key] = (value, size)
            self.used += size
            while self.used > self.max_bytes and self._items:
                _, (_, old) = self._items.popitem(last=False)
                self.used -= old

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.used = self.hits = self.misses = 0


def byte_budget_cache(max_bytes: int, size_of):
    """Decorator: memoise `fn(*args)` (hashable args) in a ByteBudgetLRU of `max_bytes`, each entry
    weighed by `size_of(args, value)`. `fn.cache` is the LRU (its `used` bytes, `hits`, `misses`)."""

    def decorate(fn):
        cache = ByteBudgetLRU(max_bytes)
        missing = object()

        @functools.wraps(fn)
        def call(*args):
            value = cache.get(args, missing)
            if value is missing:
                value = fn(*args)
                cache.put(args, value, size_of(args, value))
            return value

        call.cache = cache
        call.cache_clear = cache.clear
        call.cache_info = lambda: CacheInfo(cache.hits, cache.misses, max_bytes, len(cache))
        return call

    return decorate


_STR_OVERHEAD = sys.getsizeof("")
_TUPLE_OVERHEAD = sys.getsizeof(())
_INT = sys.getsizeof(1 << 20)
_ENTRY = 200  # the LRU's own per-entry cost: OrderedDict node, the key tuple, the (value, size) pair


def text_bytes(text: str) -> int:
    """An upper estimate of a str's size (Khmer and other non-Latin-1 text: 2 bytes a character)."""
    return _STR_OVERHEAD + (len(text) if text.isascii() else 2 * len(text))


def args_bytes(args) -> int:
    return _ENTRY + sum(text_bytes(a) if isinstance(a, str) else _INT for a in args)


def spans_tuple_bytes(args, value) -> int:
    """Weight of a cached tuple of (text, start, end) triples."""
    return args_bytes(args) + _TUPLE_OVERHEAD + sum(
        _TUPLE_OVERHEAD + 3 * 8 + text_bytes(t) + 2 * _INT for t, _s, _e in value)


def strings_tuple_bytes(args, value) -> int:
    """Weight of a cached tuple of strings."""
    return args_bytes(args) + _TUPLE_OVERHEAD + sum(8 + text_bytes(t) for t in value)
