"""khmercut's CRF model (same weights, same output) with faster feature extraction.

khmercut builds one dict per syllable and lets python-crfsuite convert it; this module builds
the equivalent attribute strings directly ("kcc:X", "ns", ...), which python-crfsuite tags
without conversion. Output is identical to khmercut.tokenize (checked by the tests)."""
from __future__ import annotations

import threading

from analyzers.cache import short_text_cache


def available() -> bool:
    try:
        import khmercut  # noqa: F401
        import pycrfsuite  # noqa: F401
    except ImportError:
        return False
    return True


_local = threading.local()


def _tagger():
    """This thread's CRF tagger: a pycrfsuite Tagger is not safe to share between threads (a
    concurrent `tag` fails with "The tagger is not opened")."""
    tagger = getattr(_local, "tagger", None)
    if tagger is None:
        import khmercut
        from pycrfsuite import Tagger

        tagger = Tagger()  # khmercut.load() would return its one shared tagger
        tagger.open(khmercut.model_path)
        _local.tagger = tagger
    return tagger


@short_text_cache(maxsize=50_000, max_chars=16)
def _describe(kcc: str) -> tuple[str, bool]:
    """(type, no-space flag) of one khmercut syllable, as khmercut computes them."""
    from khmercut import is_no_space, kcc_type

    return kcc_type(kcc), is_no_space(kcc)


def _attributes(kccs: list[str]) -> list[list[str]]:
    kinds = [_describe(k) for k in kccs]
    n = len(kccs)
    items = []
    for i in range(n):
        k = kccs[i]
        t, ns = kinds[i]
        a = ["kcc:" + k, "t:" + t]
        if ns:
            a.append("ns")
        if i >= 1:
            p1 = kccs[i - 1]
            a += ["kcc[-1]:" + p1, "kcc[-1]t:" + kinds[i - 1][0], "kcc[-1:0]:" + p1 + k]
            if kinds[i - 1][1]:
                a.append("ns-1")
        else:
            a.append("BOS")
        if i >= 2:
            p2 = kccs[i - 2]
            a += ["kcc[-2]:" + p2, "kcc[-2]t:" + kinds[i - 2][0], "kcc[-2:-1]:" + p2 + kccs[i - 1],
                  "kcc[-2:0]:" + p2 + kccs[i - 1] + k]
        if i >= 3:
            p3 = kccs[i - 3]
            a += ["kcc[-3]:" + p3, "kcc[-3]t:" + kinds[i - 3][0],
                  "kcc[-3:0]:" + p3 + kccs[i - 2] + kccs[i - 1] + k,
                  "kcc[-3:-1]:" + p3 + kccs[i - 2] + kccs[i - 1], "kcc[-3:-2]:" + p3 + kccs[i - 2]]
        if i < n - 1:
            n1 = kccs[i + 1]
            a += ["kcc[+1]:" + n1, "kcc[+1]t:" + kinds[i + 1][0], "kcc[+1:0]:" + k + n1]
            if kinds[i + 1][1]:
                a.append("ns+1")
        else:
            a.append("EOS")
        if i < n - 2:
            n2 = kccs[i + 2]
            a += ["kcc[+2]:" + n2, "kcc[+2]t:" + kinds[i + 2][0], "kcc[+1:+2]:" + kccs[i + 1] + n2,
                  "kcc[0:+2]:" + k + kccs[i + 1] + n2]
            if kinds[i + 2][1]:
                a.append("ns+2")
        if i < n - 3:
            n3 = kccs[i + 3]
            a += ["kcc[+3]:" + n3, "kcc[+3]t:" + kinds[i + 3][0], "kcc[+2:+3]:" + kccs[i + 2] + n3,
                  "kcc[+1:+3]:" + kccs[i + 1] + kccs[i + 2] + n3,
                  "kcc[0:+3]:" + k + kccs[i + 1] + kccs[i + 2] + n3]
        items.append(a)
    return items


def segment(text: str) -> list[str]:
    """Words of ``text`` as khmercut's CRF cuts them."""
    from khmercut import seg_kcc

    kccs = seg_kcc(text)
    if not kccs:
        return []
    words: list[str] = []
    for i, tag in enumerate(_tagger().tag(_attributes(kccs))):
        if tag == "1" or i == 0:
            words.append(kccs[i])
        else:
            words[-1] += kccs[i]
    return words
