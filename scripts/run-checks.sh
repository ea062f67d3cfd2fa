#!/usr/bin/env bash
# Runs the pipe-tidy checks on C and C++ files and prints the findings.
#
#   scripts/run-checks.sh [--fail-on-findings] [PATH...]
#   scripts/run-checks.sh [--fail-on-findings] -p BUILD_DIR [PATH...]
#
# Without -p it analyses the given files (a directory stands for the
# .c/.cpp/.cc/.cxx files under it; default: examples/), C with -std=gnu11
# and C++ with -std=c++17. With -p it takes the files and their compiler
# flags from BUILD_DIR/compile_commands.json: all of them, or those under
# the given paths.
#
# It first installs the Debian packages that are missing and builds the
# plugin, for LLVM $PIPE_TIDY_LLVM_VERSION if set, else the newest of 22 and
# 19 that is installed or installable.
#
# Exit status: 0 when clang-tidy ran (findings are output, not a failure);
# 1 with --fail-on-findings when there was a finding; 2 when clang-tidy
# failed (a compiler error in a file, a crash) or the setup failed.
set -uo pipefail

# shellcheck source=scripts/lib.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

usage() { sed -n '2,19p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die2() { printf 'pipe-tidy: error: %s\n' "$*" >&2; exit 2; }

fail_on_findings=0
build_dir=
paths=()
while [ $# -gt 0 ]; do
  case $1 in
    --fail-on-findings) fail_on_findings=1; shift ;;
    -p) [ $# -ge 2 ] || { usage >&2; exit 2; }; build_dir=$2; shift 2 ;;
    -p=*|--p=*) build_dir=${1#*=}; shift ;;
    -p*) build_dir=${1#-p}; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; paths+=("$@"); break ;;
    -*) pt_log "unknown option $1"; usage >&2; exit 2 ;;
    *) paths+=("$1"); shift ;;
  esac
done

# Resolve the user's paths before anything changes directory.
abs() { (cd "$(dirname "$1")" 2>/dev/null && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
if [ -n "$build_dir" ]; then
  [ -f "$build_dir/compile_commands.json" ] ||
    die2 "$build_dir/compile_commands.json not found (configure with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON)"
  build_dir=$(cd "$build_dir" && pwd)
fi
abs_paths=()
for p in "${paths[@]}"; do
  [ -e "$p" ] || die2 "no such file or directory: $p"
  abs_paths+=("$(abs "$p")")
done

# Which LLVM: the one asked for, else the newest of 22 and 19 available.
version=${PIPE_TIDY_LLVM_VERSION:-}
if [ -z "$version" ]; then
  for v in 22 19; do
    if pt_llvm_available "$v"; then version=$v; break; fi
  done
  [ -n "$version" ] || die2 "neither clang-tidy-22 nor clang-tidy-19 is installed or installable"
fi
build_plugin "$version" || die2 "could not build the plugin for LLVM $version"
clang_tidy=/usr/lib/llvm-$version/bin/clang-tidy
plugin=$(plugin_path "$version")

is_source() { case $1 in *.c|*.cpp|*.cc|*.cxx|*.C) return 0 ;; esac; return 1; }

files_c=() files_cxx=() files_db=()
if [ -n "$build_dir" ]; then
  python=$(pt_python)
  mapfile -t files_db < <("$python" - "$build_dir/compile_commands.json" "${abs_paths[@]}" <<'EOF'
import json, os, sys
db, wanted = sys.argv[1], [os.path.normpath(p) for p in sys.argv[2:]]
seen = []
for entry in json.load(open(db)):
    f = os.path.normpath(os.path.join(entry.get("directory", ""), entry["file"]))
    if wanted and not any(f == w or f.startswith(w.rstrip("/") + "/") for w in wanted):
        continue
    if f not in seen:
        seen.append(f)
print("\n".join(seen))
EOF
  )
  if [ "${#files_db[@]}" -eq 0 ] || [ -z "${files_db[0]}" ]; then
    die2 "no file of $build_dir/compile_commands.json matches ${paths[*]:-}"
  fi
else
  [ "${#abs_paths[@]}" -gt 0 ] || abs_paths=("$PIPE_TIDY_ROOT/examples")
  for p in "${abs_paths[@]}"; do
    if [ -d "$p" ]; then
      while IFS= read -r f; do
        case $f in *.c) files_c+=("$f") ;; *) files_cxx+=("$f") ;; esac
      done < <(find "$p" -type f \( -name '*.c' -o -name '*.cpp' -o -name '*.cc' \
                 -o -name '*.cxx' -o -name '*.C' \) -not -path '*/Output/*' | LC_ALL=C sort)
    elif is_source "$p"; then
      case $p in *.c) files_c+=("$p") ;; *) files_cxx+=("$p") ;; esac
    else
      die2 "not a C or C++ source file: $p"
    fi
  done
  [ $((${#files_c[@]} + ${#files_cxx[@]})) -gt 0 ] || die2 "no C or C++ files under ${abs_paths[*]}"
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
status=0
run() {
  printf '+ %s\n' "$*" >&2
  "$@" 2>&1 | tee -a "$out"
  local rc=${PIPESTATUS[0]}
  [ "$rc" -eq 0 ] || status=$rc
}
common=(--load="$plugin" '-checks=-*,pipe-*' --quiet)
if [ -n "$build_dir" ]; then
  run "$clang_tidy" "${common[@]}" -p "$build_dir" "${files_db[@]}"
  nfiles=${#files_db[@]}
else
  [ "${#files_c[@]}" -eq 0 ] || run "$clang_tidy" "${common[@]}" "${files_c[@]}" -- -std=gnu11
  [ "${#files_cxx[@]}" -eq 0 ] || run "$clang_tidy" "${common[@]}" "${files_cxx[@]}" -- -std=c++17
  nfiles=$((${#files_c[@]} + ${#files_cxx[@]}))
fi

findings=$(grep -cE '^.+:[0-9]+:[0-9]+: (warning|error): .*\[pipe-[^]]*\]$' "$out")
echo
echo "pipe-tidy (LLVM $version): $findings finding(s) in $nfiles file(s)"
if [ "$status" -ne 0 ]; then
  pt_log "clang-tidy failed (exit status $status): see the errors above"
  exit 2
fi
if [ "$fail_on_findings" -eq 1 ] && [ "$findings" -gt 0 ]; then
  exit 1
fi
exit 0
