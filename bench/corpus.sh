#!/usr/bin/env bash
# bench/corpus.sh: the real-code precision corpus for pipe-tidy.
#
#   bench/corpus.sh            # every project below, every pipe-using TU
#   bench/corpus.sh --quick    # only git tmux libuv1 redis
#   bench/corpus.sh --projects "git redis" --timeout 300 --jobs 2
#   bench/corpus.sh --prepare-only   # fetch and build the databases, no analysis
#   ... --rev HEAD     # measure a committed revision (built from `git archive`
#                        into bench/work/plugin-src/), not the working tree
#   ... --llvm 22      # clang-tidy-22 and the LLVM 22 plugin (default 19)
#   ... --name NAME    # results as bench/results/NAME.md/.json (default
#                        corpus-<date>[-quick|-partial]), e.g. a second run of the day
#   ... --caller-facts  # first record every TU's caller facts, as pipe-tidy --caller-facts
#                        does (default: each TU's own callers, pipe-tidy's default)
# Re-running only the analysis on a new revision, once prepared:
#   nice -n 19 bench/corpus.sh --rev <commit> --jobs 2 --name corpus-<date>-<rev>
# The plugin measured by default is the working tree's, built into
# build/llvm-NN (PIPE_TIDY_PLUGIN=/path/to/PipeTidy-llvmNN.so to give a file).
#
# Idempotent: the first run enables deb-src (its own sources file), fetches
# each project's Debian source with `apt-get source` into bench/work/src/,
# installs that project's build dependencies (a curated list, see RECIPES),
# configures it and exports CMake's database, or builds it once with
# lib/cc_select.py as the compiler (it records every compile command and
# compiles only the files the analysis reads, see `selective`), keeping
# bench/work/db/<project>/compile_commands.json and the preparation's wall
# time (prepare-seconds, in the report). Later runs reuse all
# of that and only re-run the analysis. Nothing under bench/work/ is committed.
#
# The analysis: the TUs of each compilation database whose source text calls a
# pipe-, process- or descriptor-plumbing function (SELECT_RE in
# lib/corpus_run.py) are each run through
#   PIPE_TIDY_STATS=1 clang-tidy-NN --load=<plugin> -checks='-*,pipe-*' \
#       --config={} --header-filter='.*' -p <db dir> <file>
# (--config={}: no .clang-tidy file is read: the corpus lies inside this
# repository, whose .clang-tidy is for checker/, and some projects ship their
# own, so options would differ per project; --header-filter: findings in the
# project's own headers too; clang-tidy never reports in system headers)
# with a per-TU timeout; with --caller-facts, also with PIPE_TIDY_CALLER_FACTS
# naming the project's caller facts: a first pass, as `pipe-tidy
# --caller-facts -p` runs it, records them from every TU of the database
# (PIPE_TIDY_RECORD_CALLER_FACTS, no analysis; kept in
# bench/work/runs/<name>/<project>/caller.facts). Results: bench/results/corpus-<date>[-quick|-partial].md and
# .json (findings, crashes, clang errors, call sites, time). Raw per-TU logs
# stay in bench/work/runs/<date>/.
#
# Not a test and not run by CI.
set -euo pipefail
# The whole script is one block, read before it runs: editing the file during
# a long run cannot change the running script.
{
. "$(dirname "$0")/lib/common.sh"

# The corpus. Order: the four core projects, then C projects that create
# pipes, socket pairs and processes, then two C++ ones (ninja-build, fish);
# then, added 2026-12-03 (each checked by grep to create pipes, socket pairs
# or child processes in its own code): four C++ projects (apt, cppcheck, znc,
# smartmontools) and seven C ones (curl, libevent, dropbear, tar, findutils,
# dpkg, inetutils); then, added 2026-12-05, four more C++ ones (nmap,
# rtorrent, ledger, task), chosen before any pipe-tidy run by this criterion:
# a Debian 12 source package mainly in C++ whose own code (not vendored
# third-party code; checked by grep) calls pipe(), pipe2() or socketpair()
# together with fork()/exec*()/posix_spawn or threads, with modest build
# dependencies (no Qt/GTK, no large toolchain).
ALL_PROJECTS="git tmux libuv1 redis openssh bash dash make-dfsg rsync nginx lighttpd libpipeline sudo gawk dbus busybox coreutils util-linux glib2.0 ninja-build fish apt cppcheck znc smartmontools curl libevent dropbear tar findutils dpkg inetutils nmap rtorrent ledger task"
CORE_PROJECTS="git tmux libuv1 redis"
PROJECTS=""
QUICK=0
TIMEOUT=300
JOBS="$(nproc)"
# Parallel jobs of each preparation build (PREP_JOBS=1 when two preparations
# of different projects run at once on a shared machine).
PREP_JOBS="${PREP_JOBS:-$(nproc)}"
MAX_TUS=0
PREPARE_ONLY=0
NAME=""
NO_FACTS=--no-caller-facts
ARGS_LINE="$*"
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --projects) PROJECTS="$2"; shift ;;
        --timeout) TIMEOUT="$2"; shift ;;
        --jobs) JOBS="$2"; shift ;;
        --max-tus) MAX_TUS="$2"; shift ;;
        --llvm) LLVM="$2"; shift ;;
        --rev) PLUGIN_AT="$2"; shift ;;
        --prepare-only) PREPARE_ONLY=1 ;;
        --name) NAME="$2"; shift ;;
        --caller-facts) NO_FACTS="" ;;
        --no-caller-facts) NO_FACTS=--no-caller-facts ;;
        -h|--help) sed -n "2,38p" "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
