# shellcheck shell=bash
# Shared functions of scripts/run-tests.sh and scripts/run-checks.sh.
# Source it from bash:  . "$(dirname "$0")/lib.sh"
#
#   ensure_packages PKG...   installs the Debian packages that are missing
#   ensure_llvm NN           the LLVM NN packages the plugin and the tests need
#   build_plugin NN          configures and builds build/llvm-NN/PipeTidy-llvmNN.so
#   plugin_path NN           prints that path
#   find_lit NN              prints the lit.py to run for LLVM NN
#   pt_python                prints the python3 to run lit with
#
# Every function is idempotent: what is installed or built is reused.

PIPE_TIDY_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PIPE_TIDY_ROOT

pt_log() { printf 'pipe-tidy: %s\n' "$*" >&2; }
pt_die() { printf 'pipe-tidy: error: %s\n' "$*" >&2; exit 1; }

# Runs a command as root: directly when we are root, else through sudo.
pt_as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    pt_log "need root to run: $*  (run as root or install sudo)"
    return 1
  fi
}

pt_package_installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

_PT_APT_UPDATED=${_PT_APT_UPDATED:-0}

# ensure_packages PKG...: installs those of the Debian packages that are not
# installed; runs 'apt-get update' once per script, and only when something
# is missing.
ensure_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    pt_package_installed "$pkg" || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 ||
    { pt_log "missing packages ${missing[*]} and no apt-get to install them"; return 1; }
  pt_log "installing Debian packages: ${missing[*]}"
  if [ "$_PT_APT_UPDATED" != 1 ]; then
    pt_as_root apt-get -q -o DPkg::Lock::Timeout=600 update >&2 ||
      { pt_log "apt-get update failed"; return 1; }
    _PT_APT_UPDATED=1
  fi
  pt_as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=600 \
    install -y --no-install-recommends "${missing[@]}" >&2 ||
    { pt_log "could not install: ${missing[*]}"; return 1; }
}

# Is LLVM NN installable here (are its packages known to apt)?
pt_llvm_available() {
  local v=$1
  pt_package_installed "clang-tidy-$v" && return 0
  if [ "$_PT_APT_UPDATED" != 1 ] && ! apt-cache show "clang-tidy-$v" >/dev/null 2>&1; then
    pt_as_root apt-get -q -o DPkg::Lock::Timeout=600 update >&2 || return 1
    _PT_APT_UPDATED=1
  fi
  apt-cache show "clang-tidy-$v" >/dev/null 2>&1
}

ensure_build_tools() {
  ensure_packages cmake ninja-build g++ make python3
}

ensure_llvm() {
  local v=${1:?ensure_llvm needs an LLVM major}
  ensure_packages "clang-$v" "clang-tidy-$v" "libclang-$v-dev" "llvm-$v-dev" "llvm-$v-tools"
}

plugin_path() {
  printf '%s/build/llvm-%s/PipeTidy-llvm%s.so\n' "$PIPE_TIDY_ROOT" "$1" "$1"
}

# build_plugin NN: configures build/llvm-NN (Ninja) and builds the plugin.
# Re-running only rebuilds what changed.
build_plugin() {
  local v=${1:?build_plugin needs an LLVM major}
  local dir="$PIPE_TIDY_ROOT/build/llvm-$v"
  ensure_build_tools || return 1
  ensure_llvm "$v" || return 1
  # A tree configured with another generator cannot be reused by -G Ninja.
  if [ -f "$dir/CMakeCache.txt" ] &&
     ! grep -q '^CMAKE_GENERATOR:INTERNAL=Ninja$' "$dir/CMakeCache.txt"; then
    pt_log "build/llvm-$v was configured with another generator; reconfiguring it"
    rm -rf "$dir/CMakeCache.txt" "$dir/CMakeFiles"
  fi
  pt_log "building the plugin for LLVM $v in build/llvm-$v"
  if ! cmake -S "$PIPE_TIDY_ROOT" -B "$dir" -G Ninja -DPIPE_TIDY_LLVM_VERSION="$v" >&2; then
    # A first configure can fail where a second one succeeds: LLVM's
    # LLVMConfig.cmake runs check_include_file(histedit.h) when libedit-dev
    # is installed, which needs the C language in project(); the failed
    # check is cached, so the retry gets past it. Say so loudly.
    pt_log "WARNING: cmake configure failed for LLVM $v; retrying once (if the error" \
           "above is 'try_compile() works only for enabled languages', CMakeLists.txt" \
           "needs 'project(... LANGUAGES C CXX)')"
    cmake -S "$PIPE_TIDY_ROOT" -B "$dir" -G Ninja -DPIPE_TIDY_LLVM_VERSION="$v" >&2 ||
      { pt_log "cmake configure failed for LLVM $v"; return 1; }
  fi
  # PIPE_TIDY_BUILD_TARGETS (space-separated) builds only those targets, e.g.
  # "PipeTidy" for the plugin alone; default: everything (plugin,
  # pipe-clang-tidy, pipe-clangd, docs, man pages, .deb files).
  local targets=()
  if [ -n "${PIPE_TIDY_BUILD_TARGETS:-}" ]; then
    read -r -a targets <<<"$PIPE_TIDY_BUILD_TARGETS"
    targets=(--target "${targets[@]}")
  fi
  cmake --build "$dir" "${targets[@]}" >&2 ||
    { pt_log "build failed for LLVM $v"; return 1; }
  [ -f "$(plugin_path "$v")" ] ||
    { pt_log "the build did not produce $(plugin_path "$v")"; return 1; }
}

# The python3 that runs lit and the test tools: Debian's, where the
# python3-* packages are installed, else the first on PATH.
pt_python() {
  if [ -x /usr/bin/python3 ]; then
    printf '%s\n' /usr/bin/python3
  else
    command -v python3
  fi
}

# find_lit NN: lit's entry script; LLVM 19 ships build/utils/lit/lit.py,
# LLVM 22 bin/lit. Falls back to the lit of any installed LLVM. The tests
# use RUN lines with %if, which lit understands from LLVM 15 on: for LLVM 14
# the lit of the newest installed LLVM comes first (lit only runs the tests;
# lit.cfg.py takes clang-tidy, FileCheck and the rest from LLVM NN).
find_lit() {
  local v=$1 c newest=()
  if [ "$v" -lt 15 ]; then
    for c in $(printf '%s\n' /usr/lib/llvm-*/ | sed -n 's|^/usr/lib/llvm-\([0-9][0-9]*\)/$|\1|p' | sort -rn); do
      [ "$c" -ge 15 ] && newest+=("/usr/lib/llvm-$c/build/utils/lit/lit.py" "/usr/lib/llvm-$c/bin/lit")
    done
  fi
  for c in "${newest[@]}" "/usr/lib/llvm-$v/build/utils/lit/lit.py" "/usr/lib/llvm-$v/bin/lit" \
           /usr/lib/llvm-*/build/utils/lit/lit.py /usr/lib/llvm-*/bin/lit; do
    if [ -f "$c" ]; then
      printf '%s\n' "$c"
      return 0
    fi
  done
  return 1
}
