"""Dates in every form the sources use, as ISO strings with their precision.

`parse_date` reads a whole date field ("8 March 2021", "October 1, 2024", "(5 August 2024)",
"ថ្ងៃទី១៩ ខែកក្កដា ឆ្នាំ២០២៤", "2024-07", "March 2015", "2019"); `find_full_dates` finds every
complete (day, month, year) date written inside free text; `latest_full_date` picks the latest of them.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass


class DateFormatError(ValueError):
    """The text is not a date in any known form (or names a day that does not exist)."""


@dataclass(frozen=True, order=True)
class ParsedDate:
    iso: str  # YYYY, YYYY-MM or YYYY-MM-DD
    precision: str  # year | month | day

    @property
    def year(self) -> int:
        return int(self.iso[:4])


# Khmer digits to ASCII; zero-width spaces (common in Khmer typing) to plain spaces.
KHMER_DIGITS = str.maketrans("០១២៣៤៥៦៧៨៩\u200b", "0123456789 ")

ENGLISH_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
KHMER_MONTHS = {
    "មករា": 1, "កុម្ភៈ": 2, "កុម្ភះ": 2, "កុម្ភ": 2, "មីនា": 3, "មេសា": 4, "ឧសភា": 5, "មិថុនា": 6,
    "កក្កដា": 7, "សីហា": 8, "កញ្ញា": 9, "តុលា": 10, "វិច្ឆិកា": 11, "ធ្នូ": 12,
}

_EN_MONTH = "(?P<month>" + "|".join(sorted(ENGLISH_MONTHS, key=len, reverse=True)) + r")\.?"
_KM_MONTH = "(?P<month>" + "|".join(sorted(KHMER_MONTHS, key=len, reverse=True)) + ")"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>\d{4})"

# Full dates (day, month and year) as they are written in running text.
_FULL_DATE_PATTERNS = [
    # 8 March 2021, 08 May 2024, 6 October, 2020, 21st of May 2022
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_EN_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    # October 1, 2024, May 21 2022
    re.compile(rf"\b{_EN_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    # ថ្ងៃទី១៩ ខែកក្កដា ឆ្នាំ២០២៤ (digits already mapped to ASCII)
    re.compile(rf"(?:ថ្ងៃ(?:ទី)?\s*)?(?P<day>\d{{1,2}})\s*ខែ\s*{_KM_MONTH}\s*ឆ្នាំ\s*{_YEAR}"),
    # ISO dates inside text
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
]
_MONTH_YEAR_PATTERNS = [
    re.compile(rf"^{_EN_MONTH},?\s+{_YEAR}$", re.IGNORECASE),
    re.compile(rf"^(?:ខែ\s*)?{_KM_MONTH}\s*(?:ឆ្នាំ\s*)?{_YEAR}$"),
    re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})$"),
]
_YEAR_PATTERN = re.compile(r"^(?:ឆ្នាំ\s*)?(?P<year>\d{4})$")
_ISO_PATTERN = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _month_number(value: str) -> int:
    if value.isdigit():
        return int(value)
    return ENGLISH_MONTHS.get(value.lower().rstrip("."), 0) or KHMER_MONTHS.get(value, 0)


def _make(year: int, month: int | None = None, day: int | None = None) -> ParsedDate:
    if not 1000 <= year <= 2999:
        raise DateFormatError(f"year {year} out of range")
    if month is None:
        return ParsedDate(f"{year:04d}", "year")
    if not 1 <= month <= 12:
        raise DateFormatError(f"month {month} out of range")
    if day is None:
        return ParsedDate(f"{year:04d}-{month:02d}", "month")
    try:
        _dt.date(year, month, day)
    except ValueError as exc:
        raise DateFormatError(f"no such day: {year:04d}-{month:02d}-{day:02d}") from exc
    return ParsedDate(f"{year:04d}-{month:02d}-{day:02d}", "day")


def _normalise(text: str) -> str:
    return " ".join(text.translate(KHMER_DIGITS).split())


def parse_date(text: str) -> ParsedDate:
    """Read a whole date field; raise DateFormatError when it is not a date in a known form."""
    value = _normalise(text).strip()
    while len(value) >= 2 and value[0] in "([" and value[-1] in ")]":
        value = value[1:-1].strip()
    for pattern in _FULL_DATE_PATTERNS:
        match = pattern.fullmatch(value)
        if match:
            return _from_match(match)
    for pattern in _MONTH_YEAR_PATTERNS:
        match = pattern.match(value)
        if match:
            return _make(int(match["year"]), _month_number(match["month"]))
    match = _YEAR_PATTERN.match(value)
    if match:
        return _make(int(match["year"]))
    raise DateFormatError(f"unknown date format: {text.strip()!r}")


def is_iso_date(text: str) -> bool:
    """True for YYYY, YYYY-MM or YYYY-MM-DD naming a real year, month or day."""
    if not _ISO_PATTERN.match(text):
        return False
    try:
        parse_date(text)
    except DateFormatError:
        return False
    return True


def _from_match(match: re.Match) -> ParsedDate:
    return _make(int(match["year"]), _month_number(match["month"]), int(match["day"]))


def find_full_dates(text: str) -> list[ParsedDate]:
    """Every complete day-month-year date written in `text`, in order of appearance."""
    value = text.translate(KHMER_DIGITS)
    found: list[tuple[int, ParsedDate]] = []
    taken: list[range] = []
    for pattern in _FULL_DATE_PATTERNS:
        for match in pattern.finditer(value):
            if any(match.start() in span for span in taken):
                continue
            try:
                found.append((match.start(), _from_match(match)))
            except DateFormatError:
                continue
            taken.append(range(match.start(), match.end()))
    return [date for _, date in sorted(found)]


# Month-year mentions in running text: "September 2022", "ខែកញ្ញា ឆ្នាំ២០២២".
_MONTH_YEAR_IN_TEXT = [
    re.compile(rf"\b{_EN_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"ខែ\s*{_KM_MONTH}\s*ឆ្នាំ\s*{_YEAR}"),
]
# Words that make a date a plan rather than an event the text reports ("due to be released in January 2016").
_FUTURE_CONTEXT = re.compile(
    r"\b(?:due|will|shall|scheduled|expected|planned|set to|to be|until|deadline|by the end of)\b[^.;:!?]{0,40}$",
    re.IGNORECASE,
)


def find_reported_dates(text: str) -> list[ParsedDate]:
    """Full dates and month-year mentions in `text`, skipping those announced as future plans."""
    value = text.translate(KHMER_DIGITS)
    found = list(find_full_dates(text))
    for pattern in _MONTH_YEAR_IN_TEXT:
        for match in pattern.finditer(value):
            if _FUTURE_CONTEXT.search(value[max(0, match.start() - 60):match.start()]):
                continue
            try:
                found.append(_make(int(match["year"]), _month_number(match["month"])))
            except DateFormatError:
                continue
    return found


def latest_reported_year(text: str) -> ParsedDate | None:
    """The year of the latest event the text reports (a full or month-year date, not a planned one), or None.

    Used only where a source lists no date: a publication is written after the latest event it reports.
    """
    dates = find_reported_dates(text)
    return ParsedDate(max(dates).iso[:4], "year") if dates else None


def latest_full_date(text: str) -> ParsedDate | None:
    """The latest complete date written in `text`, or None."""
    dates = find_full_dates(text)
    return max(dates) if dates else None
