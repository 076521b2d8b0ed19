# threads.mk: the friction search runs on several cores (lib/travel/costdist_par.c,
# POSIX threads).
CFLAGS  += -pthread
LDFLAGS += -pthread

# ThreadSanitizer run of the friction-search tests (not part of make check:
# a third build).  TSan's lock-order check is off: it reports GDAL's own
# mutexes at start-up.
.PHONY: check-tsan
check-tsan: deps
	@$(MAKE) --no-print-directory BUILD=build-tsan OPT='-O1 -g' SAN='-fsanitize=thread' \
	  build-tsan/tests/test_costdist build-tsan/tests/test_costdist_par
	@for t in build-tsan/tests/test_costdist build-tsan/tests/test_costdist_par; do \
	  TSAN_OPTIONS='halt_on_error=1 detect_deadlocks=0' $$t >build-tsan/log 2>&1 || \
	    { cat build-tsan/log; exit 1; }; \
	  echo "$$t: $$(grep -c '^ok' build-tsan/log) ok, $$(grep -c '^not ok' build-tsan/log) not ok"; done
