# mk/bad.mk: the hostile-input corpus (tests/bad/) and fault injection
# (tests/cli/test_faults.sh).  Both run in `make check` through tests/run.sh;
# `make check-bad` runs just them.  setpriv (util-linux) drops root for the
# unwritable-directory case and env --default-signal (coreutils) gives a
# background run its SIGINT back; both are in every Debian, listed here so
# the dependency is written down.
CHECK_PKGS += util-linux coreutils

.PHONY: check-bad bad-corpus

check-bad: all shapefiles/kommuner.shp
	@GPCOV=$(CURDIR)/$(BUILD)/gpcov BUILD=$(CURDIR)/$(BUILD) DATA=$(DATA) sh tests/cli/test_bad_inputs.sh
	@GPCOV=$(CURDIR)/$(BUILD)/gpcov BUILD=$(CURDIR)/$(BUILD) DATA=$(DATA) sh tests/cli/test_faults.sh

# remakes the committed corpus files (needs python3-gdal, not needed by check)
bad-corpus:
	/usr/bin/python3 tests/bad/make_corpus.py
