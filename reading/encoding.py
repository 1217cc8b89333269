"""Decode a file line by line so that one bad byte names its line and spoils nothing else."""
from __future__ import annotations


BOM = b"\xef\xbb\xbf"


def without_bom(data: bytes) -> bytes:
    """`data` without a leading UTF-8 byte order mark."""
    return data[len(BOM):] if data.startswith(BOM) else data


def invalid_utf8(raw: bytes, exc: UnicodeDecodeError) -> str:
    """The problem message for a line `raw` that failed to decode with `exc`."""
    return f"invalid UTF-8: byte 0x{raw[exc.start]:02x} at column {exc.start + 1}"


def decode_lines(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """The text (bad bytes replaced by U+FFFD) and (line, message) for each line that is not UTF-8."""
    data = without_bom(data)
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        pass
    errors: list[tuple[int, str]] = []
    lines: list[str] = []
    for number, raw in enumerate(data.split(b"\n"), 1):
        try:
            lines.append(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            errors.append((number, invalid_utf8(raw, exc)))
            lines.append(raw.decode("utf-8", errors="replace"))
    return "\n".join(lines), errors
