"""Every UI string in English and Khmer, the choice of UI language, and Khmer digits."""
from __future__ import annotations

from collections.abc import Callable, Iterable

LANGUAGES = ("en", "km")
DEFAULT_LANGUAGE = "en"

# key -> {"en": ..., "km": ...}; placeholders use str.format names.
STRINGS: dict[str, dict[str, str]] = {
    "site_name": {"en": "bayon", "km": "បាយ័ន"},
    "tagline": {
        "en": "Search the publications of Cambodian human-rights organisations",
        "km": "ស្វែងរកឯកសារបោះពុម្ពផ្សាយរបស់អង្គការសិទ្ធិមនុស្សនៅកម្ពុជា",
    },
    "skip_to_results": {"en": "Skip to results", "km": "រំលងទៅលទ្ធផល"},
    "skip_to_content": {"en": "Skip to content", "km": "រំលងទៅខ្លឹមសារ"},
    "search_label": {
        "en": "Search in English or Khmer",
        "km": "ស្វែងរកជាភាសាខ្មែរ ឬអង់គ្លេស",
    },
    "search_placeholder": {"en": "e.g. land rights, ដីធ្លី", "km": "ឧ. ដីធ្លី, land rights"},
    "search_button": {"en": "Search", "km": "ស្វែងរក"},
    "ui_language": {"en": "Interface language", "km": "ភាសាផ្ទាំងប្រើប្រាស់"},
    "filters": {"en": "Filters", "km": "តម្រង"},
    "apply_filters": {"en": "Apply filters", "km": "អនុវត្តតម្រង"},
    "active_filters": {"en": "Active filters", "km": "តម្រងកំពុងប្រើ"},
    "remove_filter": {"en": "Remove filter {label}", "km": "ដកតម្រង {label} ចេញ"},
    "clear_all": {"en": "Clear all", "km": "សម្អាតទាំងអស់"},
    "facet_organisation": {"en": "Organisation", "km": "អង្គការ"},
    "facet_doc_type": {"en": "Document type", "km": "ប្រភេទឯកសារ"},
    "facet_year": {"en": "Year", "km": "ឆ្នាំ"},
    "facet_language": {"en": "Language", "km": "ភាសា"},
    "sort_by": {"en": "Sort by", "km": "តម្រៀបតាម"},
    "sort_relevance": {"en": "Relevance", "km": "ភាពពាក់ព័ន្ធ"},
    "sort_date": {"en": "Newest first", "km": "ថ្មីបំផុតមុន"},
    "results_count": {"en": "{total} results", "km": "លទ្ធផល {total}"},
    "result_count_one": {"en": "1 result", "km": "លទ្ធផល ១"},
    "showing_range": {"en": "Showing {first}–{last} of {total}", "km": "បង្ហាញ {first}–{last} នៃ {total}"},
    "took": {"en": "in {ms} ms", "km": "ក្នុងរយៈពេល {ms} មិល្លីវិនាទី"},
    "browsing_all": {
        "en": "Browsing every publication, newest first",
        "km": "កំពុងបង្ហាញឯកសារទាំងអស់ ថ្មីបំផុតមុន",
    },
    "results_for": {"en": "Results for “{q}”", "km": "លទ្ធផលសម្រាប់ «{q}»"},
    "did_you_mean": {"en": "Did you mean:", "km": "តើអ្នកចង់រក៖"},
    "showing_results_for": {"en": "Showing results for", "km": "កំពុងបង្ហាញលទ្ធផលសម្រាប់"},
    "search_instead_for": {"en": "Search instead for", "km": "ស្វែងរកពាក្យដែលបានវាយវិញ៖"},
    "also_searched": {"en": "Also searched:", "km": "ក៏បានស្វែងរកផងដែរ៖"},
    "expand_off": {"en": "Search only my words", "km": "ស្វែងរកតែពាក្យរបស់ខ្ញុំ"},
    "expand_on": {"en": "Also search translations and variants", "km": "ស្វែងរកការបកប្រែ និងទម្រង់ផ្សេងទៀតផង"},
    "matched_any": {"en": "No publication has all your words; showing those with any of them.",
                    "km": "គ្មានឯកសារណាមានពាក្យទាំងអស់របស់អ្នកទេ។ កំពុងបង្ហាញឯកសារដែលមានពាក្យណាមួយ។"},
    "missing_words": {"en": "Missing:", "km": "ខ្វះ៖"},
    "partial_matches": {"en": "Publications with only some of your words",
                        "km": "ឯកសារដែលមានតែពាក្យខ្លះរបស់អ្នក"},
    "no_results": {"en": "No publication matches your search.", "km": "រកមិនឃើញឯកសារដែលត្រូវនឹងការស្វែងរករបស់អ្នកទេ។"},
    "no_results_hint": {
        "en": "Try fewer words, another spelling, or remove a filter.",
        "km": "សូមសាកល្បងប្រើពាក្យតិចជាងនេះ អក្ខរាវិរុទ្ធផ្សេង ឬដកតម្រងចេញ។",
    },
    "pagination": {"en": "Pages", "km": "ទំព័រ"},
    "previous": {"en": "Previous", "km": "មុន"},
    "next": {"en": "Next", "km": "បន្ទាប់"},
    "page_n": {"en": "Page {n}", "km": "ទំព័រ {n}"},
    "results_heading": {"en": "Results", "km": "លទ្ធផល"},
    "lang_en": {"en": "English", "km": "អង់គ្លេស"},
    "lang_km": {"en": "Khmer", "km": "ខ្មែរ"},
    "lang_mixed": {"en": "Khmer and English", "km": "ខ្មែរ និងអង់គ្លេស"},
    "lang_other": {"en": "Other language", "km": "ភាសាផ្សេងទៀត"},
    "unknown": {"en": "Unknown", "km": "មិនស្គាល់"},
    "undated": {"en": "Undated", "km": "គ្មានកាលបរិច្ឆេទ"},
    "organisation": {"en": "Organisation", "km": "អង្គការ"},
    "doc_type": {"en": "Type", "km": "ប្រភេទ"},
    "date": {"en": "Date", "km": "កាលបរិច្ឆេទ"},
    "date_source": {"en": "Date from", "km": "ប្រភពកាលបរិច្ឆេទ"},
    "date_source_listed": {"en": "listed by the publisher", "km": "តាមបញ្ជីរបស់អ្នកបោះពុម្ព"},
    "date_source_inferred from text": {"en": "inferred from the text", "km": "សន្និដ្ឋានពីអត្ថបទ"},
    "date_source_unknown": {"en": "unknown", "km": "មិនស្គាល់"},
    "download_original": {"en": "Download the original file", "km": "ទាញយកឯកសារដើម"},
    "date_source_document metadata": {"en": "the file's own metadata", "km": "ទិន្នន័យមេតារបស់ឯកសារ"},
    "language": {"en": "Language", "km": "ភាសា"},
    "source_file": {"en": "Source file", "km": "ឯកសារប្រភព"},
    "original": {"en": "Original publication", "km": "ឯកសារដើម"},
    "metadata": {"en": "About this document", "km": "អំពីឯកសារនេះ"},
    "full_text": {"en": "Full text", "km": "អត្ថបទពេញ"},
    "body_part": {"en": "Part", "km": "ផ្នែក"},
    "previous_part": {"en": "Previous part", "km": "ផ្នែកមុន"},
    "next_part": {"en": "Next part", "km": "ផ្នែកបន្ទាប់"},
    "back_to_results": {"en": "Back to the results", "km": "ត្រឡប់ទៅលទ្ធផលវិញ"},
    "highlighted_words": {
        "en": "Words of your search are highlighted.",
        "km": "ពាក្យដែលអ្នកស្វែងរកត្រូវបានបន្លិច។",
    },
    "not_found_title": {"en": "Not found", "km": "រកមិនឃើញ"},
    "not_found_text": {
        "en": "There is no page or document at this address.",
        "km": "គ្មានទំព័រ ឬឯកសារនៅអាសយដ្ឋាននេះទេ។",
    },
    "bad_parameter_title": {"en": "This search could not be run", "km": "មិនអាចដំណើរការការស្វែងរកនេះបានទេ"},
    "bad_parameter": {
        "en": "The parameter “{name}” is not valid: {message}",
        "km": "ប៉ារ៉ាម៉ែត្រ «{name}» មិនត្រឹមត្រូវ៖ {message}",
    },
    "server_error_title": {"en": "Something went wrong", "km": "មានបញ្ហាកើតឡើង"},
    "server_error_text": {
        "en": "The search service is not available right now. Please try again later.",
        "km": "សេវាស្វែងរកមិនទាន់អាចប្រើបាននៅពេលនេះទេ។ សូមព្យាយាមម្តងទៀតនៅពេលក្រោយ។",
    },
    "home": {"en": "Home", "km": "ទំព័រដើម"},
    "opensearch_description": {
        "en": "Search Cambodian human-rights publications (English and Khmer)",
        "km": "ស្វែងរកឯកសារសិទ្ធិមនុស្សកម្ពុជា (ខ្មែរ និងអង់គ្លេស)",
    },
    "sort_oldest": {"en": "Oldest first", "km": "ចាស់បំផុតមុន"},
    "title_results": {"en": "{q} ({total} results)", "km": "{q} (លទ្ធផល {total})"},
    "title_browse": {"en": "{total} publications", "km": "ឯកសារ {total}"},
    "past_end": {"en": "There is no page {page}: the {total} results end on page {last}.",
                 "km": "គ្មានទំព័រ {page} ទេ៖ លទ្ធផល {total} បញ្ចប់នៅទំព័រ {last}។"},
    "go_to_last_page": {"en": "Go to page {last}", "km": "ទៅទំព័រ {last}"},
    "date_range": {"en": "Years", "km": "ឆ្នាំ"},
    "year_from": {"en": "From year", "km": "ពីឆ្នាំ"},
    "year_to": {"en": "To year", "km": "ដល់ឆ្នាំ"},
    "apply_sort": {"en": "Sort", "km": "តម្រៀប"},
    "apply_range": {"en": "Apply years", "km": "អនុវត្តឆ្នាំ"},
    "export": {"en": "Export this list", "km": "នាំចេញបញ្ជីនេះ"},
    "export_csv": {"en": "CSV (spreadsheet)", "km": "CSV (តារាង)"},
    "export_json": {"en": "JSON (data)", "km": "JSON (ទិន្នន័យ)"},
    "export_ris": {"en": "RIS (citation managers)", "km": "RIS (កម្មវិធីគ្រប់គ្រងឯកសារយោង)"},
    "export_atom": {"en": "Atom feed (newest first)", "km": "ព័ត៌មានបន្ត Atom (ថ្មីបំផុតមុន)"},
    "export_limit": {"en": "at most {n} rows", "km": "យ៉ាងច្រើន {n} ជួរ"},
    "feed_title": {"en": "bayon: {q}", "km": "បាយ័ន៖ {q}"},
    "feed_title_all": {"en": "bayon: every publication", "km": "បាយ័ន៖ ឯកសារទាំងអស់"},
    "match_count_one": {"en": "1 match in this text", "km": "ត្រូវគ្នា ១ កន្លែងក្នុងអត្ថបទនេះ"},
    "match_count": {"en": "{n} matches in this text", "km": "ត្រូវគ្នា {n} កន្លែងក្នុងអត្ថបទនេះ"},
    "no_match_in_text": {"en": "Your words are not in this text (the record matched on its title or details).",
                         "km": "ពាក្យរបស់អ្នកមិនមាននៅក្នុងអត្ថបទនេះទេ (ឯកសារត្រូវគ្នាតាមចំណងជើង ឬព័ត៌មានលម្អិត)។"},
    "first_match": {"en": "Go to the first match", "km": "ទៅកន្លែងត្រូវគ្នាទីមួយ"},
    "previous_match": {"en": "Previous match", "km": "កន្លែងត្រូវគ្នាមុន"},
    "next_match": {"en": "Next match", "km": "កន្លែងត្រូវគ្នាបន្ទាប់"},
    "match_position": {"en": "Match {i} of {n}", "km": "កន្លែងត្រូវគ្នាទី {i} នៃ {n}"},
    "same_publication": {"en": "Listed {n} times (same title and summary):", "km": "មានក្នុងបញ្ជី {n} ដង (ចំណងជើង និងសេចក្តីសង្ខេបដូចគ្នា)៖"},
    "also_in": {"en": "Also in ", "km": "មានជាភាសា "},
    "syntax_help": {"en": "Search tips", "km": "គន្លឹះស្វែងរក"},
    "syntax_phrase": {"en": "\"forced eviction\" finds the exact phrase", "km": "\"forced eviction\" រកឃ្លាពិតប្រាកដ"},
    "syntax_or": {"en": "land OR housing finds either word", "km": "land OR housing រកពាក្យណាមួយ"},
    "syntax_not": {"en": "prison -children leaves out a word", "km": "prison -children ដកពាក្យមួយចេញ"},
    "syntax_field": {"en": "organisation:CCHR, year:2019..2021, type:report filter inside the box",
                     "km": "organisation:CCHR, year:2019..2021, type:report តម្រងក្នុងប្រអប់"},
    "syntax_both": {"en": "English and Khmer words can be mixed; translations are searched too",
                    "km": "អាចលាយពាក្យខ្មែរ និងអង់គ្លេស ការបកប្រែក៏ត្រូវបានស្វែងរកដែរ"},
    "suggestions": {"en": "Suggestions", "km": "ការណែនាំ"},
    "suggestions_count": {"en": "{n} suggestions, use the up and down arrows", "km": "ការណែនាំ {n} ប្រើព្រួញឡើងចុះ"},
    "print": {"en": "Print", "km": "បោះពុម្ព"},
    "bad_request_text": {"en": "A parameter of this address is not valid.",
                         "km": "ប៉ារ៉ាម៉ែត្រមួយនៃអាសយដ្ឋាននេះមិនត្រឹមត្រូវទេ។"},
    "too_long_text": {"en": "This address is too long to be searched.",
                      "km": "អាសយដ្ឋាននេះវែងពេកមិនអាចស្វែងរកបានទេ។"},
    "bad_parameter_name": {"en": "The parameter “{name}” is not valid.", "km": "ប៉ារ៉ាម៉ែត្រ «{name}» មិនត្រឹមត្រូវ។"},
    "bad_parameter_km_note": {"en": "Details (in English):", "km": "ព័ត៌មានលម្អិត (ជាភាសាអង់គ្លេស)៖"},
    "footer": {
        "en": "Publications of LICADHO, CCHR, CIVICUS and others. Search in Khmer, English or both.",
        "km": "ឯកសារបោះពុម្ពផ្សាយរបស់ លីកាដូ មជ្ឈមណ្ឌលសិទ្ធិមនុស្សកម្ពុជា CIVICUS និងអង្គការផ្សេងទៀត។ ស្វែងរកជាភាសាខ្មែរ អង់គ្លេស ឬទាំងពីរ។",
    },
}

