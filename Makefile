# threadlib: every target sets up .venv first (Python 3.11+ and pip are all it needs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
THREAD ?= data/threads/iraq.txt

.PHONY: help report test bench clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP) ## write the reports for the sample thread into reports/
	$(VENV)/bin/threadlib extract posts $(THREAD) --format csv -o reports/$(notdir $(basename $(THREAD)))/posts.csv
	$(VENV)/bin/threadlib extract posts $(THREAD) -o reports/$(notdir $(basename $(THREAD)))/posts.jsonl
	@echo "reports written to reports/$(notdir $(basename $(THREAD)))/"

test: $(STAMP) ## run the whole test suite
	$(PY) -m pytest

bench: $(STAMP) ## time the parser and extractors on a large thread (BENCH_MB=50)
	$(PY) benchmarks/bench.py --mb $${BENCH_MB:-50}

clean: ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports/*/
