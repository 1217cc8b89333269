"""Hand-added documents: JSON Lines and Markdown with front matter, in a corpus that has only documents/."""
from __future__ import annotations

import json

import pytest

from reading.loader import load_corpus
from corpus_helpers import CCHR, LICADHO_STATEMENTS, source_text


def _khmer_statement() -> str:
    return next(l.strip() for l in source_text(CCHR).splitlines() if "ជា ចាន់ថា ទៅឃុំខ្លួន" in l)


def _english_paragraphs() -> list[str]:
    lines = source_text(LICADHO_STATEMENTS).splitlines()
    start = lines.index("Statement | Chea Chantha’s Activities are Not a Crime")
    return [lines[start + 2], lines[start + 3]]


@pytest.fixture
def documents_only(tmp_path):
    (tmp_path / "documents").mkdir()
    return tmp_path


def _write_jsonl(path, rows) -> None:
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")


def test_jsonl_documents_in_a_corpus_with_only_documents(documents_only):
    english = _english_paragraphs()
    _write_jsonl(documents_only / "documents" / "licadho-2024.jsonl", [
        {"id": "licadho-chea-chantha-en", "title": "Chea Chantha’s Activities are Not a Crime",
         "organisation": "LICADHO", "doc_type": "Joint statement", "date": "2024-07-24",
         "url": "https://www.licadho-cambodia.org/", "body": "\n".join(english)},
        {"title": "សេចក្ដីថ្លែងការណ៍រួម សកម្មភាពលោក ជា ចាន់ថា មិនមែនជាបទល្មើស", "organisation": "CCHR",
         "doc_type": "សេចក្ដីថ្លែងការណ៍រួម", "date": "2024-07", "body": _khmer_statement()},
    ])
    result = load_corpus(documents_only)
    assert [str(p) for p in result.problems] == []
    first, second = result.records
    assert first.id == "licadho-chea-chantha-en"  # a given id is kept
    assert (first.date, first.date_precision, first.year, first.date_source) == ("2024-07-24", "day", 2024, "listed")
    assert first.language == "en" and first.doc_type == "Joint statement"
    assert first.body == "\n\n".join(english)  # each line of a JSON body is a paragraph
    assert first.source == "licadho-2024.jsonl" and first.url == "https://www.licadho-cambodia.org/"
    assert second.id == "licadho-2024-2"  # derived from file name + line
    assert second.doc_type == "Joint statement"  # the Khmer label is accepted
    assert (second.date, second.date_precision) == ("2024-07", "month")
    assert second.language == "km"


def test_markdown_document_with_front_matter(documents_only):
    english = _english_paragraphs()
    wrapped = english[1][:200] + "\n" + english[1][200:]
    (documents_only / "documents" / "chea-chantha.md").write_text(
        "---\n"
        'title: "Chea Chantha’s Activities are Not a Crime"\n'
        "organisation: LICADHO\n"
        "doc_type: statement\n"
        "date: 2024\n"
        "language: en\n"
        "---\n"
        "# Summary\n\n"
        f"{english[0]}\n\n{wrapped}\n",
        encoding="utf-8",
    )
    result = load_corpus(documents_only)
    assert [str(p) for p in result.problems] == []
    [record] = result.records
    assert record.id == "chea-chantha"
    assert record.title == "Chea Chantha’s Activities are Not a Crime"
    assert record.doc_type == "Statement" and record.date == "2024" and record.date_precision == "year"
    assert record.body.split("\n\n") == ["Summary", english[0], english[1]]  # wrapped lines joined


def test_documents_are_loaded_next_to_the_sources(tmp_path):
    from corpus_helpers import copy_corpus

    corpus = copy_corpus(tmp_path / "corpus")
    _write_jsonl(corpus / "documents" / "extra.jsonl", [
        {"title": "ភាពធន់", "organisation": "CCHR", "doc_type": "Flyer", "body": _khmer_statement()}])
    result = load_corpus(corpus)
    assert result.problems == []
    assert len(result.records) == 74
    assert result.records[-1].source == "extra.jsonl" and result.records[-1].date_source == "unknown"


@pytest.mark.parametrize("row, message", [
    ({"organisation": "CCHR", "doc_type": "Flyer", "body": "ភាពធន់"}, "missing title"),
    ({"title": "  ", "organisation": "CCHR", "doc_type": "Flyer", "body": "ភាពធន់"}, "title must be non-empty text"),
    ({"title": "ភាពធន់", "doc_type": "Flyer", "body": "ភាពធន់"}, "missing organisation"),
    ({"title": "ភាពធន់", "organisation": "CCHR", "doc_type": "Flyer"}, "missing body"),
    (["not", "an", "object"], "must be an object"),
])
def test_documents_missing_required_fields_are_errors_and_skipped(documents_only, row, message):
    _write_jsonl(documents_only / "documents" / "bad.jsonl", [row])
    result = load_corpus(documents_only)
    assert result.records == []
    assert any(str(p).startswith("documents/bad.jsonl:1: ") and message in p.message for p in result.errors)


@pytest.mark.parametrize("field, value, message", [
    ("date", "sometime in 2024", "unknown date format"),
    ("date", "2023-02-29", "unknown date format"),
    ("doc_type", "Podcast", "is not one of"),
    ("language", "English", "is not a code"),
    ("url", "licadho-cambodia.org", "is not an http(s) address"),
    ("id", "has spaces", "id must be non-empty text without spaces"),
])
def test_wrong_optional_fields_are_errors_but_the_record_is_kept(documents_only, field, value, message):
    row = {"title": "Chea Chantha’s Activities are Not a Crime", "organisation": "LICADHO",
           "doc_type": "Statement", "body": _english_paragraphs()[0], field: value}
    _write_jsonl(documents_only / "documents" / "one.jsonl", [row])
    result = load_corpus(documents_only)
    assert len(result.records) == 1
    [error] = result.errors
    assert message in error.message and str(error).startswith("documents/one.jsonl:1: ")


def test_markdown_front_matter_problems_name_their_line(documents_only):
    (documents_only / "documents" / "no-front-matter.md").write_text("# Title\n\nBody\n", encoding="utf-8")
    (documents_only / "documents" / "bad-date.md").write_text(
        "---\ntitle: ភាពធន់\norganisation: CCHR\ndoc_type: Flyer\ndate: 19/07/2024\n---\nភាពធន់\n", encoding="utf-8")
    (documents_only / "documents" / "unclosed.md").write_text("---\ntitle: ភាពធន់\n", encoding="utf-8")
    problems = {str(p) for p in load_corpus(documents_only).problems}
    assert "documents/no-front-matter.md:1: no front matter: the file must start with a '---' line" in problems
    assert any(p.startswith("documents/bad-date.md:5: unknown date format") for p in problems)
    assert "documents/unclosed.md:1: front matter is not closed by a '---' line" in problems


def test_an_empty_corpus_directory_is_a_problem_not_a_crash(tmp_path):
    result = load_corpus(tmp_path)
    assert result.records == [] and "neither sources/ nor documents/" in result.problems[0].message
    result = load_corpus(tmp_path / "missing")
    assert result.records == [] and "does not exist" in result.problems[0].message
