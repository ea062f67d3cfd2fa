# Shared by bench/corpus.sh and bench/benchmark.sh. Sourced, not run.
#
# Sets BENCH (bench/), ROOT (the repository), WORK (bench/work, never
# committed), RESULTS (bench/results), LLVM (major), CLANG_TIDY, CLANG,
# PLUGIN (a snapshot of the built plugin, bench/work/plugin/PipeTidy-llvmNN-REV.so,
# so that a rebuild of build/llvm-NN by someone else during a long run cannot
# change the plugin half-way through) and PLUGIN_REV (git revision of the
# sources it was built from, "+dirty" when checker/ had uncommitted changes).

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROOT="$(cd "$BENCH/.." && pwd)"
WORK="$BENCH/work"
RESULTS="$BENCH/results"
LLVM="${PIPE_TIDY_LLVM_VERSION:-19}"
PY=/usr/bin/python3

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Install the Debian packages in "$@" that are not installed yet.
need_pkgs() {
    local missing=() p
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing: ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}" >"$WORK/apt-install.log" 2>&1; then
        apt-get update >"$WORK/apt-update.log" 2>&1 || true
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y --no-install-recommends "${missing[@]}" >"$WORK/apt-install.log" 2>&1 \
            || { tail -n 20 "$WORK/apt-install.log" >&2; die "apt-get install ${missing[*]} failed"; }
    fi
}

# Build (or bring up to date) build/llvm-$LLVM and snapshot the plugin.
# With PLUGIN_AT=<git revision> (--rev REV), build that committed revision
# instead, from `git archive` into bench/work/plugin-src/<rev>, untouched by
# uncommitted edits in the working tree.
setup_plugin() {
    need_pkgs cmake ninja-build "clang-$LLVM" "clang-tidy-$LLVM" "libclang-$LLVM-dev" "llvm-$LLVM-dev"
    CLANG_TIDY="/usr/lib/llvm-$LLVM/bin/clang-tidy"
    CLANG="/usr/lib/llvm-$LLVM/bin/clang"
    local bdir="$ROOT/build/llvm-$LLVM" so="$ROOT/build/llvm-$LLVM/PipeTidy-llvm$LLVM.so"
    if [ -n "${PLUGIN_AT:-}" ]; then
        local rev src
        rev="$(git -C "$ROOT" rev-parse --short=12 "$PLUGIN_AT^{commit}")" || die "no revision $PLUGIN_AT"
        src="$WORK/plugin-src/$rev"
        if [ ! -f "$src/build-llvm$LLVM/PipeTidy-llvm$LLVM.so" ]; then
            if [ ! -f "$src/CMakeLists.txt" ]; then
                rm -rf "$src"; mkdir -p "$src"
                git -C "$ROOT" archive "$rev" | tar -x -C "$src"
            fi
            cmake -S "$src" -B "$src/build-llvm$LLVM" -G Ninja -DPIPE_TIDY_LLVM_VERSION="$LLVM" >"$WORK/plugin-configure.log" 2>&1 \
                && cmake --build "$src/build-llvm$LLVM" >"$WORK/plugin-build.log" 2>&1 \
                || { tail -n 20 "$WORK/plugin-build.log" "$WORK/plugin-configure.log" >&2; die "building revision $rev failed"; }
        fi
        PIPE_TIDY_PLUGIN="$src/build-llvm$LLVM/PipeTidy-llvm$LLVM.so"
        PLUGIN_REV_FIXED="$rev"
    fi
    if [ -z "${PIPE_TIDY_PLUGIN:-}" ]; then
        if [ ! -f "$bdir/build.ninja" ]; then
            cmake -S "$ROOT" -B "$bdir" -G Ninja -DPIPE_TIDY_LLVM_VERSION="$LLVM" >"$WORK/plugin-configure.log" 2>&1 \
                || { tail -n 20 "$WORK/plugin-configure.log" >&2; die "configuring the plugin failed"; }
        fi
        if ! cmake --build "$bdir" >"$WORK/plugin-build.log" 2>&1; then
            tail -n 20 "$WORK/plugin-build.log" >&2
            [ -f "$so" ] || die "building the plugin failed"
            log "warning: rebuilding the plugin failed; measuring the existing $so"
        fi
    else
        so="$PIPE_TIDY_PLUGIN"   # measure a given plugin file instead
    fi
    [ -f "$so" ] || die "no plugin at $so"
    if [ -n "${PLUGIN_REV_FIXED:-}" ]; then
        PLUGIN_REV="$PLUGIN_REV_FIXED"
    elif [ -n "${PIPE_TIDY_PLUGIN:-}" ]; then
        PLUGIN_REV="given file $PIPE_TIDY_PLUGIN"
    else
        PLUGIN_REV="$(git -C "$ROOT" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
        if [ -n "$(git -C "$ROOT" status --porcelain -- checker CMakeLists.txt 2>/dev/null)" ]; then
            PLUGIN_REV="$PLUGIN_REV+dirty (working tree)"
        fi
    fi
    mkdir -p "$WORK/plugin"
    # One snapshot per LLVM and revision: a crash's reproducer command in a
    # report keeps working after the run.
    local tag="${PLUGIN_REV%% *}"
    tag="${tag//\//_}"
    PLUGIN="$WORK/plugin/PipeTidy-llvm$LLVM-$tag.so"
    cp -f "$so" "$PLUGIN.tmp.$$" && mv -f "$PLUGIN.tmp.$$" "$PLUGIN"
    "$CLANG_TIDY" --load="$PLUGIN" -checks='-*,pipe-*' --list-checks >"$WORK/plugin-checks.txt" 2>&1 \
        || { cat "$WORK/plugin-checks.txt" >&2; die "the plugin does not load into $CLANG_TIDY"; }
    PIPE_CHECKS="$(grep -o 'pipe-[a-z0-9-]*' "$WORK/plugin-checks.txt" | sort -u | paste -sd, -)"
    [ -n "$PIPE_CHECKS" ] || die "the plugin registers no pipe-* check"
    log "plugin: $so (rev $PLUGIN_REV), checks: $PIPE_CHECKS"
    export CLANG_TIDY CLANG PLUGIN PLUGIN_REV PIPE_CHECKS
}

machine_line() {
    local cpu mem
    cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')"
    mem="$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo)"
    printf '%s cores (nproc), %s, %s RAM, %s' "$(nproc)" "$cpu" "$mem" "$(. /etc/os-release; echo "$PRETTY_NAME")"
}
