# The two commands of the README. Each first makes sure the Debian packages are present.
SHELL := /bin/bash
SWIFT ?= swift
DEBIAN_PACKAGES := libutf8proc-dev unicode-data bzip2 pkg-config
BIN := .build/release/nlp-vanish

.PHONY: run test build deps dependency-check install

run: build
	$(BIN)

# The whole test suite (BrowserReportTests opens the reports in Debian's headless chromium, installed here when
# missing), then 30 s of each file-format fuzzer (fixed seed, so a run is reproducible), then one closing line
# with XCTest's totals.
test: deps
	@if command -v chromium >/dev/null; then :; else $(call APT_INSTALL,chromium); fi
	@mkdir -p .build; set -o pipefail; $(SWIFT) test -c release 2>&1 | tee .build/test-output.log
	$(MAKE) --no-print-directory dependency-check
	$(MAKE) --no-print-directory fuzz FUZZERS="tokenizer safetensors" FUZZ_SECONDS=30 FUZZ_SEED=1
	@awk '/Executed [0-9]+ tests?, with [0-9]+ failures?/ { n = $$2; f = $$5 } \
	  END { if (n == "") exit 1; print "tests: " n - f " passed, " f " failed" }' .build/test-output.log

build: deps
	$(SWIFT) build -c release

