# jixun Makefile.  `make` builds build/jixun; `make run` and `make test`
# are the two commands in the README.  See docs/DEVELOPMENT.md.

CC      ?= cc
PKGS    := libmicrohttpd sqlite3 libpq jansson libsodium libcrypto xlsxwriter libzip expat
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Developer build: strict warnings are errors (git's DEVELOPER=1).
WARN    := -Wall -Wextra -Werror -Wformat=2 -Wno-unused-parameter \
           -Wno-format-nonliteral -Wvla -Wimplicit-fallthrough
BASE_CFLAGS := -std=c17 -D_GNU_SOURCE -Isrc -Ibuild/gen $(PKG_CFLAGS) $(WARN)
CFLAGS  ?= -O2 -g
LIBS    := $(PKG_LIBS) -lpthread -lm

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all

SRC      := $(shell find src -name '*.c' | sort)
LIB_SRC  := $(filter-out src/main.c,$(SRC))
HDR      := $(shell find src -name '*.h' -o -name '*.def' | sort)
EMBED_IN := $(shell find assets src/store/migrations -type f | sort)

OBJ      := $(SRC:src/%.c=build/obj/%.o) build/obj/gen/embed.o
LIB_OBJ  := $(filter-out build/obj/main.o,$(OBJ))
SAN_OBJ  := $(SRC:src/%.c=build/asan/obj/%.o) build/asan/obj/gen/embed.o
SAN_LIB  := $(filter-out build/asan/obj/main.o,$(SAN_OBJ))

UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=build/asan/tests/%)

FUZZ_SRC := $(wildcard fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=build/fuzz/%)
FUZZ_CC  := clang
FUZZ_FLAGS := -g -O1 -fsanitize=fuzzer-no-link,address,undefined
FUZZ_OBJ := $(LIB_SRC:src/%.c=build/fuzz/obj/%.o) build/fuzz/obj/gen/embed.o

.PHONY: all run test fuzz fuzz-smoke fuzz-bin bench clean asan codecheck deps
all: build/jixun

# ---- build-time tools (host compiler, no dependencies) ----
build/tools/%: tools/%.c
	@mkdir -p $(@D)
	$(CC) -std=c17 -O2 -Wall -Wextra -Werror -o $@ $<

# Assets and migrations are compiled into the binary (no files at run time).
build/gen/embed.c: build/tools/mkembed $(EMBED_IN)
	@mkdir -p $(@D)
	build/tools/mkembed $(EMBED_IN) > $@.tmp && mv $@.tmp $@

# Fails the build on unescaped HTML interpolation or printf-built SQL.
build/codecheck.ok: build/tools/codecheck $(SRC) $(HDR)
	build/tools/codecheck $(SRC)
	@touch $@
codecheck: build/codecheck.ok

# ---- the binary ----
build/obj/%.o: src/%.c $(HDR) build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<
build/obj/gen/embed.o: build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(CFLAGS) -c -o $@ $<
build/jixun: $(OBJ) build/codecheck.ok
	$(CC) $(CFLAGS) -o $@ $(OBJ) $(LIBS)

# ---- sanitizer build, used by every test ----
build/asan/obj/%.o: src/%.c $(HDR) build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) -c -o $@ $<
build/asan/obj/gen/embed.o: build/gen/embed.c
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) $(SAN_FLAGS) -c -o $@ $<
build/asan/jixun: $(SAN_OBJ) build/codecheck.ok
	$(CC) $(SAN_FLAGS) -o $@ $(SAN_OBJ) $(LIBS)
build/asan/tests/%: tests/unit/%.c tests/unit/unit.h $(SAN_LIB)
	@mkdir -p $(@D)
	$(CC) $(BASE_CFLAGS) -Itests/unit $(SAN_FLAGS) -o $@ $< $(SAN_LIB) $(LIBS) -lcmocka
asan: build/asan/jixun $(UNIT_BIN)

# ---- fuzzing (clang libFuzzer) ----
build/fuzz/obj/%.o: src/%.c $(HDR) build/gen/embed.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<
build/fuzz/obj/gen/embed.o: build/gen/embed.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) $(FUZZ_FLAGS) -c -o $@ $<
build/fuzz/%: fuzz/%.c $(FUZZ_OBJ)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(BASE_CFLAGS) -g -O1 -fsanitize=fuzzer,address,undefined -o $@ $< $(FUZZ_OBJ) $(LIBS)

fuzz-smoke: $(FUZZ_BIN)
	scripts/fuzz.sh smoke $(FUZZ_BIN)
fuzz: $(FUZZ_BIN)
	scripts/fuzz.sh long $(FUZZ_BIN)

# ---- the two commands ----
# Each installs what it needs first (Debian packages as root, npm from
# the committed lockfile), so both work on a fresh machine.
deps:
	scripts/deps.sh build

run:
	scripts/deps.sh run
	$(MAKE) all
	scripts/run.sh

test:
	scripts/deps.sh test
	$(MAKE) -j2 all asan fuzz-bin
	tests/run.sh

bench:
	scripts/deps.sh bench
	$(MAKE) all
	bench/bench.sh

fuzz-bin: $(FUZZ_BIN)

clean:
	rm -rf build

# ---- clue flow unit test (domain/clue_flow.c): its fixture header ----
build/asan/tests/test_clue_flow: tests/unit/clue_flow_fx.h
