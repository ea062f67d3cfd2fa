// VS Code's C/C++ extension (microsoft/vscode-cpptools) without VS Code:
// the clang-tidy command lines its code analysis runs, as its debug log
// shows them (C_Cpp.loggingLevel: Debug; vscode-cpptools issues #8952,
// #9555, #10759), with C_Cpp.codeAnalysis.clangTidy.path set to our
// executable. The extension's parser is not public: it reads the
// diagnostics on stdout and the fixes from the --export-fixes YAML, so both
// are checked here.
//
// REQUIRES: pipe-clang-tidy
// RUN: rm -rf %t && mkdir -p %t/proj/build && cp %s %t/proj/reader.c
// RUN: printf 'Checks: "-*"\n' > %t/.clang-tidy
// RUN: printf '[{"directory": "%t/proj/build", "file": "%t/proj/reader.c", "command": "cc -std=gnu11 -c %t/proj/reader.c"}]' > %t/proj/build/compile_commands.json
//
// No .clang-tidy: the checks from C_Cpp.codeAnalysis.clangTidy.checks.enabled
// (added to clang-analyzer-*), the compiler arguments of the IntelliSense
// configuration after --:
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy '--checks=clang-analyzer-*,pipe-*' '--header-filter=%t/proj' --extra-arg=-ferror-limit=0 --export-fixes=%t/a.yaml --quiet %t/proj/reader.c -- -std=gnu11 > %t/a.txt 2>%t/a.err
// RUN: FileCheck %s --check-prefix=OUT < %t/a.txt
// RUN: FileCheck %s --check-prefix=YAML < %t/a.yaml
// OUT: {{^}}/{{.*}}/proj/reader.c:[[@LINE+48]]:3: warning: 'wait_for_token' leaks the write end 'fds[1]' (and the read end 'fds[0]') of the pipe when it returns here; {{.*}} [pipe-unclosed-write-end]{{$}}
// OUT: {{^}}/{{.*}}/proj/reader.c:[[@LINE+45]]:7: note: pipe created here{{$}}
// OUT: {{^}}/{{.*}}/proj/reader.c:[[@LINE+46]]:15: warning: read from 'fds[0]' blocks forever: {{.*}} [pipe-self-deadlock]{{$}}
// YAML: MainSourceFile: '{{.*}}/proj/reader.c'
// YAML: - DiagnosticName: pipe-unclosed-write-end
// YAML: Message: '''wait_for_token'' leaks the write end ''fds[1]'' (and the read end ''fds[0]'') of the pipe
// YAML: FilePath: '{{.*}}/proj/reader.c'
// YAML: Notes:
// YAML-NEXT: - Message: pipe created here
// YAML: Level: Warning
// YAML: - DiagnosticName: pipe-self-deadlock
// YAML: - DiagnosticName: pipe-unclosed-write-end
// YAML: Replacements:
// YAML-NEXT: - FilePath: '{{.*}}/proj/reader.c'
// YAML-NEXT: Offset: [[#]]
// YAML-NEXT: Length: 0
// YAML-NEXT: ReplacementText: 'close(fds[1]); '
//
// C_Cpp.codeAnalysis.clangTidy.useBuildPath with C_Cpp.default.compileCommands,
// the checks from the project's .clang-tidy (then no --header-filter):
// RUN: printf 'Checks: "-*,pipe-*"\n' > %t/proj/.clang-tidy
// RUN: cd %t/proj && %build_dir/bin/pipe-clang-tidy --export-fixes=%t/b.yaml --quiet %t/proj/reader.c -p=%t/proj/build > %t/b.txt 2>%t/b.err
// RUN: FileCheck %s --check-prefix=OUT < %t/b.txt
// RUN: FileCheck %s --check-prefix=YAML < %t/b.yaml
//
// Stock clang-tidy of the plugin's LLVM as the path, the plugin in
// C_Cpp.codeAnalysis.clangTidy.args (placed before --export-fixes):
// RUN: cd %t/proj && %clang_tidy '--header-filter=%t/proj' --load=%plugin --export-fixes=%t/c.yaml --quiet %t/proj/reader.c -p=%t/proj/build > %t/c.txt 2>%t/c.err
// RUN: FileCheck %s --check-prefix=OUT < %t/c.txt
// RUN: FileCheck %s --check-prefix=YAML < %t/c.yaml
//
// A problemMatcher "$gcc" (a tasks.json task that runs pipe-tidy) reads
// the same lines: the extension's matcher regex, from its package.json,
//   ^(.*?):(\d+):(\d+):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$
// RUN: %python -c "import re, sys; [print('MATCH', *m.groups()) for m in (re.match(r'^(.*?):(\d+):(\d+):?\s+(?:fatal\s+)?(warning|error):\s+(.*)$', l) for l in open(sys.argv[1])) if m]" %t/c.txt | FileCheck %s --check-prefix=GCC
// GCC: MATCH {{.*}}/proj/reader.c [[@LINE+13]] 3 warning 'wait_for_token' leaks the write end 'fds[1]'
// GCC-NEXT: MATCH {{.*}}/proj/reader.c [[@LINE+12]] 15 warning read from 'fds[0]'
//
// The fix-it of pipe-unclosed-write-end (an early return in a block) is in
// the YAML, which is where the extension takes its quick fixes from.

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}

int send_greeting(int *rfd, const char *greeting) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  *rfd = fds[0];
  if (greeting == 0) {
    return -1;
  }
  (void)write(fds[1], greeting, 1);
  close(fds[1]);
  return 0;
}
