"""analyzers.scripts.word_parts: the one-piece fast path (no hyphen, no invisible character) gives
the same parts as cutting at hyphens, on every word of the real corpus."""
from __future__ import annotations

from analyzers.scripts import WordPart, _classify, ascii_number, runs, word_parts


def _cut_at_hyphens(text, start, end):
    """The general rule, written out: pieces between hyphens, invisible characters removed."""
    import re

    from analyzers.khmer import INVISIBLE

    parts, piece_start = [], start
    cuts = [m.start() for m in re.finditer("[-\u2010\u2011]", text[start:end])]
    for cut in [start + c for c in cuts] + [end]:
        piece = re.sub(f"[{INVISIBLE}]", "", text[piece_start:cut])
        script = _classify(piece)
        parts.append(WordPart(ascii_number(piece) if script == "number" else piece, piece_start, cut, script))
        piece_start = cut + 1
    return parts


def test_word_parts_match_the_hyphen_rule_on_the_real_corpus(corpus_records):
    edge = "non-custodial pre\u2011trial co\u00adop x\u200dy 1,000-2,000 e-mail's Ａ-Ｂ"
    words = 0
    for text in [edge] + [t for r in corpus_records for t in (r.title, r.body)]:
        for kind, start, end in runs(text):
            if kind == "word":
                words += 1
                assert word_parts(text, start, end) == _cut_at_hyphens(text, start, end), text[start:end]
    assert words > 10_000
    assert [p.text for p in word_parts(edge, 0, 13)] == ["non", "custodial"]
    soft = edge.index("co\u00adop")
    assert [p.text for p in word_parts(edge, soft, soft + 5)] == ["coop"]
