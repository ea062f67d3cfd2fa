#!/usr/bin/env bash
# Runs the pipe-tidy test suite once for each supported LLVM.
#
#   scripts/run-tests.sh [--llvm "19 22"] [TEST_PATH...] [-- LIT_ARGS...]
#
# For each LLVM major (--llvm, else $PIPE_TIDY_LLVM_VERSIONS, else 19, 22,
# and 14, 15 and 16 if they are installed)
# it installs the Debian packages that are missing, builds
# build/llvm-NN/PipeTidy-llvmNN.so, and runs lit on test/ (or on the given
# test paths) with that clang-tidy and plugin; the other version's plugin is
# passed as other_plugin for the cross-load tests. It ends with lit's summary
# of each version and one line with the totals:
#
#   N passed, M failed[, K skipped]
#
# (skipped = unsupported and expected failures). A version whose packages or
# build fail counts as one failed test. The exit status is 0 only when
# nothing failed.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() { sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Default: 19 and 22 (installed if missing), and 14, 15 and 16 when they
# are installed.
default_versions() {
  local v out="19 22"
  for v in 16 15 14; do
    if pt_package_installed "clang-tidy-$v" && pt_package_installed "libclang-$v-dev"; then
      out="$v $out"
    fi
  done
  printf '%s' "$out"
}
versions=${PIPE_TIDY_LLVM_VERSIONS:-$(default_versions)}
test_paths=()
lit_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --llvm) [ $# -ge 2 ] || { usage >&2; exit 2; }; versions=$2; shift 2 ;;
    --llvm=*) versions=${1#--llvm=}; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; lit_args+=("$@"); break ;;
    -*) pt_log "unknown option $1"; usage >&2; exit 2 ;;
    *) test_paths+=("$1"); shift ;;
  esac
done
versions=$(printf '%s' "$versions" | tr ',' ' ')
read -r -a versions <<<"$versions"
[ "${#versions[@]}" -gt 0 ] || pt_die "no LLVM versions given"
[ "${#test_paths[@]}" -gt 0 ] || test_paths=("$PIPE_TIDY_ROOT/test")
for i in "${!test_paths[@]}"; do
  test_paths[i]=$(realpath -m -- "${test_paths[i]}")
done

cd "$PIPE_TIDY_ROOT" || exit 1

declare -A built=() summary=()
total_pass=0 total_fail=0 total_skip=0

# Packages first (one apt-get update), then the builds, then the tests, so
# every lit run can cross-load the other version's plugin.
ensure_build_tools || pt_die "cannot install the build tools"
python=$(pt_python) || pt_die "no python3"
ensure_packages python3-psutil || pt_log "python3-psutil missing: lit runs without a per-test timeout"
# The Boost tests compile against the real headers (Boost.Asio, Boost.Process
# v1 and v2 are header-only; boost::thread needs its library). Without them
# lit reports those tests UNSUPPORTED (feature 'boost').
ensure_packages libboost1.81-dev libboost-thread1.81-dev libboost-filesystem1.81-dev ||
  pt_log "Boost 1.81 missing: the Boost tests are skipped"
# The pre-commit hook test drives the real pre-commit (feature 'pre-commit').
ensure_packages git pre-commit ||
  pt_log "pre-commit missing: the hook test is skipped"
# The SARIF test validates the log against the SARIF 2.1.0 schema
# (feature 'jsonschema').
ensure_packages python3-jsonschema ||
  pt_log "python3-jsonschema missing: the SARIF test is skipped"
# cpack -G DEB (the install and package tests) takes the package's library
# dependencies from dpkg-shlibdeps (dpkg-dev).
ensure_packages dpkg-dev ||
  pt_log "dpkg-dev missing: building the .deb fails, and so do the tests that build it"
# The package test holds the .deb to lintian's rules (feature 'lintian'), and
# the man page test renders the pages with man (feature 'man').
ensure_packages lintian man-db ||
  pt_log "lintian or man-db missing: the package or man page test is skipped"
# The HTML report test renders its pages in headless Chromium (feature
# 'chromium').
ensure_packages chromium ||
  pt_log "chromium missing: the HTML report test is skipped"
# The ALE test drives the real ALE in a headless Vim (feature 'vim-ale').
ensure_packages vim vim-ale ||
  pt_log "vim-ale missing: the ALE editor test is skipped"
# The Neovim test drives Debian 12's Neovim (0.7.2) headless with
# pipe-clangd (feature 'neovim').
ensure_packages neovim ||
  pt_log "neovim missing: the Neovim editor test is skipped"

for v in "${versions[@]}"; do
  [[ $v =~ ^[0-9]+$ ]] || pt_die "not an LLVM major: $v"
  if build_plugin "$v"; then
    built[$v]=1
  else
    summary[$v]="LLVM $v: packages or build FAILED, no test ran"
    total_fail=$((total_fail + 1))
  fi
