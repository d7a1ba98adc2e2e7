# Gatehouse — the README's two commands, `make demo` and `make check`, and their helpers.
#
# Everything runs through build-aux/env-run: natively on Debian 13, inside the
# project's own Debian 13 root on older hosts (see build-aux/env-run).

ENV      := build-aux/env-run
BUILDDIR := _build
# Extra arguments: `make check TESTARGS="--suite ui"`, `make build SETUPARGS=-Dapp=false`
SETUPARGS ?=
TESTARGS ?=

.PHONY: all build check demo demo-break-trust screenshots shell env clean deb

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

# The demo with its trust broken a few seconds in, to repair on the Trust page.
demo-break-trust: build
	$(ENV) build-aux/demo --break-trust $(BUILDDIR)

# The metainfo's screenshots, rendered again by the UI tests (data/screenshots/from-tests.txt).
screenshots: build
	$(ENV) build-aux/update-screenshots $(BUILDDIR)

shell:
	$(ENV) bash

# The Debian packages of the server side (README, Debian packages): gatehoused,
# gatehousectl, built with dpkg-buildpackage in the build root and
# checked with lintian, into _build-deb/. `make check` installs and runs them (tests/deb).
deb:
	$(ENV) build-aux/deb-build _build-deb

clean:
	rm -rf $(BUILDDIR)

# Fuzzing, sanitizers and benchmarks, each in a build directory of its own (README, Tests).
FUZZ_SECONDS ?= 60
FUZZ_BUILDDIR := _build-fuzz
ASAN_BUILDDIR := _build-asan
BENCH_BUILDDIR := _build-bench
# `make bench BENCH_ENTRIES=1000` for a shorter run; BENCH_RUNS runs per timing,
# BENCH_LIBRARY_MAX the largest N for the keystores gh_keystore_save() writes (slow)
BENCH_ENTRIES ?= 1000 10000
BENCH_RUNS ?= 3
BENCH_LIBRARY_MAX ?= 1000

.PHONY: fuzz check-asan bench

# libFuzzer needs clang: the whole build is instrumented (meson option fuzzing).
$(FUZZ_BUILDDIR)/build.ninja:
	CC=clang $(ENV) meson setup $(FUZZ_BUILDDIR) -Dfuzzing=true -Dapp=false

