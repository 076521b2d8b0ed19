# PostGIS outputs and inputs (PG:... tables=NAME): tests/cli/test_postgis.sh
# starts a throwaway PostgreSQL 15 with PostGIS from Debian's packages on a
# local socket (tests/helpers/pgcluster.sh); make check installs them.
CHECK_PKGS += postgresql postgresql-15-postgis-3

.PHONY: check-postgis
# the PostGIS test alone, for one build
check-postgis: all
	@GPCOV=$(CURDIR)/$(BUILD)/gpcov BUILD=$(CURDIR)/$(BUILD) DATA=$(DATA) sh tests/cli/test_postgis.sh