if [ "$QUICK" = 1 ]; then
    PROJECTS="${PROJECTS:-$CORE_PROJECTS}"
fi
PROJECTS="${PROJECTS:-$ALL_PROJECTS}"
mkdir -p "$WORK/src" "$WORK/db" "$RESULTS"

# ---------------------------------------------------------------- deb-src
SRC_LIST=/etc/apt/sources.list.d/pipe-tidy-src.sources
ensure_deb_src() {
    if [ ! -f "$SRC_LIST" ]; then
        log "enabling deb-src in $SRC_LIST"
        cat >"$SRC_LIST" <<'EOF'
# Written by pipe-tidy bench/corpus.sh: source packages for the precision corpus.
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
        apt-get update >"$WORK/apt-update.log" 2>&1 || die "apt-get update failed (see $WORK/apt-update.log)"
    fi
    if ! apt-cache showsrc tmux 2>/dev/null | grep -q '^Package:'; then
        apt-get update >"$WORK/apt-update.log" 2>&1 || die "apt-get update failed (see $WORK/apt-update.log)"
    fi
}

# ---------------------------------------------------------------- recipes
# Build dependencies: `apt-get build-dep -y <source package>` (Debian's own
# list for the package), except where that list is much larger than what the
# configuration built here needs; those have a curated list in deps_for.
# Every project is compiled with the clang of the LLVM under test, so that
# the database holds flags clang understands (a gcc build records gcc-only
# flags such as -fno-tree-* that clang-tidy reports as errors).
deps_for() {
    case "$1" in
        # build-dep git also brings subversion, cvs, tcl, apache... for the
        # test suite and git-svn/gitweb; the C programs need these:
        git)       echo "zlib1g-dev libpcre2-dev libcurl4-gnutls-dev libexpat1-dev gettext" ;;
        # build-dep apt also brings doxygen, docbook, w3m, po4a for the
        # documentation; the libraries the configuration needs:
        apt)       echo "cmake triehash gettext libdb-dev libbz2-dev liblz4-dev liblzma-dev libzstd-dev libxxhash-dev zlib1g-dev libgnutls28-dev libgcrypt20-dev libudev-dev libsystemd-dev libseccomp-dev libgtest-dev" ;;
        # build-dep cppcheck brings Qt for the GUI, which is not built here.
        cppcheck)  echo "cmake" ;;
        # build-dep znc brings perl, python, tcl and swig for the modules.
        znc)       echo "cmake libssl-dev zlib1g-dev" ;;
        curl)      echo "cmake libssl-dev zlib1g-dev" ;;
        libevent)  echo "cmake libssl-dev" ;;
        # build-dep nmap also brings a JDK and a mingw cross compiler for
        # NSE data files (Build-Depends-Indep).
        nmap)      echo "bison flex liblinear-dev liblua5.3-dev lua-lpeg-dev libpcap0.8-dev libpcre3-dev libssh2-1-dev libssl-dev zlib1g-dev" ;;
        # build-dep ledger brings texlive for the manual and the Python
        # bridge's boost-python; the libraries the configuration needs.
        # Boost 1.81 by name: the unversioned libboost-*-dev (1.74) conflict
        # with any 1.81 -dev package already installed for another project.
        ledger)    echo "cmake libboost-date-time1.81-dev libboost-filesystem1.81-dev libboost-iostreams1.81-dev libboost-regex1.81-dev libboost-system1.81-dev libboost-test1.81-dev libgmp-dev libmpfr-dev libutfcpp-dev libedit-dev" ;;
        *)         echo "" ;;
    esac
}

