"""indexer.pickled_lists makes, for many postings at once, the very bytes Whoosh's Positions and
Characters formats encode one posting at a time: checked on every posting and term vector of the
real corpus's body field, and on edge cases (one item, 255/256/65535/65536 boundaries, 256+
memoised tuples, lists longer than pickle's batch)."""
from __future__ import annotations

import numpy as np
from whoosh import formats

from indexer.bulk_analysis import DistinctRunAnalysis
from indexer.pickled_lists import character_values, position_values
from indexer.schema import build_schema


def _flat(lists):
    counts = np.array([len(x) for x in lists], dtype=np.int64)
    return counts, np.array([v for x in lists for v in x], dtype=np.int64)


def test_position_values_are_the_formats_bytes():
    fmt = formats.Positions()
    lists = [[0], [255], [256], [65535], [65536], [3, 70000, 70001], list(range(0, 3000, 3)),
             list(range(1001)), [2**31 - 1], [5, 5 + 255, 5 + 256 + 255, 5 + 256 + 255 + 65536]]
    counts, flat = _flat(lists)
    assert position_values(counts, flat, fmt.encode) == [fmt.encode(x) for x in lists]
    assert position_values(counts[:-2], flat[:counts[:-2].sum()], fmt.encode) == [fmt.encode(x) for x in lists[:-2]]


def test_character_values_are_the_formats_bytes():
    fmt = formats.Characters()
    lists = [[(0, 0, 3)], [(1, 300, 305), (2, 70000, 70010)], [(i, 10 * i, 10 * i + 4) for i in range(300)],
             [(i, 7 * i, 7 * i + 5) for i in range(1001)], [(70000, 2**20, 2**20 + 70000)]]
    counts = np.array([len(x) for x in lists])
    pos, start, end = (np.array([t[k] for x in lists for t in x]) for k in range(3))
    assert character_values(counts, pos, start, end, fmt.encode) == [fmt.encode(x) for x in lists]
    short = counts[[0, 1, 2, 4]]
    keep = [x for i, x in enumerate(lists) if i != 3]
    pos, start, end = (np.array([t[k] for x in keep for t in x]) for k in range(3))
    assert character_values(short, pos, start, end, fmt.encode) == [fmt.encode(x) for x in keep]


def test_every_body_posting_and_vector_of_the_real_corpus(corpus_records):
    schema = build_schema()
    analysis = DistinctRunAnalysis(schema["body"].analyzer)
    pos_fmt, char_fmt = schema["body"].format, schema["body"].vector
    checked = 0
    for record in corpus_records:
        doc = analysis.analyse(record.body or "")
        if not len(doc):
            continue
        order = np.argsort(doc.tids, kind="stable")
        tids = doc.tids[order]
        firsts = np.flatnonzero(np.concatenate(([True], tids[1:] != tids[:-1])))
        counts = np.diff(np.append(firsts, tids.size))
        p, s, e = doc.positions[order], doc.starts[order], doc.ends[order]
        bounds = np.append(firsts, tids.size)
        expected_p = [pos_fmt.encode(p[a:b].tolist()) for a, b in zip(bounds[:-1], bounds[1:])]
        expected_c = [char_fmt.encode(list(zip(p[a:b].tolist(), s[a:b].tolist(), e[a:b].tolist())))
                      for a, b in zip(bounds[:-1], bounds[1:])]
        assert position_values(counts, p, pos_fmt.encode) == expected_p
        assert character_values(counts, p, s, e, char_fmt.encode) == expected_c
        checked += counts.size
    assert checked > 10_000
