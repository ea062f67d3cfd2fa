#!/usr/bin/env bash
# bench/benchmark.sh: what the pipe checks cost.
#
#   bench/benchmark.sh           # every TU of the latest full corpus run, 5 runs each
#   bench/benchmark.sh --quick   # 40 TUs spread over the corpus, 3 runs, scaling to 10k only
#   bench/benchmark.sh --runs 7 --instr-tus 20 --corpus bench/results/corpus-2026-11-28.json
#   bench/benchmark.sh --parts tus,instr        # only some parts (tus instr scaling analyzer)
#   bench/benchmark.sh --render-only bench/results/benchmark-DATE.json   # re-write its .md
#   ... --rev HEAD     # measure a committed revision (built from `git archive`
#                        into bench/work/plugin-src/), not the working tree
#   ... --llvm 22      # clang-tidy-22 and the LLVM 22 plugin (default 19)
# The plugin measured by default is the working tree's, built into
# build/llvm-NN (PIPE_TIDY_PLUGIN=/path/to/PipeTidy-llvmNN.so to give a file).
#
# Needs a corpus run first (bench/corpus.sh): it measures the TUs that run
# analysed without error, with their compilation databases. Parts:
#  tus       per TU, clang-tidy with the pipe checks vs clang-tidy without
#            them (-checks=-*,misc-definitions-in-headers, plugin not loaded)
#            vs clang -fsyntax-only, interleaved, 1 warm-up + N runs, medians
#            of CPU time; median overhead over TUs, worst TU
#  instr     callgrind instruction counts (deterministic) for a subset of TUs
#  scaling   one generated function of 1k, 10k, 50k, 100k statements: CPU
#            time and peak RSS with and without the pipe checks, and whether
#            the leak at its end is found
#  analyzer  clang-analyzer-* on the same TUs: time, and what it reports
#            about descriptors, pipes and processes
# Output: bench/results/benchmark-<date>.md and .json (-quick or -partial in
# the name for --quick and for runs of some parts or TUs only: not committed).
#
# Not a test and not run by CI. Run it on an otherwise idle machine.
set -euo pipefail
{
. "$(dirname "$0")/lib/common.sh"

QUICK=0
RUNS=""
CORPUS=""
INSTR_TUS=""
PARTS="tus,instr,scaling,analyzer"
SIZES=""
MAX_TUS=""
PROJECTS=""
TIMEOUT=300
ARGS_LINE="$*"
RENDER_ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --runs) RUNS="$2"; shift ;;
        --corpus) CORPUS="$2"; shift ;;
        --instr-tus) INSTR_TUS="$2"; shift ;;
        --parts) PARTS="$2"; shift ;;
        --sizes) SIZES="$2"; shift ;;
        --max-tus) MAX_TUS="$2"; shift ;;
        --projects) PROJECTS="$2"; shift ;;
        --timeout) TIMEOUT="$2"; shift ;;
        --llvm) LLVM="$2"; shift ;;
        --render-only) RENDER_ONLY="$2"; shift ;;
        --rev) PLUGIN_AT="$2"; shift ;;
        -h|--help) sed -n "2,29p" "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done
if [ "$QUICK" = 1 ]; then
    : "${RUNS:=3}" "${INSTR_TUS:=4}" "${SIZES:=1000,10000}" "${MAX_TUS:=40}"
fi
: "${RUNS:=5}" "${INSTR_TUS:=10}" "${SIZES:=1000,10000,50000,100000}" "${MAX_TUS:=0}"
mkdir -p "$WORK" "$RESULTS"
if [ -n "$RENDER_ONLY" ]; then
    # Re-write a report's Markdown from its JSON (after a change to the
    # report's format), without measuring again.
    "$PY" "$BENCH/lib/bench_run.py" --render-only --clang-tidy - --clang - --plugin - --plugin-rev - \
        --corpus "${CORPUS:-$(ls -1 "$RESULTS"/corpus-*.json | grep -v -- '-quick\.json$' | grep -v -- '-partial\.json$' | sort | tail -1)}" \
        --machine - --workdir "$WORK/bench" --out-json "$RENDER_ONLY" --out-md "${RENDER_ONLY%.json}.md"
    exit 0
fi
need_pkgs valgrind
setup_plugin

if [ -z "$CORPUS" ]; then
    CORPUS="$(ls -1 "$RESULTS"/corpus-*.json 2>/dev/null | grep -v -- '-quick\.json$' | grep -v -- '-partial\.json$' | sort | tail -1 || true)"
    [ -n "$CORPUS" ] || CORPUS="$(ls -1 "$RESULTS"/corpus-*.json 2>/dev/null | sort | tail -1 || true)"
fi
[ -n "$CORPUS" ] && [ -f "$CORPUS" ] || die "no corpus results in $RESULTS: run bench/corpus.sh first"
log "corpus: $CORPUS"

STAMP="$(date +%Y-%m-%d)"
SUFFIX=""
[ "$QUICK" = 1 ] && SUFFIX="-quick"
# Only some parts, or a subset: scratch results, not the day's benchmark.
if [ "$QUICK" = 0 ] && { [ "$PARTS" != "tus,instr,scaling,analyzer" ] || [ "$MAX_TUS" != 0 ] || [ -n "$PROJECTS" ]; }; then
    SUFFIX="-partial"
fi
"$PY" "$BENCH/lib/bench_run.py" \
    --clang-tidy "$CLANG_TIDY" --clang "$CLANG" --plugin "$PLUGIN" --plugin-rev "$PLUGIN_REV" \
    --corpus "$CORPUS" --machine "$(machine_line)" --workdir "$WORK/bench" \
    --runs "$RUNS" --instr-tus "$INSTR_TUS" --scaling-sizes "$SIZES" --parts "$PARTS" \
    --max-tus "$MAX_TUS" --projects "$PROJECTS" --timeout "$TIMEOUT" --jobs "$(nproc)" \
    --args-line="$ARGS_LINE" \
    --out-md "$RESULTS/benchmark-$STAMP$SUFFIX.md" --out-json "$RESULTS/benchmark-$STAMP$SUFFIX.json"
exit
}