fuzz: $(FUZZ_BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(FUZZ_BUILDDIR)
	$(ENV) tests/fuzz/run-fuzzers.sh $(FUZZ_BUILDDIR) $(FUZZ_SECONDS)

# The whole suite under AddressSanitizer, LeakSanitizer and UBSan. Leaks of system
# libraries (fontconfig, GTK, …) are suppressed in tests/lsan.supp; ours never are.
# GATEHOUSE_TEST_SLOW: tests that must first build up load give themselves more time.
ASAN_ENV := GATEHOUSE_TEST_SLOW=1 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:fast_unwind_on_malloc=0:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
  UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1

$(ASAN_BUILDDIR)/build.ninja:
	$(ENV) meson setup $(ASAN_BUILDDIR) -Db_sanitize=address,undefined -Db_lundef=false $(SETUPARGS)

check-asan: $(ASAN_BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(ASAN_BUILDDIR)
	$(ASAN_ENV) $(ENV) xvfb-run -a -s "-screen 0 1280x800x24" \
	  dbus-run-session -- meson test -C $(ASAN_BUILDDIR) --print-errorlogs --timeout-multiplier 3 $(TESTARGS)

# Keystores of 1,000 and 10,000 entries: Gatehouse beside keytool, openssl and certtool.
$(BENCH_BUILDDIR)/build.ninja:
	$(ENV) meson setup $(BENCH_BUILDDIR) -Dapp=false

bench: $(BENCH_BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(BENCH_BUILDDIR)
	$(ENV) env BENCH_RUNS=$(BENCH_RUNS) BENCH_LIBRARY_MAX=$(BENCH_LIBRARY_MAX) \
	  tests/bench/bench-keystore.sh $(BENCH_BUILDDIR) $(BENCH_ENTRIES)

# gatehoused beside HAProxy and nginx over WSS on loopback (README, Tests); a benchmark,
# not a test. GWBENCH_DURATION, GWBENCH_SESSIONS, GWBENCH_IDLE, GWBENCH_WORKERS ("1 2"
# for both thread counts) and GWBENCH_LOADGEN tune it (see the script).
GWBENCH_BUILDDIR := _build-gwbench
GWBENCH_DURATION ?= 4
GWBENCH_SESSIONS ?= 100 1000
GWBENCH_IDLE ?= 1000
GWBENCH_WORKERS ?= 1
GWBENCH_LOADGEN ?= soup node

.PHONY: bench-gateway

$(GWBENCH_BUILDDIR)/build.ninja:
	$(ENV) meson setup $(GWBENCH_BUILDDIR) -Dapp=false

bench-gateway: $(GWBENCH_BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(GWBENCH_BUILDDIR)
	$(ENV) env GWBENCH_DURATION=$(GWBENCH_DURATION) GWBENCH_SESSIONS="$(GWBENCH_SESSIONS)" GWBENCH_IDLE=$(GWBENCH_IDLE) \
	  GWBENCH_WORKERS="$(GWBENCH_WORKERS)" GWBENCH_LOADGEN="$(GWBENCH_LOADGEN)" tests/bench/bench-gateway.sh $(GWBENCH_BUILDDIR)

# The admin API at 10,000 live WSS sessions beside HAProxy's runtime API (README, Tests);
# a benchmark, not a test. ADMINBENCH_SESSIONS, ADMINBENCH_N, ADMINBENCH_FRESH,
# ADMINBENCH_CHURN, ADMINBENCH_ECHO, ADMINBENCH_WORKERS tune it (see tests/bench/bench-admin.sh).
ADMINBENCH_BUILDDIR := _build-adminbench
ADMINBENCH_SESSIONS ?= 10000
ADMINBENCH_N ?= 100
ADMINBENCH_FRESH ?= 20
ADMINBENCH_CHURN ?= 10
ADMINBENCH_ECHO ?= 10
ADMINBENCH_WORKERS ?= 1

.PHONY: bench-admin

$(ADMINBENCH_BUILDDIR)/build.ninja:
	$(ENV) meson setup $(ADMINBENCH_BUILDDIR) -Dapp=false --buildtype=release

bench-admin: $(ADMINBENCH_BUILDDIR)/build.ninja
	$(ENV) meson compile -C $(ADMINBENCH_BUILDDIR) -j2
	$(ENV) env ADMINBENCH_SESSIONS=$(ADMINBENCH_SESSIONS) ADMINBENCH_N=$(ADMINBENCH_N) ADMINBENCH_FRESH=$(ADMINBENCH_FRESH) \
	  ADMINBENCH_CHURN=$(ADMINBENCH_CHURN) ADMINBENCH_ECHO=$(ADMINBENCH_ECHO) ADMINBENCH_WORKERS=$(ADMINBENCH_WORKERS) \
	  tests/bench/bench-admin.sh $(ADMINBENCH_BUILDDIR)

# The Connections table at 100,000 live sessions: frame intervals of GhSessionView
# beside GtkFilterListModel + GtkSortListModel, under Xvfb (README, Tests). UIBENCH_*
# tune it: sessions, seconds per mode, counter updates per 100 ms.
UIBENCH_SESSIONS ?= 100000
UIBENCH_SECONDS ?= 10
UIBENCH_BATCH ?= 2000

.PHONY: bench-ui

bench-ui: build
	$(ENV) xvfb-run -a -s "-screen 0 1280x800x24" \
	  $(BUILDDIR)/tests/bench/bench-sessions-ui $(UIBENCH_SESSIONS) $(UIBENCH_SECONDS) $(UIBENCH_BATCH)


# Flatpak (README, Install): the manifest in flatpak/ built unchanged against a local
# org.gnome.Platform/Sdk assembled from Debian 13 packages, into _build-flatpak/gatehouse.flatpak;
# check-flatpak installs it into a throw-away Flatpak user directory and runs it sandboxed.
# Both run on the host (flatpak, flatpak-builder, ostree from apt); the runtimes are cached
# beside env-run's build root. `make flatpak-install` installs the bundle for the user.
.PHONY: flatpak check-flatpak flatpak-install

flatpak:
	build-aux/flatpak-build

check-flatpak:
	build-aux/flatpak-check

flatpak-install:
	build-aux/flatpak-build --install
