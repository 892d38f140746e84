# wasmlab: one plain Makefile for libwasm, the tools in cmd/, tests and examples.
# Sources are found by wildcard: a new .c file needs no edit here.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
CC         ?= cc
OPT        ?= -O2 -g
SANITIZE   ?=

ifeq ($(SANITIZE),1)
BUILD      ?= build-asan
SANFLAGS   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
              -DWLAB_CHECK_FACC
OPT        := -O1 -g
else
BUILD      ?= build
SANFLAGS   :=
endif

WARN       := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CFLAGS     ?=
# -fno-math-errno: nothing reads errno after sqrt and the like, and with it
# sqrt is one instruction (without, a negative operand calls libm, and a
# tail-called handler that can call saves registers on its every run).
# -ffunction-sections: for wlab-run's link order (RUN_ORDER below).
ALLCFLAGS  := -std=c11 $(WARN) $(OPT) $(SANFLAGS) -fno-math-errno -ffunction-sections \
	      -D_POSIX_C_SOURCE=200809L $(CFLAGS)
CPPFLAGS   := -Ilibwasm/include -Ilibwasm/src -DWLAB_VERSION='"$(VERSION)"'
LDLIBS     := -lm

# The compiler and flags $(BUILD) was built with, in $(BUILD)/.flags: when
# they change (CC=clang, CFLAGS=-DWLAB_NO_DIRECT, OPT=...), the file is
# rewritten as make starts and everything built from C is built again.
FLAGS_FILE := $(BUILD)/.flags
FLAGS_NOW  := $(CC) $(CPPFLAGS) $(ALLCFLAGS)
ifneq ($(FLAGS_NOW),$(file <$(FLAGS_FILE)))
$(shell mkdir -p $(BUILD))
$(file >$(FLAGS_FILE),$(FLAGS_NOW))
endif

