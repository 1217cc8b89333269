"""khmercut's CRF model (Apache-2.0, python-crfsuite): the baseline Khmer segmenter."""
from __future__ import annotations


def available() -> bool:
    try:
        import khmercut  # noqa: F401
    except ImportError:
        return False
    return True


def segment(text: str) -> list[str]:
    """Words of ``text`` as cut by khmercut's CRF."""
    from khmercut import tokenize

    return tokenize(text)