# The build step of a database: run "$@" (a make or ninja command) with
# lib/cc_select.py first in PATH as clang-NN and clang++-NN, and
# PIPE_TIDY_CC_LOG set. The shim records every compile command, as bear
# would, but compiles for real only the files that the corpus analyses (the
# same test as lib/corpus_run.py's selection) and those that define main()
# (build-time generators); any other file is compiled as an empty file with
# the same flags, so that generated headers, libraries and the dependency
# files are all made at a fraction of the cost. Links of programs may then
# fail: the build is run with -k. The database is the shim's log.
SHIM="$WORK/cc-select"
selective() {
    local out="$1"; shift
    mkdir -p "$SHIM"
    ln -sf "$BENCH/lib/cc_select.py" "$SHIM/clang-$LLVM"
    ln -sf "$BENCH/lib/cc_select.py" "$SHIM/clang++-$LLVM"
    : >"$out/raw/commands.jsonl"
    PATH="$SHIM:$PATH" PIPE_TIDY_CC_LOG="$out/raw/commands.jsonl" "$@" || true
    "$PY" "$BENCH/lib/cc_select.py" --to-db "$out/raw/commands.jsonl" "$out/raw/compile_commands.json"
}

# configure (autoconf), regenerated first as Debian's dh_autoreconf does when
# it is missing or older than the (Debian-patched) configure.ac; then
# make -k under `selective`.
autotools() {
    local out="$1"; shift
    if [ ! -x configure ] || [ configure.ac -nt configure ]; then autoreconf -fi; fi
    ./configure CC="clang-$LLVM" CXX="clang++-$LLVM" "$@"
    selective "$out" make -k -j"$PREP_JOBS"
}

# CMake writes the database at configure time. Generated headers are then
# built (not the whole project) when the project has any.
cmake_db() {
    local out="$1"; shift
    cmake -S . -B "$out/cmake" -G Ninja -DCMAKE_C_COMPILER="clang-$LLVM" -DCMAKE_CXX_COMPILER="clang++-$LLVM" \
        -DCMAKE_EXPORT_COMPILE_COMMANDS=ON "$@"
    cp "$out/cmake/compile_commands.json" "$out/raw/compile_commands.json"
}

