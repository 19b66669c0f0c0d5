# IDI Inspector: `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# Debian packages the tests and the GUI need (installed only when run as root, e.g. in CI).
DEB_PACKAGES := xvfb poppler-utils qpdf fonts-noto-cjk libegl1 libxkbcommon0 libxkbcommon-x11-0 \
                libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 \
                libxcb-render-util0 libxcb-image0 libfontconfig1 libdbus-1-3 postgresql

.PHONY: setup run test bench lint demo clean screenshots

QM     := resources/i18n/inspector_en.qm

setup: $(STAMP) $(QM)

# UI translations: the .ts (Qt Linguist, committed) compiled to the .qm Qt loads.
$(QM): resources/i18n/inspector_en.ts $(STAMP)
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

$(STAMP): pyproject.toml
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	  missing=""; for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null) \
	    || echo "warning: could not install$$missing; tests that need them will say so"; fi; \
	fi
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	$(PY) -m pip install -q --disable-pip-version-check -e '.[gui,dev,server]'
	@touch $(STAMP)

run: setup
	$(PY) -m inspector_app

test: setup
	$(PY) -m ruff check inspector_app platform_server tests bench scripts packaging
	$(PY) -m mypy inspector_app platform_server
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -q

bench: setup
	$(PY) bench/photo_import.py
	$(PY) bench/findings_table.py
	$(PY) bench/startup.py
	$(PY) bench/photo_strip.py
	$(PY) bench/report_final.py
	$(PY) bench/sync_upload.py
	$(PY) bench/gate.py
	$(PY) bench/team_sync.py
	$(PY) bench/hostile.py

demo: setup
	$(PY) -m inspector_app demo

# A one-folder standalone build in dist/idi-inspector/ (PyInstaller, from build_spec.spec).
dist: setup
	$(PY) -m pip install -q --disable-pip-version-check -e '.[gui,dev,server,build]'
	$(PY) packaging/build_info.py
	$(VENV)/bin/pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build_spec.spec

# Build, then from the built folder only (empty data folder, no source on the path): demo
# project, issued final report, PDF fonts embedded and Chinese text extractable; prints size and timings.
dist-test: dist
	$(PY) packaging/smoke_test.py dist/idi-inspector

translations: setup
	QT_QPA_PLATFORM=offscreen $(PY) scripts/update_translations.py

clean:
	rm -rf $(VENV) build dist .pytest_cache

screenshots: setup
	xvfb-run -a -s "-screen 0 1366x768x24" $(PY) scripts/screenshots.py