done

# Each run-proof (test/tools/run_example.py) runs once per invocation: the
# programs do not depend on the checker's LLVM, so the second and later
# majors reuse the proofs that held (failures always run again).
if [ -z "${PIPE_TIDY_PROOF_RESULTS:-}" ]; then
  PIPE_TIDY_PROOF_RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/pipe-tidy-proofs.XXXXXX") ||
    pt_die "cannot create a directory for the proof records"
  trap 'rm -rf "$PIPE_TIDY_PROOF_RESULTS"' EXIT
fi
export PIPE_TIDY_PROOF_RESULTS

# Most of a test's time is spent waiting: a run-proof of a hang lets the
# program run for its timeout (2 s) before it counts as hung, and a test
# file runs its proofs one after another. Three lit workers per core keep
# the cores busy meanwhile (LLVM 22's whole suite on 2 cores: 10 min 46 s
# with 2 workers, 5 min 5 s with 6). PIPE_TIDY_LIT_JOBS overrides it.
lit_jobs=${PIPE_TIDY_LIT_JOBS:-$(($(nproc 2>/dev/null || echo 1) * 3))}
[[ $lit_jobs =~ ^[1-9][0-9]*$ ]] || pt_die "PIPE_TIDY_LIT_JOBS must be a positive number, not '$lit_jobs'"

lit_timeout=()
if "$python" -c 'import psutil' >/dev/null 2>&1; then
  lit_timeout=(--timeout "${PIPE_TIDY_LIT_TIMEOUT:-900}")
fi

for v in "${versions[@]}"; do
  [ -n "${built[$v]:-}" ] || continue
  other=()
  for o in "${versions[@]}"; do
    if [ "$o" != "$v" ] && [ -n "${built[$o]:-}" ]; then
      other=(--param "other_plugin=$(plugin_path "$o")" --param "other_llvm_version=$o")
      break
    fi
  done
  if [ "${#other[@]}" -eq 0 ]; then
    # Not built in this run, but maybe earlier: still worth the cross-load test.
    for o in 22 19 16 15 14; do
      if [ "$o" != "$v" ] && [ -f "$(plugin_path "$o")" ]; then
        other=(--param "other_plugin=$(plugin_path "$o")" --param "other_llvm_version=$o")
        break
      fi
    done
  fi
  lit=$(find_lit "$v") || {
    summary[$v]="LLVM $v: no lit found (install llvm-$v-tools)"
    total_fail=$((total_fail + 1))
    continue
  }
  results="$PIPE_TIDY_ROOT/build/lit-results-llvm$v.json"
  rm -f "$results"
  echo
  echo "======================= pipe-tidy tests with LLVM $v ======================="
  echo "$python $lit -sv -j $lit_jobs --param llvm_version=$v ${other[*]} ${test_paths[*]}"
  "$python" "$lit" -sv -j "$lit_jobs" "${lit_timeout[@]}" --param "llvm_version=$v" "${other[@]}" \
    -o "$results" "${lit_args[@]}" "${test_paths[@]}"
  lit_status=$?
  if ! counts=$("$python" - "$results" <<'EOF'
import json, sys
with open(sys.argv[1]) as f:
    tests = json.load(f)["tests"]
passed = failed = skipped = 0
for t in tests:
    code = t["code"]
    if code in ("PASS", "FLAKYPASS"):
        passed += 1
    elif code in ("UNSUPPORTED", "XFAIL", "SKIPPED", "EXCLUDED"):
        skipped += 1
    else:  # FAIL, XPASS, UNRESOLVED, TIMEOUT
        failed += 1
print(passed, failed, skipped)
EOF
  ); then
    summary[$v]="LLVM $v: lit did not finish (exit status $lit_status)"
    total_fail=$((total_fail + 1))
    continue
  fi
  read -r p f s <<<"$counts"
  if [ "$lit_status" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1  # lit failed without a failed test: a configuration error
  fi
  if [ $((p + f)) -eq 0 ]; then
    f=1  # no test ran at all: that is a failure, not a success
  fi
  total_pass=$((total_pass + p))
  total_fail=$((total_fail + f))
  total_skip=$((total_skip + s))
  summary[$v]="LLVM $v: $p passed, $f failed, $s skipped (lit exit status $lit_status)"
done

echo
echo "======================= pipe-tidy test summary ======================="
for v in "${versions[@]}"; do
  echo "${summary[$v]}"
done
line="$total_pass passed, $total_fail failed"
[ "$total_skip" -gt 0 ] && line="$line, $total_skip skipped"
echo "$line"
[ "$total_fail" -eq 0 ]
