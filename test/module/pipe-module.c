// pipe-module, the clang-tidy module the plugin registers
// (checker/PipeTidyModule.cpp, docs/pipe-module.md): it registers exactly the
// available pipe-* checks, each with its options, under the registry name
// "pipe-module", and exports the anchor a clang-tidy linked with pipe-tidy
// would force-link.
//
// The checks `-checks='-*,pipe-*'` enables, and nothing else:
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' --list-checks %s -- 2>&1 | FileCheck %s --check-prefix=LIST
// LIST: Enabled checks:
// LIST-NEXT: pipe-leaked-writer
// LIST-NEXT: pipe-self-copy
// LIST-NEXT: pipe-self-deadlock
// LIST-NEXT: pipe-unclosed-write-end
// LIST-NEXT: pipe-wait-before-drain
// LIST-NEXT: pipe-writer-error-ignored
// LIST-EMPTY:
//
// Each check stores its options, so `--dump-config` shows them with their
// defaults (the shared model options, and each check's own). LLVM 14 prints
// CheckOptions as a list, "- key: K" then "value: V" on the next line; the
// filter turns each pair into the "K: V" line that LLVM 15 and later print
// (their output has no "- key:" and passes through unchanged):
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' --config={} --dump-config %s -- 2>&1 \
// RUN:   | %python -c 'import re, sys; sys.stdout.write(re.sub(r"- key: +(\S+)\n +value: +", r"\1: ", sys.stdin.read()))' \
// RUN:   | FileCheck %s --check-prefix=OPTS
// OPTS-DAG: pipe-self-deadlock.PipeCapacity: '65536'
// OPTS-DAG: pipe-leaked-writer.PipeCapacity: '65536'
// OPTS-DAG: pipe-leaked-writer.WriteFunctions: ''
// OPTS-DAG: pipe-self-deadlock.AnalysisBudget: '400'
// OPTS-DAG: pipe-unclosed-write-end.ReportOnErrors: 'false'
// OPTS-DAG: pipe-self-deadlock.ReadFunctions: ''
// OPTS-DAG: pipe-unclosed-write-end.CheckSpawnInheritance: 'true'
// OPTS-DAG: pipe-unclosed-write-end.ReportLeaksBeforeExit: 'false'
// OPTS-DAG: pipe-unclosed-write-end.CallerFactsFile: ''
// OPTS-DAG: pipe-unclosed-write-end.PipeCreateFunctions: ''
// OPTS-DAG: pipe-wait-before-drain.PipeCapacity: '65536'
// OPTS-DAG: pipe-self-copy.WriteFunctions: ''
// OPTS-DAG: pipe-writer-error-ignored.ReadFunctions: ''
//
// The registry name and the anchor symbol are in the plugin:
// RUN: %python -c "import sys; b = open(sys.argv[1], 'rb').read(); print('name', b'pipe-module\0' in b); print('anchor', b'_ZN5clang4tidy26PipeTidyModuleAnchorSourceE' in b)" %plugin | FileCheck %s --check-prefix=SYMS
// SYMS: name True
// SYMS-NEXT: anchor True

int main(void) { return 0; }
