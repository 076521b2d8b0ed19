# qgis.mk: QGIS styles in the GeoPackages.  make check lets QGIS itself
# (headless, through its Python bindings) load the main job's GeoPackages
# with the styles gpcov writes and colour every feature
# (tests/cli/test_styles_cli.sh, tests/qgis/check_styles.py); without the
# bindings that part of the test says so and is skipped.
CHECK_PKGS += python3-qgis qgis-providers
