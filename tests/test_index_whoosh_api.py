"""The classic Whoosh 2.7 API that indexer/ relies on, exercised directly: a whoosh3 upgrade that
changes any of it fails here first (whoosh-reloaded 2.7.5 is the format-compatible fallback)."""
from __future__ import annotations

from whoosh import fields, index, query as Q
from whoosh.analysis import LowercaseFilter, RegexTokenizer


def _index(tmp_path):
    schema = fields.Schema(
        id=fields.ID(unique=True, stored=True),
        body=fields.TEXT(stored=True),
        org=fields.ID(stored=True, sortable=True),
        keys=fields.KEYWORD(lowercase=False, scorable=True),
        vocab=fields.TEXT(analyzer=RegexTokenizer(r"[a-z]+") | LowercaseFilter(), phrase=False),
    )
    ix = index.create_in(str(tmp_path), schema)
    w = ix.writer()
    w.add_document(id="a", body="pre trial detention of the journalist", org="LICADHO", keys="k1 k2",
                   vocab="detention journalist")
    w.add_document(id="b", body="release the journalist now", org="CCHR", keys="k2", vocab="release journalist")
    w.add_document(id="c", body="detention trial", org="CCHR", keys="", vocab="detention trial")
    w.commit()
    return ix


def test_classic_api_used_by_the_indexer(tmp_path):
    ix = _index(tmp_path)
    with ix.searcher() as s:
        # docs_for_query + Phrase + Term + AndNot + Every
        docs = set(s.docs_for_query(Q.Phrase("body", ["trial", "detention"])))
        assert {s.stored_fields(d)["id"] for d in docs} == {"a"}
        docs = set(s.docs_for_query(Q.AndNot(Q.Every(), Q.Term("body", "journalist"))))
        assert {s.stored_fields(d)["id"] for d in docs} == {"c"}
        # search with a docnum-set filter, unlimited, with scores
        ids = {s.stored_fields(d)["id"] for d in docs}
        hits = s.search(Q.Term("body", "detention"), filter=set(docs), limit=None)
        assert [h["id"] for h in hits] == ["c"] and hits[0].score > 0
        # sortable columns readable per docnum
        col = s.reader().column_reader("org")
        assert sorted(col[d] for d in range(s.reader().doc_count_all())) == ["CCHR", "CCHR", "LICADHO"]
        # lexicon, doc_frequency, terms_within (spelling candidates)
        assert b"detention" in set(s.reader().lexicon("vocab"))
        assert s.reader().doc_frequency("vocab", "journalist") == 2
        assert "detention" in {t.decode() if isinstance(t, bytes) else t
                               for t in s.reader().terms_within("vocab", "detension", 1)}
        assert ids == {"c"}
        # TermRange on an ID field
        assert len(set(s.docs_for_query(Q.TermRange("org", "A", "D")))) == 2


def test_update_and_delete_by_unique_id(tmp_path):
    ix = _index(tmp_path)
    w = ix.writer()
    w.update_document(id="a", body="changed text", org="LICADHO", keys="", vocab="changed")
    w.delete_by_term("id", "b")
    w.commit()
    with ix.searcher() as s:
        live = {f["id"]: f["body"] for f in s.all_stored_fields()}
        assert live == {"a": "changed text", "c": "detention trial"}
        reader = s.reader()
        assert reader.has_deletions()
        assert sum(not reader.is_deleted(d) for d in range(reader.doc_count_all())) == 2
