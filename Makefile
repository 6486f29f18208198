# The two commands a fresh machine needs: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
KIZASHI := $(VENV)/bin/kizashi
DEMO_DB ?= data/demo.db

.PHONY: demo test install clean-demo

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(KIZASHI) --db $(DEMO_DB) ingest samples
	$(KIZASHI) --db $(DEMO_DB) summary

test: $(VENV)/.installed
	$(PY) -m pytest -q

clean-demo:
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
