# Set-up on a fresh machine: `make run` and `make test` both start with `make install`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
BAYON := $(VENV)/bin/bayon
STAMP := $(VENV)/.installed

.PHONY: install browser extraction-tools test-tools axe lighthouse run test index clean

install: $(STAMP) extraction-tools

# What reading.extract runs as programs: Poppler (pdftotext, pdftoppm) and Tesseract with its
# Khmer and English models (Debian packages; installed only when missing, as root or with sudo).
EXTRACTION_PACKAGES := poppler-utils tesseract-ocr tesseract-ocr-khm tesseract-ocr-eng
extraction-tools:
	@missing=""; for p in $(EXTRACTION_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then \
	  echo "extraction tools present (pdftotext, tesseract khm+eng)"; \
	elif ! command -v apt-get >/dev/null 2>&1; then \
	  echo "warning: install$$missing (no apt-get here): PDF pages needing OCR are reported, not read"; \
	else \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Re-runs whenever pyproject.toml changes; creates .venv if it does not exist.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Headless Chromium and its driver for the browser tests (Debian packages).
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
	  echo "chromium and chromedriver present"; \
	else \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi

# Programs only the tests run: qpdf rewrites a fixture PDF into other files of the same pages
# (linearized, object streams) for the incremental-OCR test (Debian package).
TEST_PACKAGES := qpdf
test-tools:
	@missing=""; for p in $(TEST_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -z "$$missing" ]; then \
	  echo "test tools present (qpdf)"; \
	else \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

# Builds the index from corpus/ when there is none yet, then serves the UI.
run: install
	@$(BAYON) index --if-missing
	$(BAYON) serve --host 127.0.0.1 --port 8000

index: install
	$(BAYON) index

# axe-core (accessibility engine, MPL-2.0) for the browser tests and Lighthouse (Apache-2.0) for
# bench/lighthouse.py, both pinned in package-lock.json (npm ci installs both; Lighthouse drives
# Debian chromium through CHROME_PATH and downloads no browser of its own).
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

# Lighthouse accessibility and layout shift of each page state at phone and desktop width against
# a real `bayon serve`; writes the table in docs/webui.md (about 5 minutes, so not part of `make test`).
lighthouse: install browser axe
	$(PY) bench/lighthouse.py

test: install browser test-tools axe
	$(PY) -m pytest

clean:
	rm -rf $(VENV) var build node_modules
