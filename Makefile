# The two commands of the README. Each first makes sure the Debian packages are present.
SWIFT ?= swift
DEBIAN_PACKAGES := libutf8proc-dev unicode-data bzip2 pkg-config
BIN := .build/release/nlp-vanish

.PHONY: run test build deps

run: build
	$(BIN)

test: deps
	$(SWIFT) test -c release

build: deps
	$(SWIFT) build -c release

# utf8proc (the tokenizer's C library) and Unicode's conformance files (the tokenizer's tests).
deps:
	@if pkg-config --exists libutf8proc 2>/dev/null && [ -f /usr/share/unicode/auxiliary/GraphemeBreakTest.txt ] && command -v bzcat >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else \
	  echo "error: $(DEBIAN_PACKAGES) are needed and this user cannot install them; run as root: apt-get install -y $(DEBIAN_PACKAGES)" >&2; exit 1; fi; \
	echo "installing $(DEBIAN_PACKAGES)"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $(DEBIAN_PACKAGES) >/dev/null || { \
	  echo "error: apt-get could not install $(DEBIAN_PACKAGES); install them by hand and run make again" >&2; exit 1; }
