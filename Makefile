# Gatehouse — the README's two commands, `make demo` and `make check`, and their helpers.
#
# Everything runs through build-aux/env-run: natively on Debian 13, inside the
# project's own Debian 13 root on older hosts (see build-aux/env-run).

ENV      := build-aux/env-run
BUILDDIR := _build
# Extra arguments: `make check TESTARGS="--suite ui"`, `make build SETUPARGS=-Dapp=false`
SETUPARGS ?=
TESTARGS ?=

.PHONY: all build check demo shell env clean

all: build

env:
	$(ENV) true

$(BUILDDIR)/build.ninja:
	$(ENV) meson setup $(BUILDDIR) $(SETUPARGS)

build: $(BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(BUILDDIR)

check: build
	$(ENV) xvfb-run -a -s "-screen 0 1280x800x24" \
	  dbus-run-session -- meson test -C $(BUILDDIR) --print-errorlogs $(TESTARGS)

demo: build
	$(ENV) build-aux/demo $(BUILDDIR)

shell:
	$(ENV) bash

clean:
	rm -rf $(BUILDDIR)
