# threadlib: every target sets up .venv first (Python 3.11+ and pip are all it needs).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
THREAD ?= data/threads/iraq.txt

.PHONY: help report test quality train bench bench-corpus lab notebooks clean

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

report: $(STAMP) ## write the HTML reports for the sample thread into reports/ (open reports/index.html)
	$(VENV)/bin/threadlib report $(THREAD) --out reports

test: $(STAMP) ## run the whole test suite
	$(PY) -m pytest

lab: $(STAMP) ## open JupyterLab at the project root on notebooks/, the venv's commands on PATH (LAB_ARGS="--port 8899 --no-browser" passes options)
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" $(VENV)/bin/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root) \
	  --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks $(LAB_ARGS)

notebooks: $(STAMP) ## re-run the notebooks in place, on purpose, so that their stored outputs (which nbval checks) change
	cd notebooks && for nb in *.ipynb; do ../$(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace \
	  --ClearMetadataPreprocessor.enabled=True --ClearMetadataPreprocessor.preserve_cell_metadata_mask=tags \
	  --ClearMetadataPreprocessor.preserve_nb_metadata_mask=kernelspec \
	  --ClearMetadataPreprocessor.preserve_nb_metadata_mask=language_info "$$nb" || exit 1; done

quality: $(STAMP) ## gold scores of every kind on the sample and on GOLD_DIRS="dir ..." (each thread.txt + gold/*.jsonl)
	$(PY) -m threadlib.quality $(strip $(GOLD_DIRS))

train: $(STAMP) ## rebuild the stance model from the sample and GOLD_DIRS="dir ..." (annotated threads), measured leave-one-thread-out
	@test -n "$(strip $(GOLD_DIRS))" || { echo "make train: name the annotated threads, GOLD_DIRS=\"dir ...\" (the shipped model is trained on the sample and the development threads)"; exit 2; }
	$(PY) -m threadlib.learning --sample $(strip $(GOLD_DIRS)) -o src/threadlib/models/positions.json

bench: $(STAMP) ## time the parser and extractors on a large thread (BENCH_MB=50); growth on pathological shapes, memory of one huge post (BENCH_POST_MB=20); report against extract time (BENCH_REPORT_THREADS="paths")
	$(PY) benchmarks/bench.py --mb $${BENCH_MB:-50}
	$(PY) benchmarks/growth.py --post-mb $${BENCH_POST_MB:-20}
	$(PY) benchmarks/bench_report.py $(or $(BENCH_REPORT_THREADS),data/threads/iraq.txt data/threads/practice_sahel.txt)

bench-corpus: $(STAMP) ## many threads: --jobs 1, --jobs 2, Dask, incremental, memory (CORPUS_THREADS=2000 CORPUS_MB=440)
	$(PY) benchmarks/bench_corpus.py --threads $${CORPUS_THREADS:-2000} --mb $${CORPUS_MB:-440} $(BENCH_CORPUS_ARGS)

clean: ## remove the virtual environment and generated reports
	rm -rf $(VENV) reports/*/ reports/index.html reports/corpus.html reports/manifest.json reports/threadlib-charts.js reports/threadlib-page.css