LIB_SRC    := $(wildcard libwasm/src/*.c libwasm/src/rt/*.c libwasm/src/wat/*.c)
LIB_OBJ    := $(LIB_SRC:libwasm/src/%.c=$(BUILD)/obj/libwasm/%.o)
LIB_HDR    := libwasm/include/wlab.h $(wildcard libwasm/include/wlab/*.h libwasm/include/wlab/*.def libwasm/src/*.h libwasm/src/rt/*.h libwasm/src/wat/*.h)
LIBA       := $(BUILD)/lib/libwasm.a
LIBSO      := $(BUILD)/lib/libwasm.so
PCFILE     := $(BUILD)/lib/pkgconfig/libwasm.pc

TOOLS      := $(notdir $(wildcard cmd/*))
TOOL_BINS  := $(TOOLS:%=$(BUILD)/bin/%)

FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRC:tests/fuzz/fuzz_%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(BUILD)/tests/fuzz/replay_%)

TESTTOOL_SRC := $(wildcard tests/tools/*.c)
TESTTOOL_BINS := $(TESTTOOL_SRC:tests/tools/%.c=$(BUILD)/tests/bin/%)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
UNIT_HELP  := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

.PHONY: all lib tools testbins test test-sanitize bench demo examples serve serve-hello web deps install clean fuzz fuzz-build
all: lib tools

lib: $(LIBA) $(LIBSO) $(PCFILE)
tools: $(TOOL_BINS)
testbins: $(TESTTOOL_BINS) $(UNIT_BINS) $(REPLAY_BINS)

# Hidden by default: libwasm.so exports only what the public headers mark
# WLAB_API (wlab/api.h); tests/embed/ checks the list.
$(BUILD)/obj/libwasm/%.o: libwasm/src/%.c $(LIB_HDR) $(FLAGS_FILE)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -fPIC -fvisibility=hidden -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(LIBSO): $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -shared -Wl,-soname,libwasm.so.0 -o $@ $^ $(LDLIBS)

$(PCFILE): libwasm/libwasm.pc.in Makefile
	@mkdir -p $(dir $@)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' $< > $@

# Each cmd/<tool>/ directory is one program made of all its .c files.
.SECONDEXPANSION:
$(BUILD)/bin/%: $$(wildcard cmd/%/*.c) $$(wildcard cmd/%/*.h) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Icmd/$* $(ALLCFLAGS) -o $@ $(filter %.c,$^) $(LIBA) \
		$(LINK_FLAGS_$*) $(LDLIBS)

# wlab-run's link puts the functions a run executes (decode, validate,
# instantiate, translate, run, WASI: cmd/wlab-run/run-order.ld, written by
# scripts/run-order.py) together at the head of its text, each in its own
# section (-ffunction-sections, every build), and the cold ones (errors,
# text format, DWARF, SIMD, GC...) after them: the kernel maps a program's
# file pages 64 KiB around each fault, and a run keeps about 170 of the
# 390 KiB of text resident instead of 320. Where the linker takes the
# script (GNU ld; lld 14 refuses a .text inserted before .text, and links
# in the archive's order). Relative relocations are packed (RELR) when the
# linker takes the flag: 52 KiB fewer read at start-up (docs/benchmarks.md,
# "f64 forms and peak RSS", "Peak RSS and the run's text").
RUN_ORDER  := cmd/wlab-run/run-order.ld
comma      := ,
# $(call link_flag,FLAG,EXTRA): FLAG when $(CC) links a program with it (and EXTRA).
link_flag   = $(shell echo 'int main(void){return 0;}' | $(CC) -ffunction-sections -x c - \
	-o /dev/null $(1) $(2) 2>/dev/null && echo $(1))
ORDER_FLAG := $(call link_flag,-Wl$(comma)-T$(comma)$(RUN_ORDER))
RELR_FLAG  := $(call link_flag,-Wl$(comma)-z$(comma)pack-relative-relocs,-Wl$(comma)--fatal-warnings)
LINK_FLAGS_wlab-run := $(RELR_FLAG) $(ORDER_FLAG)
$(BUILD)/bin/wlab-run: $(RUN_ORDER)

$(BUILD)/tests/bin/%: tests/tools/%.c $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALLCFLAGS) -o $@ $< $(LIBA) $(LDLIBS)

$(BUILD)/tests/unit/%: tests/unit/%.c $(UNIT_HELP) $(wildcard tests/unit/*.h) tests/fs_tree.h $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/unit $(ALLCFLAGS) -o $@ $< $(UNIT_HELP) $(LIBA) -lcmocka $(LDLIBS)

# A fuzz target without libFuzzer (tests/fuzz/replay.c): the `fuzz` suite
# replays tests/fuzz/regressions/NAME/ through it, with the build's compiler.
$(BUILD)/tests/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/fs_tree.h $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Itests/fuzz $(ALLCFLAGS) -o $@ $< tests/fuzz/replay.c $(LIBA) $(LDLIBS)

# libFuzzer targets (tests/fuzz/fuzz_*.c, docs/fuzzing.md): libwasm built
# again with clang's coverage and sanitizers into $(FUZZ_DIR), one binary
# per target. `make fuzz` builds and runs each for FUZZ_SECONDS (default
# 60; FUZZ_TARGETS="run link" picks some, FUZZ_JOBS how many at once).
FUZZ_CC    ?= clang-14
FUZZ_OPT   ?= -O1
FUZZ_DIR   ?= $(BUILD)/fuzz
FUZZ_SAN   := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS := -std=c11 -g $(FUZZ_OPT) $(FUZZ_SAN) -D_POSIX_C_SOURCE=200809L
FUZZ_LIBOBJ := $(LIB_SRC:libwasm/src/%.c=$(FUZZ_DIR)/obj/%.o)
FUZZ_BINS  := $(FUZZ_NAMES:%=$(FUZZ_DIR)/fuzz_%)

$(FUZZ_DIR)/obj/%.o: libwasm/src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_DIR)/libwasm-fuzz.a: $(FUZZ_LIBOBJ)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/fs_tree.h $(FUZZ_DIR)/libwasm-fuzz.a
	$(FUZZ_CC) $(CPPFLAGS) -Itests/fuzz $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	  $(FUZZ_DIR)/libwasm-fuzz.a $(LDLIBS)

fuzz-build: $(FUZZ_BINS)

# `make fuzz` also runs the differential suite on FUZZ_DIFF_N modules per feature
# set (make test runs 128; the first ones come from its cache).
FUZZ_DIFF_N ?= 1024
fuzz: fuzz-build all testbins
	BUILD=$(BUILD) FUZZ_DIR=$(FUZZ_DIR) python3 -B tests/fuzz/run_fuzz.py
	BUILD=$(BUILD) DIFF_N=$(FUZZ_DIFF_N) python3 -B tests/differential/diff_exec.py

# The whole test suite; the last line it prints is `N passed, N failed`.
test: all testbins
	BUILD=$(BUILD) SANITIZE=$(SANITIZE) bash scripts/run-tests.sh

# Unit tests, spec decoding and the mutation sweep under ASan and UBSan.
test-sanitize:
	$(MAKE) SANITIZE=1 test

# The explorer in the browser (docs/wlab-explore.md, "The page"): libwasm and
# wlab-explore's printers (all of cmd/wlab-explore/ but main.c and html.c) compiled with
# clang for wasm32-wasi (wasi-libc) as a reactor with web/wlab_web.c's entry
# points, and the page (web/*.html, *.js, *.css) into $(BUILD)/web/.
# wlab-explore.wasm.js holds the same module deflated, in base64, for pages
# opened from file://, where fetch() cannot read it. `make serve` serves $(BUILD)/web/.
WEB_CC     ?= clang-14
WEB_DIR    := $(BUILD)/web
WEB_OPT    ?= -Oz
WEB_CFLAGS := --target=wasm32-wasi --sysroot=/usr -std=c11 $(WARN) $(WEB_OPT) -D_POSIX_C_SOURCE=200809L
WEB_EXP_SRC := $(filter-out cmd/wlab-explore/main.c cmd/wlab-explore/html.c cmd/wlab-explore/html_deflate.c,$(wildcard cmd/wlab-explore/*.c))
WEB_OBJ    := $(LIB_SRC:libwasm/src/%.c=$(WEB_DIR)/obj/libwasm/%.o) \
	      $(WEB_EXP_SRC:cmd/wlab-explore/%.c=$(WEB_DIR)/obj/explore/%.o) $(WEB_DIR)/obj/wlab_web.o
WEB_PAGE   := $(wildcard web/*.html web/*.js web/*.css)

$(WEB_DIR)/obj/libwasm/%.o: libwasm/src/%.c $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(WEB_CC) $(CPPFLAGS) $(WEB_CFLAGS) -c $< -o $@

$(WEB_DIR)/obj/explore/%.o: cmd/wlab-explore/%.c cmd/wlab-explore/explore.h $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(WEB_CC) $(CPPFLAGS) -Icmd/wlab-explore $(WEB_CFLAGS) -c $< -o $@

$(WEB_DIR)/obj/wlab_web.o: web/wlab_web.c cmd/wlab-explore/explore.h $(LIB_HDR)
	@mkdir -p $(dir $@)
	$(WEB_CC) $(CPPFLAGS) -Icmd/wlab-explore $(WEB_CFLAGS) -c $< -o $@

$(WEB_DIR)/wlab-explore.wasm: $(WEB_OBJ)
	@echo "$(WEB_CC) ... -o $@ (libwasm, cmd/wlab-explore/ but main.c and html.c, web/wlab_web.c)"
	@$(WEB_CC) $(WEB_CFLAGS) -mexec-model=reactor -Wl,--strip-all -Wl,-z,stack-size=1048576 -o $@ $^ -lm

# web/embed_wasm.c (a native build tool) writes it deflated, as --html does.
$(BUILD)/gen/embed_wasm: web/embed_wasm.c cmd/wlab-explore/html_deflate.c cmd/wlab-explore/explore.h
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Icmd/wlab-explore $(ALLCFLAGS) -o $@ $(filter %.c,$^) $(LDLIBS)

$(WEB_DIR)/wlab-explore.wasm.js: $(WEB_DIR)/wlab-explore.wasm $(BUILD)/gen/embed_wasm
	$(BUILD)/gen/embed_wasm $< $@.tmp && mv $@.tmp $@

web: $(WEB_DIR)/wlab-explore.wasm $(WEB_DIR)/wlab-explore.wasm.js $(WEB_PAGE)
	cp $(WEB_PAGE) $(WEB_DIR)/

# wlab-explore --html writes this page with the module in it: the page's
# wasm and files are built into the tool (scripts/embed-web.sh writes them
# as C arrays), so `make` builds the page's wasm too. Without clang
# ($(WEB_CC)) and wasi-libc, or with WEB_EMBED=0, the tool is built without
# the page, make says so, and --html fails with that reason (exit 2).
WEB_TOOLS  := $(shell command -v $(WEB_CC) >/dev/null 2>&1 && test -f /usr/lib/wasm32-wasi/libc.a && echo 1)
WEB_EMBED  ?= $(if $(WEB_TOOLS),1,0)
ifeq ($(WEB_EMBED),1)
EXPLORE_PAGE := $(BUILD)/gen/explore_page.c
$(EXPLORE_PAGE): scripts/embed-web.sh $(WEB_DIR)/wlab-explore.wasm web/index.html web/explore.js web/explore.css
	bash scripts/embed-web.sh $@ $(WEB_DIR)/wlab-explore.wasm web/index.html web/explore.js web/explore.css
else
EXPLORE_PAGE := $(BUILD)/gen/explore_page_none.c
WEB_MISSING := this wlab-explore was built without the page ($(if $(WEB_TOOLS),with WEB_EMBED=0,no $(WEB_CC) or no wasi-libc (/usr/lib/wasm32-wasi/libc.a) when it was built: bash scripts/deps.sh installs them; then make again))
$(EXPLORE_PAGE): scripts/embed-web.sh
	@echo "make: building wlab-explore without its --html page: $(WEB_MISSING)" >&2
	bash scripts/embed-web.sh --none "$(WEB_MISSING)" $@
endif

# $(BUILD)/gen/web-embed holds WEB_EMBED's value, rewritten when it changes,
# so that switching it relinks the tool.
$(shell mkdir -p $(BUILD)/gen && { echo $(WEB_EMBED) | cmp -s - $(BUILD)/gen/web-embed || echo $(WEB_EMBED) > $(BUILD)/gen/web-embed; })
$(BUILD)/bin/wlab-explore: $(wildcard cmd/wlab-explore/*.c cmd/wlab-explore/*.h) $(EXPLORE_PAGE) $(BUILD)/gen/web-embed $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Icmd/wlab-explore $(ALLCFLAGS) -o $@ $(filter %.c,$^) $(LIBA) $(LDLIBS)

bench: all
	BUILD=$(BUILD) bash scripts/bench-objdump.sh
	BUILD=$(BUILD) bash scripts/bench-interp.sh
	BUILD=$(BUILD) python3 scripts/bench-wasi.py
	BUILD=$(BUILD) bash scripts/bench-gc.sh
	BUILD=$(BUILD) bash scripts/bench-explore.sh
	BUILD=$(BUILD) bash scripts/bench-wat.sh

examples:
	BUILD=$(BUILD) bash scripts/build-examples.sh

# docs/format.md from docs/format.md.in and wlab-explore's output on the hello example.
.PHONY: docs
docs: all
	BUILD=$(BUILD) bash scripts/gen-format-doc.sh

# The explorer page on http://127.0.0.1:PORT/ (a free port, printed); Ctrl-C
# stops it; index.html?url=samples/hello.wasm opens the hello example's module.
# serve-hello: the hello example's page.
serve: web examples
	mkdir -p $(WEB_DIR)/samples && cp $(BUILD)/examples/hello/hello.wasm $(WEB_DIR)/samples/
	python3 scripts/serve.py $(WEB_DIR)

serve-hello: examples
	python3 scripts/serve.py $(BUILD)/examples/hello

deps:
	bash scripts/deps.sh

demo: deps
	$(MAKE) all
	BUILD=$(BUILD) bash scripts/demo.sh

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/include/wlab $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(TOOL_BINS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/
	install -m 755 $(LIBSO) $(DESTDIR)$(PREFIX)/lib/libwasm.so.0
	ln -sf libwasm.so.0 $(DESTDIR)$(PREFIX)/lib/libwasm.so
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' libwasm/libwasm.pc.in \
	  > $(DESTDIR)$(PREFIX)/lib/pkgconfig/libwasm.pc
	install -m 644 libwasm/include/wlab/* $(DESTDIR)$(PREFIX)/include/wlab/
	install -m 644 libwasm/include/wlab.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 $(wildcard docs/man/*.1) $(DESTDIR)$(PREFIX)/share/man/man1/

clean:
	rm -rf build build-asan
