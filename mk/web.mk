# mk/web.mk: the web map's assets.  Leaflet comes from npm at build time
# (web/package.json, pinned by web/package-lock.json), is installed with
# `npm ci` under build/web, and is compiled into libgpcov as byte arrays
# (web/embed.sh -> $(BUILD)/gen/webmap_assets.c), together with the page's
# own script and style (web/webmap.js, web/webmap.css): `gpcov webmap`
# writes one HTML file that needs no network.  The browser test
# (tests/cli/test_webmap.sh) drives Debian's chromium with playwright-core
# from npm (tests/web/package.json, pinned), installed under build/web-test.

# Node and npm from Debian, unless the machine has an npm already (say
# NodeSource's nodejs, which bundles it and conflicts with Debian's npm)
DEB_PKGS += $(if $(shell command -v npm 2>/dev/null),,nodejs npm)
CHECK_PKGS += chromium

WEB_NODE  := build/web
WEB_TEST  := build/web-test
NPM_CI     = npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
LEAFLET   := $(WEB_NODE)/node_modules/leaflet/dist/leaflet.js
WEB_GEN   := $(BUILD)/gen/webmap_assets.c

.PHONY: web-deps web-test-deps

web-deps: $(LEAFLET)
web-test-deps: $(WEB_TEST)/node_modules/playwright-core/package.json

$(LEAFLET): web/package.json web/package-lock.json
	@mkdir -p $(WEB_NODE)
	@cp web/package.json web/package-lock.json $(WEB_NODE)/
	@echo "  NPM leaflet"
	@cd $(WEB_NODE) && $(NPM_CI)
	@touch $@

$(WEB_TEST)/node_modules/playwright-core/package.json: tests/web/package.json tests/web/package-lock.json
	@mkdir -p $(WEB_TEST)
	@cp tests/web/package.json tests/web/package-lock.json $(WEB_TEST)/
	@echo "  NPM playwright-core"
	@cd $(WEB_TEST) && $(NPM_CI)
	@touch $@

$(WEB_GEN): $(LEAFLET) web/embed.sh web/webmap.js web/webmap.css
	@mkdir -p $(dir $@)
	@echo "  GEN $@"
	@sh web/embed.sh $(WEB_NODE)/node_modules web >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/webmap_assets.o: $(WEB_GEN) lib/map/webmap_assets.h
	@echo "  CC $<"
	@$(CC) $(ALL_CFLAGS) -c $< -o $@

# the assets go into the library with the other objects
$(LIBA): $(BUILD)/gen/webmap_assets.o

# the browser test needs its driver before the tests run
check-run: web-test-deps
