// clang-tidy --verify-config (LLVM 16 and later; pipe-tidy runs it before
// every analysis) knows every option the pipe checks read, check-local and
// global keys: it learns them from the checks' own reads, so a check that
// reads its options must do so through clang-tidy for its keys not to be
// called unknown. A misspelt key still is.
//
// UNSUPPORTED: llvm-14, llvm-15
//
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacity, value: '4096'}, {key: pipe-leaked-writer.PipeCapacity, value: '4096'}, {key: pipe-wait-before-drain.PipeCapacity, value: '4096'}, {key: pipe-unclosed-write-end.CheckSpawnInheritance, value: 'false'}, {key: pipe-self-copy.AnalysisBudget, value: '500'}, {key: pipe-writer-error-ignored.CloseFunctions, value: 'xclose'}, {key: pipe-self-deadlock.PipeCreateFunctions, value: 'make_pipe'}, {key: pipe-self-deadlock.ReadFunctions, value: 'read_full'}, {key: pipe-self-deadlock.WriteFunctions, value: 'write_all'}, {key: pipe-self-deadlock.BorrowFunctions, value: 'log_fd'}, {key: pipe-self-deadlock.NoReturnFunctions, value: 'die'}]}" --verify-config 2>&1 | FileCheck %s --check-prefix=GOOD
// RUN: %clang_tidy --load=%plugin -checks='-*,pipe-*' -config="{CheckOptions: [{key: PipeCapacity, value: '4096'}, {key: AnalysisBudget, value: '500'}, {key: ReportOnErrors, value: 'true'}, {key: CloseFunctions, value: 'xclose'}, {key: PipeCreateFunctions, value: 'make_pipe'}, {key: ReadFunctions, value: 'read_full'}, {key: WriteFunctions, value: 'write_all'}, {key: BorrowFunctions, value: 'log_fd'}, {key: NoReturnFunctions, value: 'die'}]}" --verify-config 2>&1 | FileCheck %s --check-prefix=GOOD
// GOOD: No config errors detected.
//
// RUN: %expect_exit 1 %clang_tidy --load=%plugin -checks='-*,pipe-*' -config="{CheckOptions: [{key: pipe-self-deadlock.PipeCapacty, value: '4096'}]}" --verify-config 2>&1 | FileCheck %s --check-prefix=BAD
// BAD: warning: unknown check option 'pipe-self-deadlock.PipeCapacty'; did you mean 'pipe-self-deadlock.PipeCapacity' [-verify-config]