# Runs in the unpacked source directory; must leave the database as the build
# wrote it in $2/raw/compile_commands.json. lib/clean_db.py then writes the
# $2/compile_commands.json that clang-tidy reads (bear's records of
# `clang -cc1` subprocesses and duplicate entries removed; flags unchanged).
build_db() {
    local proj="$1" out="$2" cc="clang-$LLVM" j="$PREP_JOBS"
    case "$proj" in
        git)
            # Git's Makefile needs no configure step; `all` builds every
            # program (no documentation).
            selective "$out" make -k -j"$j" CC="$cc" all ;;
        tmux)      autotools "$out" ;;
        libuv1)
            # Tests included: real code that creates pipes and processes.
            cmake_db "$out" -DLIBUV_BUILD_TESTS=ON -DLIBUV_BUILD_BENCH=OFF ;;
        redis)
            # MALLOC=libc: the vendored jemalloc's own configure+build would
            # double the build time and has no pipe code (the vendored lua,
            # hiredis, linenoise and hdr_histogram are in the database).
            selective "$out" make -k -j"$j" CC="$cc" MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no ;;
        make-dfsg) autotools "$out" --disable-nls ;;   # no configure in the dfsg tarball: autoreconf
        openssh)   autotools "$out" --with-pam ;;
        bash)      autotools "$out" --without-bash-malloc ;;
        dash)      autotools "$out" ;;
        rsync)     autotools "$out" --disable-md2man --disable-xxhash --disable-zstd --disable-lz4 ;;
        lighttpd)  autotools "$out" --with-pcre2 --with-openssl --without-lua ;;
        libpipeline) autotools "$out" ;;
        sudo)      autotools "$out" ;;
        gawk)      autotools "$out" ;;
        dbus)      autotools "$out" --disable-doxygen-docs --disable-xml-docs --disable-tests ;;
        coreutils) FORCE_UNSAFE_CONFIGURE=1 autotools "$out" ;;   # its configure refuses root otherwise
        # Its configure.ac is newer than configure (Debian's patches), and
        # autoreconf then runs gtkdocize, which build-dep does not bring
        # (no documentation is built): GTKDOCIZE=true skips it.
        util-linux) GTKDOCIZE=true autotools "$out" --disable-nls --without-python ;;
        nginx)
            # nginx's own configure script (not autoconf).
            ./configure --with-cc="$cc" --with-http_ssl_module --with-stream
            selective "$out" make -k -j"$j" ;;
        busybox)
            # Upstream default configuration (every applet). The host tools
            # (fixdep, kconfig, the applet table generators) are compiled by
            # the real compiler (/usr/bin/...), not the shim.
            make defconfig
            selective "$out" make -k -j"$j" CC="$cc" HOSTCC="/usr/bin/$cc" ;;
        ninja-build)
            # src/browse.cc includes the generated build/browse_py.h: build
            # that file only.
            cmake_db "$out" -DBUILD_TESTING=ON
            cmake --build "$out/cmake" -j "$j" --target build/browse_py.h ;;
        glib2.0)
            # Meson writes the database at setup time; the build then makes
            # the generated headers (gioenumtypes.h, ...) the sources include.
            # The compilers are named by the shim's path, so that the build
            # step goes through it (`selective` writes the database).
            mkdir -p "$SHIM"
            ln -sf "$BENCH/lib/cc_select.py" "$SHIM/clang-$LLVM"
            ln -sf "$BENCH/lib/cc_select.py" "$SHIM/clang++-$LLVM"
            printf "[binaries]\nc = '%s/clang-%s'\ncpp = '%s/clang++-%s'\n" "$SHIM" "$LLVM" "$SHIM" "$LLVM" >"$out/native.ini"
            meson setup "$out/meson" -Dtests=true -Dselinux=disabled -Dlibmount=disabled -Dman=false \
                -Dgtk_doc=false --native-file "$out/native.ini"
            selective "$out" ninja -C "$out/meson" -k 0 ;;
        fish)      cmake_db "$out" ;;
        # Added 2026-12-03. CMake projects: the database of the configure
        # step, nothing built.
        apt)
            cmake_db "$out" -DWITH_DOC=OFF -DUSE_NLS=OFF ;;
        cppcheck)
            # No precompiled header: the database's -include-pch would name
            # a .pch file that only a build makes.
            cmake_db "$out" -DBUILD_GUI=OFF -DBUILD_TESTS=ON -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON ;;
        znc)
            # include/znc/Csocket.h is copied from third_party/ by the build:
            # those targets only.
            cmake_db "$out" -DWANT_PERL=OFF -DWANT_PYTHON=OFF -DWANT_TCL=OFF -DWANT_ICU=OFF -DWANT_I18N=OFF \
                -DWANT_CYRUS=OFF -DWANT_ARGON=OFF -DWANT_SYSTEMD=OFF
            cmake --build "$out/cmake" --target copy_csocket_h copy_csocket_cc version ;;
        curl)
            # Debian builds curl with autotools; upstream's CMake build gives
            # the database at configure time. Tests (servers) included.
            cmake_db "$out" -DCURL_USE_OPENSSL=ON -DBUILD_TESTING=ON ;;
        libevent)
            cmake_db "$out" -DEVENT__DISABLE_MBEDTLS=ON ;;
        smartmontools) autotools "$out" --without-libcap-ng --without-selinux --without-libsystemd ;;
        dropbear)  autotools "$out" ;;
        tar)       FORCE_UNSAFE_CONFIGURE=1 autotools "$out" --disable-nls ;;   # refuses root otherwise
        findutils) autotools "$out" --disable-nls ;;
        dpkg)      autotools "$out" --disable-nls ;;
        inetutils) autotools "$out" --disable-nls ;;
        # Added 2026-12-05.
        nmap)
            # Debian's configure flags (system Lua and liblinear; no Python
            # tools). ncat/, nping/, nsock/ and nbase/ are configured and built
            # by the top-level configure and Makefile.
            autotools "$out" --with-liblua --with-liblinear --without-zenmap --without-ndiff --enable-ipv6 ;;
        rtorrent)  autotools "$out" --with-xmlrpc-c --enable-ipv6 ;;   # Debian's flags
        ledger)
            # No Python bridge, no documentation; no precompiled system.hh
            # (configure_file writes system.hh itself).
            cmake_db "$out" -DUSE_PYTHON=OFF -DBUILD_DOCS=OFF -DPRECOMPILE_SYSTEM_HH=OFF ;;
        task)      cmake_db "$out" ;;
        *) echo "no recipe for $proj" >&2; return 1 ;;
    esac
}

