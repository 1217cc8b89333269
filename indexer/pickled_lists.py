"""Whoosh's encoded posting values for many postings at once: the bytes `formats.Positions.encode`
and `formats.Characters.encode` give, made with numpy for a whole array of postings.

Both formats write `pack_uint(n)` and then `pickle.dumps(list, 2)` of the position deltas (ints), or
of (position delta, start delta, length) triples. One pickle is a few dozen bytes and costs a
Python call and a loop; a segment has hundreds of postings a document. The pickle of such a list is
fixed by the protocol: PROTO 2, EMPTY_LIST, BINPUT 0, then one item and APPEND, or MARK, the items
and APPENDS; STOP. An int is BININT1 (0..255), BININT2 (..65535) or BININT (4 bytes, signed); a
triple is its three ints, TUPLE3 and BINPUT (the pickler memoises each tuple: ids 1, 2, ...; LONG_BINPUT
from 256). Lists longer than the pickler's batch (1,000 items) are left to the format's own encode,
and tests/test_pickled_lists.py compares every value with it.
"""
from __future__ import annotations

import numpy as np

BATCH = 1000  # pickle's _BATCHSIZE: longer lists are pickled in several APPENDS batches
_HEAD = np.frombuffer(b"\x80\x02]q\x00", dtype=np.uint8)


def _int_sizes(values: np.ndarray) -> np.ndarray:
    """Bytes each int takes in a protocol-2 pickle (opcode included)."""
    return np.where((values >= 0) & (values < 256), 2, np.where((values >= 0) & (values < 65536), 3, 5))


def _put_ints(buf: np.ndarray, at: np.ndarray, values: np.ndarray, sizes: np.ndarray) -> None:
    """Write each int's opcode and bytes at `at` in `buf`."""
    v = values.astype(np.int64)
    one, two, four = sizes == 2, sizes == 3, sizes == 5
    buf[at[one]] = ord("K")
    buf[at[one] + 1] = v[one]
    buf[at[two]] = ord("M")
    buf[at[two] + 1] = v[two] & 0xFF
    buf[at[two] + 2] = v[two] >> 8
    buf[at[four]] = ord("J")
    u = v[four] & 0xFFFFFFFF
    for k in range(4):
        buf[at[four] + 1 + k] = (u >> (8 * k)) & 0xFF


def _assemble(counts: np.ndarray, item_sizes: np.ndarray, write_items) -> tuple[bytes, list[int]]:
    """The encoded values of postings whose lists hold `counts` items of `item_sizes` bytes each:
    (all values concatenated, offsets of each value, one more than the postings). `write_items(buf,
    at)` writes every item at its offset."""
    n = counts.size
    c = counts.astype(np.int64)
    item_start = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(c, out=item_start[1:])
    cs = np.zeros(item_sizes.size + 1, dtype=np.int64)
    np.cumsum(item_sizes, out=cs[1:])
    items_len = cs[item_start[1:]] - cs[item_start[:-1]]
    many = (c > 1).astype(np.int64)
    # per value: uint count (4) + PROTO ] BINPUT 0 (5) + MARK if many + items + APPEND/APPENDS + STOP
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(4 + 5 + many + items_len + 2, out=offsets[1:])
    buf = np.zeros(int(offsets[-1]), dtype=np.uint8)
    starts = offsets[:-1]
    for k in range(4):  # pack_uint: big-endian
        buf[starts + k] = (c >> (8 * (3 - k))) & 0xFF
    for k in range(5):
        buf[starts + 4 + k] = _HEAD[k]
    buf[starts[many == 1] + 9] = ord("(")
    if item_sizes.size:
        owner = np.repeat(np.arange(n), c)
        within = cs[:-1] - cs[item_start[:-1]][owner]  # bytes of the value's items before this one
        write_items(buf, (starts + 9 + many)[owner] + within)
    ends = offsets[1:]
    buf[ends - 2] = np.where(many == 1, ord("e"), ord("a"))
    buf[ends - 1] = ord(".")
    return buf.tobytes(), offsets.tolist()