_KHMER_DIGITS = str.maketrans("0123456789", "០១២៣៤៥៦៧៨៩")


def choose_language(requested: str | None, accept_languages: Iterable[tuple[str, float]] = ()) -> str:
    """The UI language: the `lang` URL parameter if supported, else the best Accept-Language match."""
    if requested:
        code = requested.strip().lower()[:2]
        if code in LANGUAGES:
            return code
    best, best_quality = DEFAULT_LANGUAGE, -1.0
    for tag, quality in accept_languages:
        code = tag.strip().lower().split("-")[0].split("_")[0]
        if code in LANGUAGES and quality > best_quality:
            best, best_quality = code, quality
    return best


def translate(key: str, lang: str, **values: object) -> str:
    """The UI string `key` in `lang`, with `values` formatted in (integers in Khmer digits for km;
    text such as the user's query is left exactly as given)."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry[DEFAULT_LANGUAGE]
    if values:
        text = text.format(**{
            name: localise_digits(value, lang) if _is_number(value) else value
            for name, value in values.items()})
    return text


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def localise_digits(value: object, lang: str) -> str:
    """`value` as text, with ASCII digits written as Khmer digits when `lang` is km."""
    text = f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else str(value)
    return text.translate(_KHMER_DIGITS) if lang == "km" else text


def translator(lang: str) -> Callable[..., str]:
    """A `t(key, **values)` function bound to `lang`, for templates."""

    def t(key: str, **values: object) -> str:
        return translate(key, lang, **values)

    return t


def language_label(code: str | None, lang: str) -> str:
    """Human name of a document language code (en, km, mixed, other) in the UI language."""
    key = f"lang_{code}"
    if key in STRINGS:
        return translate(key, lang)
    return translate("lang_other", lang) if code and code != "und" else translate("unknown", lang)


KHMER_MONTHS = ("មករា", "កុម្ភៈ", "មីនា", "មេសា", "ឧសភា", "មិថុនា",
                "កក្កដា", "សីហា", "កញ្ញា", "តុលា", "វិច្ឆិកា", "ធ្នូ")
ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June",
                  "July", "August", "September", "October", "November", "December")


def format_date(value: str | None, lang: str) -> str:
    """An ISO date (YYYY, YYYY-MM or YYYY-MM-DD) as people write it in `lang`: "24 July 2024",
    "២៤ កក្កដា ២០២៤"; anything else is returned as given (digits localised)."""
    text = (value or "").strip()
    parts = text.split("-")
    if not (1 <= len(parts) <= 3 and all(p.isdigit() for p in parts) and len(parts[0]) == 4):
        return localise_digits(text, lang)
    year = parts[0]
    month = int(parts[1]) if len(parts) > 1 else None
    day = int(parts[2]) if len(parts) > 2 else None
    if month is not None and not 1 <= month <= 12:
        return localise_digits(text, lang)
    names = KHMER_MONTHS if lang == "km" else ENGLISH_MONTHS
    words = [str(day)] if day else []
    if month:
        words.append(names[month - 1])
    words.append(year)
    return localise_digits(" ".join(words), lang)


def script_language(text: str) -> str:
    """km when `text` is written in Khmer script, else en (for the lang attribute of a term)."""
    return "km" if any("\u1780" <= ch <= "\u17ff" or "\u19e0" <= ch <= "\u19ff" for ch in text) else "en"
