"""Publication files in documents/ (DOCX, HTML, PDF): one file, one record; overrides without editing
the file; unreadable files reported by name; the index built from the rest; the original served
only for indexed records; incremental builds never extract an unchanged file again."""
from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner

import reading.jsonl_documents as jsonl_documents
from extraction_quality import FIXTURES
from reading.loader import load_corpus


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BAYON_EXTRACT_CACHE", str(tmp_path / "extract-cache"))


def _corpus(tmp_path, files, folder=""):
    documents = tmp_path / "corpus" / "documents" / folder
    documents.mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copy(FIXTURES / name, documents / name)
    return tmp_path / "corpus"


def _by_source(result):
    return {record.source: record for record in result.records}


def test_one_file_one_record_with_fields_from_the_extraction(tmp_path):
    corpus = _corpus(tmp_path, ["report_python_docx.docx", "statement_km_en.html"])
    result = load_corpus(corpus)
    records = _by_source(result)
    html = records["statement_km_en.html"]
    assert html.id == "statement-km-en-html"
    assert html.title == "Joint statement: end forced evictions in Kampong Speu"
    assert html.organisation == "LICADHO"  # og:site_name
    assert (html.date, html.date_source) == ("2024-07-19", "document metadata")
    assert html.url == "https://www.licadho-cambodia.org/statements/2024/end-forced-evictions"
    assert html.doc_type == "Joint statement" and html.language == "mixed"
    assert "\n\nសេចក្តីថ្លែងការណ៍រួម៖" in html.body  # paragraphs separated by a blank line
    docx = records["report_python_docx.docx"]
    assert docx.title == "Land rights in Kampong Speu: evictions without remedy"
    assert docx.organisation == "unknown"
    assert any(p.file == "documents/report_python_docx.docx" and "no organisation" in p.message
               and p.severity == "warning" for p in result.problems)
    # ids come from the path: the same on every load
    assert [r.id for r in load_corpus(corpus).records] == [r.id for r in result.records]


def test_sidecar_and_folder_defaults_override_without_editing_the_file(tmp_path):
    corpus = _corpus(tmp_path, ["report_python_docx.docx", "legacy_limon.docx"], folder="licadho")
    folder = corpus / "documents" / "licadho"
    (folder / "_folder.toml").write_text('organisation = "LICADHO"\n', encoding="utf-8")
    (folder / "legacy_limon.docx.meta.toml").write_text(
        'title = "Statement on land rights"\ndate = "2024-08-01"\ndoc_type = "Statement"\n'
        'url = "https://www.licadho-cambodia.org/s/1"\nid = "licadho-land-2024"\n', encoding="utf-8")
    result = load_corpus(corpus)
    assert not result.errors
    records = _by_source(result)
    report, legacy = records["licadho/report_python_docx.docx"], records["licadho/legacy_limon.docx"]
    assert report.organisation == legacy.organisation == "LICADHO"
    assert report.id == "licadho-report-python-docx-docx"
    assert (legacy.id, legacy.title, legacy.date, legacy.date_source, legacy.doc_type, legacy.url) == (
        "licadho-land-2024", "Statement on land rights", "2024-08-01", "listed", "Statement",
        "https://www.licadho-cambodia.org/s/1")


def test_a_bad_sidecar_is_reported_and_the_file_still_loads(tmp_path):
    corpus = _corpus(tmp_path, ["statement_km_en.html"])
    (corpus / "documents" / "statement_km_en.html.meta.toml").write_text('date = "someday"\ncolour = "red"\n', encoding="utf-8")
    (corpus / "documents" / "gone.pdf.meta.toml").write_text('title = "x"\n', encoding="utf-8")
    result = load_corpus(corpus)
    messages = [str(p) for p in result.problems]
    assert "documents/statement_km_en.html.meta.toml: unknown field 'colour' ignored (known: id, title, organisation, doc_type, date, language, url)" in messages
    assert any(m.startswith("documents/statement_km_en.html: sidecar date 'someday' is not a date") for m in messages)
    assert any(m.startswith("documents/gone.pdf.meta.toml: sidecar for gone.pdf") for m in messages)
    assert [r.source for r in result.records] == ["statement_km_en.html"]


def _check(corpus):
    from bayon.cli import main

    return CliRunner().invoke(main, ["corpus", "check", "--corpus", str(corpus)])


def test_check_names_each_unreadable_file_and_its_reason(tmp_path):
    corpus = _corpus(tmp_path, ["encrypted.pdf", "truncated.pdf", "empty.docx", "wrong_charset.html",
                                "statement_km_en.html"])
    result = _check(corpus)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    reasons = dict(l.split(": ", 1) for l in lines if ": " in l)
    assert "encrypt" in reasons["documents/encrypted.pdf"].lower(), lines
    assert "Error" not in reasons["documents/truncated.pdf"], lines  # a reason, not an exception's name
    assert "documents/empty.docx: empty file (0 bytes)" in lines
    assert any(l.startswith("documents/wrong_charset.html: declares charset 'utf-8'") for l in lines)
    assert "2 records, 3 errors" in lines[-1]


def test_check_exits_zero_when_there_are_only_warnings(tmp_path):
    corpus = _corpus(tmp_path, ["wrong_charset.html", "statement_km_en.html"])
    result = _check(corpus)
    assert result.exit_code == 0, result.output
    assert "2 records, 0 errors" in result.output.splitlines()[-1]


