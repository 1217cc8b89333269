"""ICU's dictionary-based word break iterator (optional: needs PyICU)."""
from __future__ import annotations

from functools import lru_cache


def available() -> bool:
    try:
        import icu  # noqa: F401
    except ImportError:
        return False
    return True


@lru_cache(maxsize=1)
def _locale():
    import icu

    return icu.Locale("km")


def segment(text: str) -> list[str]:
    """Words of ``text`` at ICU's word boundaries (requires PyICU)."""
    import icu

    breaker = icu.BreakIterator.createWordInstance(_locale())
    breaker.setText(text)
    # ICU reports offsets in UTF-16 code units; Khmer is in the BMP but other text may not be.
    utf16 = text.encode("utf-16-le")
    words, last = [], 0
    for boundary in breaker:
        words.append(utf16[last * 2:boundary * 2].decode("utf-16-le"))
        last = boundary
    return words
