"""Record.to_dict is a shallow dict (fast: incremental updates hash every record); it must stay equal to
dataclasses.asdict, or content hashes would change and every document would be re-indexed."""
from __future__ import annotations

import dataclasses


def test_to_dict_equals_asdict_for_every_real_record(corpus_records):
    assert len(corpus_records) == 73
    for record in corpus_records:
        assert record.to_dict() == dataclasses.asdict(record)
        assert all(not isinstance(v, (list, dict, set, tuple)) for v in record.to_dict().values()), record.id