def test_index_leaves_out_unreadable_files_and_indexes_the_rest(tmp_path):
    from bayon.cli import main
    from indexer.search import SearchRequest, SearchService

    corpus = _corpus(tmp_path, ["encrypted.pdf", "truncated.pdf", "empty.docx", "wrong_charset.html",
                                "report_python_docx.docx", "statement_km_en.html"])
    index = tmp_path / "index"
    result = CliRunner().invoke(main, ["index", "--corpus", str(corpus), "--index-dir", str(index), "-q"])
    assert result.exit_code == 0, result.output
    assert "skipped: documents/empty.docx: empty file (0 bytes)" in result.output
    assert "skipped: documents/encrypted.pdf: " in result.output
    service = SearchService(index)
    ids = {hit["id"] for hit in service.search(SearchRequest(q="evictions", per_page=50))["results"]}
    assert {"report-python-docx-docx", "statement-km-en-html"} <= ids
    km = {hit["id"] for hit in service.search(SearchRequest(q="បណ្តេញចេញ", per_page=50))["results"]}
    assert "statement-km-en-html" in km
    cp1252 = {hit["id"] for hit in service.search(SearchRequest(q="overtime", per_page=50))["results"]}
    assert cp1252 == {"wrong-charset-html"}


def test_original_file_served_only_for_indexed_records(tmp_path):
    from indexer.build import build_index
    from webui.app import create_app

    corpus = _corpus(tmp_path, ["report_python_docx.docx", "statement_km_en.html"])
    (corpus / "documents" / "notes.md").write_text("---\ntitle: Notes\norganisation: LICADHO\n---\nSome notes.\n",
                                                   encoding="utf-8")
    build_index(corpus, tmp_path / "index", progress=False)
    (corpus / "documents" / "secret.docx").write_bytes((FIXTURES / "legacy_limon.docx").read_bytes())
    client = create_app(tmp_path / "index").test_client()
    response = client.get("/documents/report-python-docx-docx/original")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response.headers["Content-Disposition"] == "attachment; filename=report_python_docx.docx"
    assert response.data == (FIXTURES / "report_python_docx.docx").read_bytes()
    page = client.get("/documents/statement-km-en-html/original")
    assert page.mimetype == "text/html" and page.headers["Content-Disposition"].startswith("attachment")
    assert client.get("/api/documents/statement-km-en-html").get_json()["original_url"] == \
        "/documents/statement-km-en-html/original"
    document_page = client.get("/documents/statement-km-en-html").get_data(as_text=True)
    assert 'href="/documents/statement-km-en-html/original"' in document_page
    assert "https://www.licadho-cambodia.org/statements/2024/end-forced-evictions" in document_page
    # not indexed, not a publication file, or not an id: nothing from the file system
    for url in ("/documents/secret-docx/original", "/documents/notes/original",
                "/documents/..%2Fsecret.docx/original", "/documents/../../etc/passwd/original"):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/documents/notes").get_json()["original_url"] is None


def test_incremental_build_never_extracts_an_unchanged_file_again(tmp_path, monkeypatch):
    import reading.extract as extract_module
    from indexer.build import build_index

    monkeypatch.setattr(jsonl_documents, "SETTLED_NS", 0)
    corpus = _corpus(tmp_path, ["report_python_docx.docx", "statement_km_en.html"])
    calls: list[str] = []
    real = extract_module.extract

    def counting(path, **kwargs):
        calls.append(path.name)
        return real(path, **kwargs)

    monkeypatch.setattr(extract_module, "extract", counting)
    build_index(corpus, tmp_path / "index", progress=False)
    assert sorted(calls) == ["report_python_docx.docx", "statement_km_en.html"]
    calls.clear()
    shutil.copy(FIXTURES / "legacy_limon.docx", corpus / "documents" / "legacy_limon.docx")
    report = build_index(corpus, tmp_path / "index", incremental=True, progress=False)
    assert calls == ["legacy_limon.docx"]
    assert (report.added, report.unchanged) == (1, 2)
    calls.clear()
    (corpus / "documents" / "_folder.toml").write_text('organisation = "CCHR"\n', encoding="utf-8")
    report = build_index(corpus, tmp_path / "index", incremental=True, progress=False)
    assert sorted(calls) == ["legacy_limon.docx", "report_python_docx.docx", "statement_km_en.html"]
    assert report.updated == 3  # the new default changed every record


@pytest.mark.slow
def test_adding_a_pdf_runs_no_ocr_on_the_scans_already_indexed(tmp_path, monkeypatch):
    """A corpus of scanned PDFs (two different files of the same scan), then one more scan: the
    incremental run OCRs only the new file's pages."""
    import subprocess

    import reading.extract.ocr as ocr
    from indexer.build import build_index

    monkeypatch.setattr(jsonl_documents, "SETTLED_NS", 0)
    corpus = _corpus(tmp_path, ["scan-bulletin.pdf"])
    documents = corpus / "documents"
    subprocess.run(["qpdf", "--linearize", str(FIXTURES / "scan-bulletin.pdf"), str(documents / "scan-linearized.pdf")],
                   check=True)
    pages: list[str] = []
    real = ocr.ocr_page

    def counting(path, number, size, **kwargs):
        pages.append(f"{path.name if hasattr(path, 'name') else path}:{number}")
        return real(path, number, size, **kwargs)

    monkeypatch.setattr(ocr, "ocr_page", counting)
    build_index(corpus, tmp_path / "index", progress=False)
    assert sorted(pages) == ["scan-bulletin.pdf:1", "scan-bulletin.pdf:2", "scan-linearized.pdf:1", "scan-linearized.pdf:2"]
    pages.clear()
    subprocess.run(["qpdf", "--object-streams=generate", str(FIXTURES / "scan-bulletin.pdf"),
                    str(documents / "scan-new.pdf")], check=True)
    report = build_index(corpus, tmp_path / "index", incremental=True, progress=False)
    assert sorted(pages) == ["scan-new.pdf:1", "scan-new.pdf:2"]
    assert (report.added, report.unchanged) == (1, 2)
