"""Publication files end to end in a real headless Chromium: a PDF, a DOCX and an HTML page (Khmer
and English) dropped in a corpus's documents/ folder, indexed with `bayon index`, found by an English
and by a Khmer word, opened, and their original downloaded byte for byte."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from extraction_quality import FIXTURES
from browser_session import headless_chromium, serving
from test_browser_webui import wait_for

pytestmark = pytest.mark.browser

# file -> (record id, an English word of it, a Khmer word of it)
FILES = {
    "chromium-noto-report.pdf": ("licadho-chromium-noto-report-pdf", "nineteen", "ដប់ប្រាំបួន"),
    "report_python_docx.docx": ("licadho-report-python-docx-docx", "Thpong", "ឱរ៉ាល់"),
    "statement_km_en.html": ("licadho-statement-km-en-html", "Speu", "បង្ខំ"),
}


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    from webui import create_app

    root = tmp_path_factory.mktemp("documents-e2e")
    folder = root / "corpus" / "documents" / "licadho"
    folder.mkdir(parents=True)
    for name in FILES:
        shutil.copy(FIXTURES / name, folder / name)
    (folder / "_folder.toml").write_text('organisation = "LICADHO"\n', encoding="utf-8")
    env = dict(os.environ, BAYON_EXTRACT_CACHE=str(root / "cache"))
    bayon = Path(sys.executable).with_name("bayon")
    built = subprocess.run([str(bayon), "index", "--corpus", str(root / "corpus"), "--index-dir", str(root / "index"), "-q"],
                           env=env, capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    with serving(create_app(root / "index")) as url:
        yield url, folder


@pytest.fixture(scope="module")
def downloading_browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    with headless_chromium(downloads=downloads) as driver:
        yield driver, downloads


def _result_ids(driver) -> list[str]:
    from selenium.webdriver.common.by import By

    hrefs = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, ".result h3 a")]
    return [h.split("/documents/", 1)[1].split("?", 1)[0] for h in hrefs]


@pytest.mark.parametrize("name", list(FILES))
def test_find_open_and_download_each_publication_file(name, corpus_server, downloading_browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    base_url, folder = corpus_server
    driver, downloads = downloading_browser
    doc_id, english, khmer = FILES[name]
    for word in (english, khmer):
        driver.get(f"{base_url}/?lang=en")
        box = driver.find_element(By.ID, "q")
        box.send_keys(word, Keys.ENTER)
        wait_for(driver, lambda d: "q=" in d.current_url)
        assert doc_id in _result_ids(driver), (word, _result_ids(driver))
    driver.find_element(By.CSS_SELECTOR, f'.result h3 a[href*="/documents/{doc_id}"]').click()
    wait_for(driver, lambda d: f"/documents/{doc_id}" in d.current_url)
    assert khmer in driver.find_element(By.CSS_SELECTOR, ".body-text").text
    assert driver.find_element(By.CSS_SELECTOR, ".doc-meta").text.count("LICADHO") >= 1
    link = driver.find_element(By.CSS_SELECTOR, "a.original-file")
    assert link.get_attribute("href") == f"{base_url}/documents/{quote(doc_id)}/original"
    link.click()
    target = downloads / name
    deadline = time.monotonic() + 20
    while not (target.is_file() and not list(downloads.glob("*.crdownload"))) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.read_bytes() == (folder / name).read_bytes()
