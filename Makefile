# gpcov: geospatial coverage analysis for Danish general practice.
# `make report` and `make check` do all the set-up on a fresh Debian machine.

DATA    ?= ../shared/data
OUT     ?= reports/out
BUILD   ?= build
PKGS     = gdal geos proj cairo fontconfig libcrypto json-c
DEB_PKGS = build-essential pkg-config libgdal-dev libgeos-dev libproj-dev \
           libcairo2-dev libssl-dev libjson-c-dev gdal-bin fonts-dejavu-core
# the tests compare with a peer (GRASS r.cost, equality on a small grid) and
# read OSM PBF made from the OSM XML extract (osmium-tool), and run the main
# job under valgrind
CHECK_PKGS = grass-core osmium-tool valgrind
# make bench runs the peers on the same inputs: GRASS r.cost, and pgRouting
# on a private PostgreSQL 15 cluster (tests/bench/bench_network.sh,
# bench_roads_pgrouting.sh), timed with GNU time
BENCH_PKGS = grass-core postgresql-15 postgresql-15-pgrouting time osmium-tool osm2pgrouting

CC      ?= cc
OPT     ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Werror
# dependency headers as system headers, so our -Werror does not judge them
PKG_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm
CPPFLAGS += -DGEOS_USE_ONLY_R_API -D_POSIX_C_SOURCE=200809L -Ilib
ALL_CFLAGS = $(WARN) $(OPT) $(SAN) $(CPPFLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# lib/ and tools/ may grow subfolders (lib/io/*.c ...): their sources join here
LIB_SRC  := $(sort $(wildcard lib/*.c lib/*/*.c))
TOOL_SRC := $(sort $(wildcard tools/*.c tools/*/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/%.o)
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
# the compiler writes each object's (and unit test's) header list next to it
# as a .d file: a header change rebuilds exactly its includers
DEPFLAGS  = -MMD -MP -MT $@ -MF $@.d
DEP_FILES := $(LIB_OBJ:=.d) $(TOOL_OBJ:=.d) $(UNIT_OBJ:=.d)
LIBA     := $(BUILD)/libgpcov.a
GPCOV    := $(BUILD)/gpcov

.PHONY: all deps deps-check deps-bench install-pkgs check check-run report report-run shapefiles bench format \
        install clean sanitize

all: $(GPCOV) $(UNIT_BIN)

# Install the Debian packages we build against, when any is missing.
deps:
	@$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEB_PKGS)"
deps-check:
	@$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEB_PKGS) $(CHECK_PKGS)"
deps-bench:
	@$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEB_PKGS) $(BENCH_PKGS)"
install-pkgs:
	@missing=""; for p in $(PKGLIST); do \
	  dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "deps: missing Debian packages:$$missing (run 'make deps' as root)"; exit 1; fi; \
	fi

$(BUILD)/%.o: %.c $(BUILD)/%.o.d
	@mkdir -p $(dir $@)
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(GPCOV): $(TOOL_OBJ) $(LIBA)
	$(CC) $(ALL_LDFLAGS) -o $@ $(TOOL_OBJ) $(LIBA) $(PKG_LIBS)

# a unit test is compiled like the library (its object and .d file in
# $(BUILD)/tests/unit/) and linked alone: a library change only relinks it
$(UNIT_OBJ): CPPFLAGS += -Itests/unit
$(UNIT_BIN): $(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBA)
	@mkdir -p $(dir $@)
	@echo "  LD $@"
	@$(CC) -o $@ $< $(LIBA) $(ALL_LDFLAGS) $(PKG_LIBS)

# a missing .d file (fresh build directory, new source) is remade by nothing
# and so rebuilds its object; once there, its header list is read in
$(DEP_FILES): ;
-include $(DEP_FILES)

# ---------------------------------------------------------------- shapefiles
shapefiles: deps
	@$(MAKE) --no-print-directory $(GPCOV)
	@$(MAKE) --no-print-directory shapefiles/kommuner.shp shapefiles/regioner.shp

shapefiles/kommuner.shp: $(DATA)/dagi/kommuner.geojson $(GPCOV)
	$(GPCOV) dissolve --input $< --key KOMKODE --name KOMNAVN \
	  --flag 0411='not a municipality (Christiansø, administered by the state)' \
	  --output $@ --overwrite
shapefiles/regioner.shp: $(DATA)/dagi/regioner.geojson $(GPCOV)
	$(GPCOV) dissolve --input $< --key REGIONKODE --name REGIONNAVN --output $@ --overwrite

# ---------------------------------------------------------------- main job
report: deps
	@$(MAKE) --no-print-directory report-run

# ESUNDHED and ROADS name optional inputs (README); ROADS replaces the
# national network, MODEL=straight uses the straight-line model instead;
# SET="name=value ..." sets variables of [report] (a scenario, README).
# Each value is one shell word whatever it holds (spaces, Danish letters,
# quotes: "Nøgletal almen praksis 2023.xlsx").
shq = '$(subst ','\'',$(1))'
report-run: $(GPCOV) shapefiles/kommuner.shp shapefiles/regioner.shp
	$(GPCOV) report reports/denmark.ini --overwrite --set data=$(call shq,$(DATA)) \
	  --set out=$(call shq,$(OUT)) --set esundhed=$(call shq,$(ESUNDHED)) \
	  $(if $(ROADS),--set roads=$(call shq,$(ROADS))) \
	  $(if $(filter straight,$(MODEL)),--set roads=) $(foreach s,$(SET),--set $(call shq,$(s))) \
	  $(if $(CSV),--set csv=$(CSV))

# ---------------------------------------------------------------- tests
# Unit, end-to-end and bad-input tests, then all of them again under
# AddressSanitizer and UndefinedBehaviorSanitizer.
check: deps-check
	@$(MAKE) --no-print-directory check-run

check-run: all shapefiles/kommuner.shp shapefiles/regioner.shp
	@$(MAKE) --no-print-directory BUILD=build-asan OPT='-O1 -g -fno-omit-frame-pointer' \
	  SAN='-fsanitize=address,undefined -fno-sanitize-recover=undefined' all
	@DATA=$(DATA) sh tests/run.sh build build-asan

bench: deps-bench
	@$(MAKE) --no-print-directory all
	@DATA=$(DATA) sh tests/bench/run.sh $(BUILD)

format:
	clang-format -i lib/*.h lib/*/*.c lib/*/*.h tools/*.c tests/unit/*.c tests/unit/*.h

PREFIX ?= /usr/local
install: $(GPCOV)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include/gpcov
	install -m 755 $(GPCOV) $(DESTDIR)$(PREFIX)/bin/gpcov
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/libgpcov.a
	@# the umbrella header and one header per stage, in include/gpcov/
	@# (compile with -I$(PREFIX)/include/gpcov)
	for h in gpcov.h $(patsubst lib/%,%,$(wildcard lib/*/gpcov_*.h)); do \
	  install -D -m 644 lib/$$h $(DESTDIR)$(PREFIX)/include/gpcov/$$h || exit 1; done

clean:
	rm -rf build build-asan tests/tmp $(OUT)
	rm -f shapefiles/*.shp shapefiles/*.shx shapefiles/*.dbf shapefiles/*.prj shapefiles/*.cpg

# ---------------------------------------------------------------- parts
# Further targets, one concern per file (fuzzing, PostGIS, browser tests...).
include $(sort $(wildcard mk/*.mk))
