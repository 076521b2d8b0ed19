# Man pages and bash completion, both made from the commands' option tables
# (tools/opt.h, the one source of the options): help2man reads the --help
# texts the tables generate, the completion reads `gpcov --dump-options CMD`.
# `make man` writes $(BUILD)/man/*.1.
CHECK_PKGS += help2man
DEB_PKGS_DOC = help2man

.PHONY: man install-doc
man: $(GPCOV)
	@$(MAKE) --no-print-directory install-pkgs PKGLIST="$(DEB_PKGS_DOC)"
	sh doc/man.sh $(GPCOV) $(BUILD)/man

install: install-doc
install-doc: man
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 completion/gpcov.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/gpcov