def position_values(counts: np.ndarray, positions: np.ndarray, encode) -> list[bytes]:
    """`formats.Positions.encode` of each posting: `counts[i]` ascending positions each, flat in
    `positions`; `encode` (the format's) makes the values of lists too long to batch here."""
    counts = np.asarray(counts, dtype=np.int64)
    positions = np.asarray(positions, dtype=np.int64)
    if not counts.size:
        return []
    starts = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=starts[1:])
    deltas = positions.copy()
    if deltas.size:
        deltas[1:] -= positions[:-1]
        firsts = starts[:-1][counts > 0]
        deltas[firsts] = positions[firsts]
    long_lists = counts > BATCH
    if long_lists.any() or (deltas.size and (deltas.min() < -(1 << 31) or deltas.max() >= 1 << 31)):
        return [encode(positions[starts[i]:starts[i + 1]].tolist()) for i in range(counts.size)]
    sizes = _int_sizes(deltas)
    buf, offsets = _assemble(counts, sizes, lambda b, at: _put_ints(b, at, deltas, sizes))
    return [buf[offsets[i]:offsets[i + 1]] for i in range(counts.size)]


def character_values(counts: np.ndarray, positions: np.ndarray, starts_: np.ndarray, ends_: np.ndarray,
                     encode) -> list[bytes]:
    """`formats.Characters.encode` of each posting's (position, start, end) list (`counts[i]` of
    them, flat and ascending); `encode` (the format's) makes the values of lists too long to batch."""
    counts = np.asarray(counts, dtype=np.int64)
    if not counts.size:
        return []
    pos = np.asarray(positions, dtype=np.int64)
    sc = np.asarray(starts_, dtype=np.int64)
    ec = np.asarray(ends_, dtype=np.int64)
    bounds = np.zeros(counts.size + 1, dtype=np.int64)
    np.cumsum(counts, out=bounds[1:])
    # deltas as Characters.encode makes them: position from the previous position, start from the
    # previous end, length
    d_pos, d_start = pos.copy(), sc.copy()
    if pos.size:
        d_pos[1:] -= pos[:-1]
        d_start[1:] -= ec[:-1]
        firsts = bounds[:-1][counts > 0]
        d_pos[firsts], d_start[firsts] = pos[firsts], sc[firsts]
    length = ec - sc
    triples = np.stack([d_pos, d_start, length], axis=1) if pos.size else np.zeros((0, 3), np.int64)
    if (counts > BATCH).any() or (triples.size and (triples.min() < -(1 << 31) or triples.max() >= 1 << 31)):
        return [encode(list(zip(pos[a:b].tolist(), sc[a:b].tolist(), ec[a:b].tolist())))
                for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist())]
    int_sizes = _int_sizes(triples)  # (items, 3)
    memo = np.arange(pos.size, dtype=np.int64) - np.repeat(bounds[:-1], counts) + 1  # BINPUT id per tuple
    memo_sizes = np.where(memo < 256, 2, 5)
    item_sizes = int_sizes.sum(axis=1) + 1 + memo_sizes  # three ints, TUPLE3, BINPUT

    def write(buf, at):
        offset = at
        for k in range(3):
            _put_ints(buf, offset, triples[:, k], int_sizes[:, k])
            offset = offset + int_sizes[:, k]
        buf[offset] = 0x87  # TUPLE3
        short = memo < 256
        buf[offset[short] + 1] = ord("q")
        buf[offset[short] + 2] = memo[short]
        long_ = ~short
        buf[offset[long_] + 1] = ord("r")
        for k in range(4):
            buf[offset[long_] + 2 + k] = (memo[long_] >> (8 * k)) & 0xFF

    buf, offsets = _assemble(counts, item_sizes, write)
    return [buf[offsets[i]:offsets[i + 1]] for i in range(counts.size)]