# The binary into $(PREFIX)/bin and the bundled corpus into $(PREFIX)/share/nlp-vanish/Corpus, where the binary
# looks for it when run from any folder.
PREFIX ?= /usr/local
install: build
	install -d $(PREFIX)/bin $(PREFIX)/share/nlp-vanish/Corpus
	install -m 755 $(BIN) $(PREFIX)/bin/nlp-vanish
	install -m 644 Corpus/*.txt Corpus/README.md $(PREFIX)/share/nlp-vanish/Corpus/

# docs/memory.md's side-by-side table: tanh, the IRNN, the LSTM and the GRU trained with train's defaults (one layer of
# 320, 8,000 steps; the GRU at its default of 2026-12-03, lr 3e-3 without weight drop) on the bundled corpus, then
# measured together by memory (about 20 min on two cores). A run interrupted part-way continues from its last
# checkpoint; a finished one is not trained again.
MEMORY_DIR ?= runs/memory
.PHONY: memory-side-by-side
memory-side-by-side: build
	@set -e; for spec in "tanh --cell rnn --activation tanh" "irnn --cell rnn --activation relu" "lstm --cell lstm" \
	  "gru --cell gru --lr 3e-3 --weight-drop 0"; do set -- $$spec; name=$$1; shift; \
	  dir=$(MEMORY_DIR)/$$name; resume=; [ -f $$dir/last.safetensors ] && resume="--resume $$dir/last.safetensors"; \
	  $(BIN) train --out $$dir --sample-every 0 --direct-orders 0 $$resume "$$@"; done
	$(BIN) memory --out $(MEMORY_DIR)/side-by-side --force \
	  $(foreach m,tanh irnn lstm gru,--checkpoint $(MEMORY_DIR)/$(m)/best.safetensors)

# Slurm/study-array.sh as a job array on a one-node Slurm cluster started on localhost (Slurm/check.sh), with
# nlp-vanish installed into a scratch prefix; installs Debian's Slurm and munge when missing. Needs root.
SLURM_PACKAGES := slurmctld slurmd slurm-client munge
.PHONY: slurm-check
slurm-check: build
	@if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v sbatch >/dev/null \
	  && command -v munged >/dev/null; then :; else $(call APT_INSTALL,$(SLURM_PACKAGES)); fi
	@prefix=$$(mktemp -d /tmp/nlp-vanish-prefix.XXXXXX) && $(MAKE) --no-print-directory install PREFIX=$$prefix >/dev/null \
	  && Slurm/check.sh $$prefix; status=$$?; rm -rf $$prefix; exit $$status

# Another package depending on Tokenizer and SeqModel by version (`from: "1.0.0"`), as a user's package would:
# a clone of the committed tree tagged 1.0.0, and Tests/DependencyCheck built and run against it. SwiftPM
# refuses unsafe flags (the kernels' -march) in a versioned dependency unless its manifest is tools 6.2 or later.
DEPCHECK_DIR := .build-depcheck
dependency-check: deps
	@rm -rf $(DEPCHECK_DIR) && mkdir -p $(DEPCHECK_DIR)
	git clone -q . $(DEPCHECK_DIR)/nlp-vanish && git -C $(DEPCHECK_DIR)/nlp-vanish tag 1.0.0
	cp -R Tests/DependencyCheck $(DEPCHECK_DIR)/consumer
	sed 's|@NLP_VANISH_URL@|$(CURDIR)/$(DEPCHECK_DIR)/nlp-vanish|' Tests/DependencyCheck/Package.swift.in \
	  > $(DEPCHECK_DIR)/consumer/Package.swift && rm $(DEPCHECK_DIR)/consumer/Package.swift.in
	cd $(DEPCHECK_DIR)/consumer && $(SWIFT) run -c release Consumer

# Shell code that installs the Debian packages $(1), as root or through sudo, or explains why it cannot.
APT_INSTALL = if [ "$$(id -u)" = 0 ]; then sudo=; elif command -v sudo >/dev/null 2>&1; then sudo=sudo; else \
	  echo "error: $(1) are needed and this user cannot install them; run as root: apt-get install -y $(1)" >&2; exit 1; fi; \
	echo "installing $(1)"; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $(1) >/dev/null || { \
	  echo "error: apt-get could not install $(1); install them by hand and run make again" >&2; exit 1; }

# utf8proc (the tokenizer's C library) and Unicode's conformance files (the tokenizer's tests).
deps:
	@if pkg-config --exists libutf8proc 2>/dev/null && [ -f /usr/share/unicode/auxiliary/GraphemeBreakTest.txt ] && command -v bzcat >/dev/null; then exit 0; fi; \
	$(call APT_INSTALL,$(DEBIAN_PACKAGES))

# libFuzzer targets (Fuzz/*.swift), each compiled with the library sources it exercises into .build-fuzz/ and
# run for FUZZ_SECONDS on a scratch copy of its committed seeds (Fuzz/corpus/<name>/); a crash, a broken
# invariant or an AddressSanitizer report fails the target and leaves the input in .build-fuzz/<name>-crash-*.
SWIFTC ?= swiftc
FUZZ_SECONDS ?= 30
FUZZ_SEED ?= 0
FUZZ_DIR := .build-fuzz
FUZZERS := tokenizer safetensors command-line
FUZZ_FLAGS := -parse-as-library -O -sanitize=fuzzer,address -use-ld=lld

.PHONY: fuzz sanitize

fuzz: $(FUZZERS:%=$(FUZZ_DIR)/%-fuzz)
	@for name in $(FUZZERS); do \
	  rm -rf $(FUZZ_DIR)/corpus/$$name && mkdir -p $(FUZZ_DIR)/corpus/$$name && cp Fuzz/corpus/$$name/* $(FUZZ_DIR)/corpus/$$name/; \
	  echo "fuzz: $$name for $(FUZZ_SECONDS) s (log: $(FUZZ_DIR)/$$name.log)"; \
	  SWIFT_BACKTRACE=enable=no $(FUZZ_DIR)/$$name-fuzz -max_total_time=$(FUZZ_SECONDS) -seed=$(FUZZ_SEED) -timeout=20 -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_DIR)/$$name- $(FUZZ_DIR)/corpus/$$name >$(FUZZ_DIR)/$$name.log 2>&1 \
	    || { tail -n 60 $(FUZZ_DIR)/$$name.log; echo "fuzz: $$name failed"; exit 1; }; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' $(FUZZ_DIR)/$$name.log; \
	done

$(FUZZ_DIR)/tokenizer-fuzz: Fuzz/TokenizerFuzz.swift $(wildcard Sources/Tokenizer/*.swift) | deps
	@mkdir -p $(@D)
	$(SWIFTC) $(FUZZ_FLAGS) -module-name Tokenizer -I Sources/CUtf8proc -lutf8proc $^ -o $@

$(FUZZ_DIR)/safetensors-fuzz: Fuzz/SafeTensorsFuzz.swift Sources/SeqModel/SafeTensors.swift
	@mkdir -p $(@D)
	$(SWIFTC) $(FUZZ_FLAGS) -module-name SeqModel $^ -o $@

# The command line: ArgumentParser (instrumented too, so the fuzzer learns its states) and the CLI sources with
# the entry point renamed so that libFuzzer's `main` runs; Tokenizer and the Seq* modules get AddressSanitizer, not coverage.
FUZZ_OBJ := $(FUZZ_DIR)/obj
FUZZ_AP := $(FUZZ_DIR)/spm/checkouts/swift-argument-parser/Sources
# As Package.swift: AVX2 + FMA on x86-64 (AVX-512 for the one kernel module), the compiler's default elsewhere.
FUZZ_MARCH := $(if $(filter x86_64,$(shell uname -m)),-Xcc -march=x86-64-v3)
# The library's layers in import order: each is compiled against the modules before it.
SEQ_MODULES := SeqKernels SeqModel SeqTraining SeqStudy SeqProfile
FUZZ_MARCH512 := $(if $(filter x86_64,$(shell uname -m)),-Xcc -march=x86-64-v4)

$(FUZZ_DIR)/command-line-fuzz: Fuzz/CommandLineFuzz.swift $(shell find Sources -name '*.swift' -o -name '*.c' -o -name '*.h') | deps
	@mkdir -p $(FUZZ_OBJ)/cfloat
	$(SWIFT) package resolve --scratch-path $(FUZZ_DIR)/spm
	printf 'module CFloatControl {\n header "%s"\n export *\n}\n' "$(CURDIR)/Sources/CFloatControl/include/FloatControl.h" \
	  > $(FUZZ_OBJ)/cfloat/module.modulemap
	$(dir $(shell command -v $(SWIFTC)))clang -O2 -c Sources/CFloatControl/FloatControl.c -I Sources/CFloatControl/include \
	  -o $(FUZZ_OBJ)/CFloatControl.o
	$(SWIFTC) -wmo -parse-as-library -O -sanitize=fuzzer,address -module-name ArgumentParserToolInfo -emit-module \
	  -emit-module-path $(FUZZ_OBJ)/ArgumentParserToolInfo.swiftmodule -c $(FUZZ_AP)/ArgumentParserToolInfo/*.swift \
	  -o $(FUZZ_OBJ)/ArgumentParserToolInfo.o
	find $(FUZZ_AP)/ArgumentParser -name '*.swift' -print0 | xargs -0 $(SWIFTC) -wmo -parse-as-library -O \
	  -sanitize=fuzzer,address -I $(FUZZ_OBJ) -module-name ArgumentParser -emit-module \
	  -emit-module-path $(FUZZ_OBJ)/ArgumentParser.swiftmodule -c -o $(FUZZ_OBJ)/ArgumentParser.o
	$(SWIFTC) -wmo -parse-as-library -O -sanitize=address -module-name Tokenizer -I Sources/CUtf8proc -emit-module \
	  -emit-module-path $(FUZZ_OBJ)/Tokenizer.swiftmodule -c Sources/Tokenizer/*.swift -o $(FUZZ_OBJ)/Tokenizer.o
	$(SWIFTC) -wmo -parse-as-library -O -sanitize=address -module-name AVX512Kernels $(FUZZ_MARCH512) \
	  -enforce-exclusivity=unchecked -emit-module -emit-module-path $(FUZZ_OBJ)/AVX512Kernels.swiftmodule \
	  -c Sources/AVX512Kernels/*.swift -o $(FUZZ_OBJ)/AVX512Kernels.o
	for module in $(SEQ_MODULES); do \
	  $(SWIFTC) -wmo -parse-as-library -O -sanitize=address -module-name $$module -I $(FUZZ_OBJ) -I $(FUZZ_OBJ)/cfloat \
	    $(FUZZ_MARCH) -enforce-exclusivity=unchecked -emit-module -emit-module-path $(FUZZ_OBJ)/$$module.swiftmodule \
	    -c Sources/$$module/*.swift -o $(FUZZ_OBJ)/$$module.o || exit 1; \
	done
	$(SWIFTC) $(FUZZ_FLAGS) -module-name nlp_vanish -Xfrontend -entry-point-function-name -Xfrontend nlp_vanish_main \
	  -I $(FUZZ_OBJ) -I $(FUZZ_OBJ)/cfloat -I Sources/CUtf8proc $$(find Sources/nlp-vanish -name '*.swift') $< \
	  $(FUZZ_OBJ)/*.o -lutf8proc -o $@

# The kernel, model and tokenizer tests under AddressSanitizer, and the multi-threaded paths (runInParallel in
# process, and a 2-thread study through the binary) under ThreadSanitizer. Release builds: debug SIMD code is
# hundreds of times slower. A sanitizer report fails the test run; the suppression file hides only the test cases
# XCTest itself leaks on Linux (see the file).
sanitize: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Fuzz/lsan-xctest.supp \
	  $(SWIFT) test -c release --sanitize=address --scratch-path .build-asan --filter "TokenizerTests|Seq(Kernels|Model|Training|Study|Profile)Tests"
	$(SWIFT) test -c release --sanitize=thread --scratch-path .build-tsan --filter "ParallelRunsTests|StudyCommandTests"

# nlp-vanish against oneDNN and PyTorch, one thread, interleaved, and its GEMMs against OpenBLAS (through NumPy);
# prints the ratio tables. The peers are the programs of Benchmarks/compare/peers/ (the same training step on
# oneDNN's RNN primitives and in PyTorch), built and run by Benchmarks/compare/compare.py. Installs what they need
# when missing: Debian's libdnnl-dev, and PyTorch and NumPy from PyPI (about 4 GB; if pip cannot, the tables leave
# PyTorch out and say so). They are measuring tools, never linked into nlp-vanish. Takes about 25 minutes
# (20 rows; --configs / --nl in compare.py narrow it).
.PHONY: compare compare-deps
compare: build compare-deps
	python3 Benchmarks/compare/compare.py --nlp-vanish $(BIN)

compare-deps:
	@if [ -f /usr/include/oneapi/dnnl/dnnl.hpp ]; then exit 0; fi; $(call APT_INSTALL,libdnnl-dev)
	@python3 -c 'import torch, numpy' 2>/dev/null || { echo "installing PyTorch and NumPy from PyPI (about 4 GB)"; \
	  python3 -m pip install -q torch numpy || echo "note: pip could not install torch and numpy" >&2; }
