# cce-image-wizard: the builder kit and the wizard.
#
#   make image    build the image the classic way: export the variables, then run this
#   make wizard   the interactive wizard (installs and builds what it needs first)
#   make test     the tests;  make lint: typecheck, shellcheck, packer fmt -check
#   make test-load  the end-to-end tests with every core kept busy by CPU burners
#   make bench    the benchmarks;  make clean: remove build output and logs
#   make ci-local .ci/run in a fresh clone, as CI runs it
#
# In a folder laid out by `cce-image-wizard init` (no source/), `make wizard` runs the
# published wizard with npx, and the developer targets say they need the source.

SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm
SHELL_SCRIPTS := packer.sh scripts/*.sh user-scripts/*.sh $(wildcard .ci/run)
HAVE_SOURCE := $(wildcard source/cli.tsx)
# $(call tool,NAME): true when NAME is installed; otherwise skip (exit 0 with a note) or, in CI, fail.
tool = { command -v $(1) >/dev/null || { if [ -n "$$CI" ]; then echo "lint: $(1) is not installed" >&2; exit 1; else echo "lint: skipped $(1) (not installed)"; exit 0; fi; }; }

.PHONY: help image wizard test test-load lint bench clean build deps need-source ci-local

help:
	@sed -n 's/^#   //p' Makefile

image:
	./packer.sh

ifeq ($(HAVE_SOURCE),)
# The published wizard; before it is on the registry: make wizard CCE_WIZARD='npx /path/to/cce-image-wizard-<version>.tgz'
CCE_WIZARD ?= npx --yes cce-image-wizard
wizard:
	$(CCE_WIZARD) $(ARGS)

test test-load lint bench build deps ci-local: need-source
need-source:
	@echo "make $(MAKECMDGOALS): this folder holds the kit only; run it in a clone of cce-image-wizard." >&2; exit 2
else
# Install when package-lock.json is newer than the last install; build when a source is newer than dist/.
node_modules/.package-lock.json: package-lock.json package.json
	$(NPM) ci --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json

dist/cli.js: node_modules/.package-lock.json tsconfig.json tsconfig.build.json $(shell find source -name '*.ts' -o -name '*.tsx')
	$(NPM) run --silent build
	@chmod +x dist/cli.js

build: dist/cli.js

wizard: dist/cli.js
	node dist/cli.js $(ARGS)

test: dist/cli.js
	$(NPM) run --silent test

# The end-to-end files on oversubscribed cores (one CPU burner per core): tests must wait on
# conditions, with limits that hold on a loaded machine. The burners stop by themselves.
test-load: dist/cli.js
	node tools/test-load.mjs

# A linter that is not installed is skipped with a note on a developer's machine; in CI it fails.
lint: deps
	$(NPM) run --silent typecheck
	@$(call tool,shellcheck) && shellcheck $(SHELL_SCRIPTS) && echo "shellcheck: clean"
	@$(call tool,packer) && packer fmt -check turbo-node.pkr.hcl && echo "packer fmt: clean"

bench: dist/cli.js
	$(NPM) run --silent bench

ci-local: deps
	node tools/ci-in-clean-clone.mjs
endif

clean:
	rm -rf dist logs *.tgz