# Extra clang-tidy arguments for a project, only where clang-tidy would
# otherwise fail on code that the real build compiles.
tidy_extra_args() {
    case "$1" in
        # clang-tidy defines __clang_analyzer__, and glib's gmessages.h then
        # takes its no-varargs-macros branch (inline g_error() etc. with a
        # non-literal format), which the build's -Werror=format=2 makes an
        # error in every TU; the real compile never sees that branch.
        glib2.0) echo "--extra-arg=-Wno-error=format-nonliteral" ;;
        *) echo "" ;;
    esac
}

db_entries() {
    "$PY" -c 'import json,sys
try: print(len(json.load(open(sys.argv[1]))))
except Exception: print(0)' "$1"
}

# Fetch, unpack, build; prints the source directory. Everything is kept, and
# the stamp files make a second run skip the work.
prepare_project() {
    local proj="$1" pdir="$WORK/src/$1" db="$WORK/db/$1" srcdir
    mkdir -p "$pdir" "$db"
    if [ ! -f "$pdir/.fetched" ]; then
        log "$proj: apt-get source"
        rm -rf "${pdir:?}"/*
        (cd "$pdir" && apt-get source "$proj" >"$pdir/fetch.log" 2>&1) \
            || { tail -n 5 "$pdir/fetch.log" >&2; return 1; }
        touch "$pdir/.fetched"
    fi
    srcdir="$(find "$pdir" -mindepth 1 -maxdepth 1 -type d | head -1)"
    [ -n "$srcdir" ] || { log "$proj: no unpacked source in $pdir"; return 1; }
    if [ "$(db_entries "$db/raw/compile_commands.json")" = 0 ] || [ ! -f "$db/.built" ]; then
        local deps
        deps="$(deps_for "$proj")"
        if [ -n "$deps" ]; then
            # shellcheck disable=SC2086
            need_pkgs build-essential bear $deps
        elif [ ! -f "$db/.deps" ]; then
            log "$proj: apt-get build-dep"
            DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 build-dep -y "$proj" >"$db/build-dep.log" 2>&1 \
                || { tail -n 5 "$db/build-dep.log" >&2; log "$proj: build-dep failed; trying the build anyway"; }
        fi
        touch "$db/.deps"
        log "$proj: configure + build for the compilation database (one time; log: $db/build.log)"
        mkdir -p "$db/raw"
        (cd "$srcdir" && build_db "$proj" "$db") >"$db/build.log" 2>&1 || true
        if [ "$(db_entries "$db/raw/compile_commands.json")" = 0 ]; then
            tail -n 20 "$db/build.log" >&2
            log "$proj: no compilation database; skipped"
            return 1
        fi
        touch "$db/.built"
    fi
    "$PY" "$BENCH/lib/clean_db.py" "$db/raw/compile_commands.json" "$db/compile_commands.json" 2>>"$db/clean.log"
    echo "$srcdir"
}

# ---------------------------------------------------------------- main
need_pkgs dpkg-dev bear build-essential
ensure_deb_src
if [ "$PREPARE_ONLY" = 1 ]; then
    # The databases are compiled with clang-$LLVM; no plugin is needed yet.
    need_pkgs "clang-$LLVM"
else
    setup_plugin
fi

STAMP="$(date +%Y-%m-%d)"
SUFFIX=""
[ "$QUICK" = 1 ] && SUFFIX="-quick"
# A run of a chosen subset does not overwrite the full run's results.
if [ "$QUICK" = 0 ] && { [ "$PROJECTS" != "$ALL_PROJECTS" ] || [ "$MAX_TUS" != 0 ]; }; then
    SUFFIX="-partial"
fi
NAME="${NAME:-corpus-$STAMP$SUFFIX}"
RUNDIR="$WORK/runs/$NAME"
rm -rf "$RUNDIR"; mkdir -p "$RUNDIR"
MANIFEST="$RUNDIR/projects.tsv"
: >"$MANIFEST"
for proj in $PROJECTS; do
    t0=$SECONDS
    if srcdir="$(prepare_project "$proj")"; then
        # Wall time of this preparation (fetch, build-deps, build; a few
        # seconds when everything is reused); kept with the database.
        log "$proj: prepared in $((SECONDS - t0)) s"
        [ -f "$WORK/db/$proj/prepare-seconds" ] || echo "$((SECONDS - t0))" >"$WORK/db/$proj/prepare-seconds"
        version="$(cd "$(dirname "$srcdir")" && ls ./*.dsc 2>/dev/null | head -1 | sed 's|^\./||; s|\.dsc$||')"
        printf '%s\t%s\t%s\t%s\t%s\n' "$proj" "$srcdir" "$WORK/db/$proj" "$version" "$(tidy_extra_args "$proj")" >>"$MANIFEST"
    fi
done
[ -s "$MANIFEST" ] || die "no project could be prepared"
[ "$PREPARE_ONLY" = 1 ] && { log "prepared: $(cut -f1 "$MANIFEST" | paste -sd' ')"; exit 0; }

log "analysing (jobs=$JOBS, timeout=${TIMEOUT}s per TU, max TUs per project=${MAX_TUS:-all})"
"$PY" "$BENCH/lib/corpus_run.py" \
    --manifest "$MANIFEST" --rundir "$RUNDIR" \
    --clang-tidy "$CLANG_TIDY" --plugin "$PLUGIN" --plugin-rev "$PLUGIN_REV" \
    --checks "$PIPE_CHECKS" --llvm "$LLVM" \
    --timeout "$TIMEOUT" --jobs "$JOBS" --max-tus "$MAX_TUS" \
    --machine "$(machine_line)" --args-line="$ARGS_LINE" --triage "$BENCH/triage.md" \
    --out-md "$RESULTS/$NAME.md" --out-json "$RESULTS/$NAME.json" $NO_FACTS
exit
}
