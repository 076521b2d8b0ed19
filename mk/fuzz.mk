# mk/fuzz.mk: fuzzing with libFuzzer (clang), and the replay of every seed
# and every input that once crashed as part of `make check`.
#   make fuzz                    each target for FUZZ_SECONDS (default 60)
#   FUZZ_SECONDS=5 make fuzz     a quick run
#   make fuzz FUZZ_TARGETS=table only some targets
# New crashes go to tests/fuzz/crashes/<target>/; what the fuzzer learns
# (its growing corpus) stays in $(FUZZ_BUILD)/corpus/<target>/.

FUZZ_ALL      := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_TARGETS  ?= $(FUZZ_ALL)
FUZZ_SECONDS  ?= 60
FUZZ_BUILD    ?= build-fuzz
FUZZ_CC       ?= clang
# clang, and libclang-rt-dev for the default clang's compiler-rt (its
# libclang-rt-14-dev holds libclang_rt.fuzzer*.a, libFuzzer's runtime)
FUZZ_PKGS      = clang libclang-rt-dev
FUZZ_SAN       = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_FLAGS     = -timeout=10 -rss_limit_mb=2048

# ------------------------------------------------ replay in `make check`
# build/tests/test_fuzz_<target>: replay.c's main over the target, built by
# the normal and the ASan build alike; tests/run.sh runs them.
FUZZ_REPLAY_BIN := $(FUZZ_ALL:%=$(BUILD)/tests/test_fuzz_%)
TOOL_NOMAIN_OBJ := $(filter-out $(BUILD)/tools/main.o,$(TOOL_OBJ))
TOOLS_LIBA      := $(BUILD)/libgpcov-tools.a

all: $(FUZZ_REPLAY_BIN)

$(TOOLS_LIBA): $(TOOL_NOMAIN_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h \
                            $(TOOLS_LIBA) $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  CC $< (replay)"
	@$(CC) $(ALL_CFLAGS) -DFUZZ_TARGET='"$*"' -o $@ tests/fuzz/replay.c $< \
	  $(TOOLS_LIBA) $(LIBA) $(ALL_LDFLAGS) $(PKG_LIBS)

# ---------------------------------------------------------- make fuzz
.PHONY: fuzz fuzz-build fuzz-run
fuzz:
	@$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEB_PKGS) $(FUZZ_PKGS)"
	@$(MAKE) --no-print-directory fuzz-build
	@$(MAKE) --no-print-directory fuzz-run

# The library and the tool objects compiled by clang with coverage for the
# fuzzer (fuzzer-no-link) and the sanitizers, in their own build directory.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=$(FUZZ_CC) OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=fuzzer-no-link $(FUZZ_SAN)' $(FUZZ_BUILD)/libgpcov.a $(FUZZ_BUILD)/libgpcov-tools.a
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz/fuzz_%)

$(FUZZ_BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_BUILD)/libgpcov.a \
                           $(FUZZ_BUILD)/libgpcov-tools.a
	@mkdir -p $(dir $@)
	@echo "  FUZZ $<"
	@$(FUZZ_CC) $(WARN) -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer $(FUZZ_SAN) \
	  $(CPPFLAGS) $(PKG_CFLAGS) -o $@ $< $(FUZZ_BUILD)/libgpcov-tools.a $(FUZZ_BUILD)/libgpcov.a \
	  $(PKG_LIBS)

fuzz-run:
	@FUZZ_BUILD=$(FUZZ_BUILD) FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_FLAGS='$(FUZZ_FLAGS)' \
	  sh tests/fuzz/run.sh $(FUZZ_TARGETS)

.PHONY: fuzz-clean
clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_BUILD)
