// pipe-tidy --diff on a C++ project (docs/usage.md#diff-mode): which files it
// analyses, and helpers three calls deep. Feeder::run() hands the write
// end to finish(), a static member, which calls flush_and_close() in
// include/flush.h, which calls close_fd() in include/io_util.h, which closes
// it. A change to close_fd() that stops closing makes run() leak the end and
// its waitpid() wait forever for a child that never sees end-of-file; the
// warning is in run(), in a file the change did not touch, and the helper
// between them is in a header the change did not touch either.
//
// RUN: rm -rf %t && mkdir -p %t/proj/src %t/proj/build && cp -r %S/Inputs/diff-files/. %t/proj/ && cp %s %t/proj/src/feeder.cpp
// RUN: printf '[{"directory": "%t/proj", "file": "src/feeder.cpp", "arguments": ["c++", "-std=c++17", "-Iinclude", "-c", "src/feeder.cpp"]},\n {"directory": "%t/proj", "file": "src/other.cpp", "arguments": ["c++", "-std=c++17", "-Iinclude", "-c", "src/other.cpp"]}]\n' > %t/proj/build/compile_commands.json
// RUN: printf 'build/\n' > %t/proj/.gitignore
// RUN: git -C %t/proj init -q && git -C %t/proj add . && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -m base
//
// The header change: close_fd() marks the descriptor close-on-exec, not closed.
// RUN: sed -i 's|close(fd); // CLOSE[-]FD|(void)fcntl(fd, F_SETFD, FD_CLOEXEC);|' %t/proj/include/io_util.h
// RUN: %run_example %s feed exit -- -I%S/Inputs/diff-files/include
// RUN: %run_example %t/proj/src/feeder.cpp feed hang -- -I%t/proj/include
//
// With -p, the files of the database that include the header (here through
// flush.h): feeder.cpp, not other.cpp.
// RUN: cd %t/proj && %python %S/Inputs/status.py %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --fail-on-findings --diff HEAD -p build > %t/header.txt 2>&1
// RUN: FileCheck %s --check-prefix=HEADER --implicit-check-not=other.cpp < %t/header.txt
// HEADER: pipe-tidy: note: --diff HEAD touches 1 line in 1 file; analysing 1 file (1 of them for a changed header)
// HEADER: src/feeder.cpp:[[@LINE+87]]:3: error: child process 'pid' is waited for here{{.*}}[pipe-self-deadlock,-warnings-as-errors]
// HEADER: src/feeder.cpp:[[@LINE+87]]:3: error: {{.*}}[pipe-unclosed-write-end,-warnings-as-errors]
// HEADER: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 0 outside the diff
// HEADER: exit status: 1
//
// Without -p: the source files git tracks that include it, with the flags
// after --.
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD -- -std=c++17 -Iinclude > %t/nodb.txt 2>&1
// RUN: FileCheck %s --check-prefix=NODB --implicit-check-not=other.cpp < %t/nodb.txt
// NODB: analysing 1 file (1 of them for a changed header)
// NODB: src/feeder.cpp:[[@LINE+78]]:3: warning: {{.*}}[pipe-unclosed-write-end]
//
// A header's own findings: wait_token() in include/token.h no longer closes
// the write end before it reads (so the read blocks, and the write end
// leaks at its return). Diff mode shows headers' findings
// (-header-filter=.*, which clang-tidy before 22 does not do by default),
// and keeps those the diff touches.
// RUN: git -C %t/proj checkout -q include/io_util.h && sed -i '/TOKEN[-]CLOSE/d' %t/proj/include/token.h
// RUN: %run_example %s token exit -- -I%S/Inputs/diff-files/include
// RUN: %run_example %t/proj/src/feeder.cpp token hang -- -I%t/proj/include
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD -p build > %t/token.txt 2>&1
// RUN: FileCheck %s --check-prefix=TOKEN --implicit-check-not=other.cpp --implicit-check-not=warning: < %t/token.txt
// TOKEN: analysing 1 file (1 of them for a changed header)
// TOKEN: include/token.h:11:16: warning: {{.*}}[pipe-self-deadlock]
// TOKEN: include/token.h:13:3: warning: 'wait_token' leaks the write end 'fds[1]' of the pipe when it returns here; {{.*}}[pipe-unclosed-write-end]
// TOKEN: 2 findings (pipe-self-deadlock: 1, pipe-unclosed-write-end: 1), 0 outside the diff
//
// A rename: a pure one touches no line, so nothing is analysed; a rename
// that also drops flush_and_close() from finish() reports the finding under
// the new name.
// RUN: git -C %t/proj reset -q --hard && git -C %t/proj mv src/feeder.cpp src/feeder_main.cpp
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD -- -std=c++17 -Iinclude > %t/rename.txt 2>&1
// RUN: FileCheck %s --check-prefix=RENAME --implicit-check-not=warning: < %t/rename.txt
// RENAME: --diff HEAD touches 0 lines in 0 files; analysing 0 files
// RUN: sed -i '/FLUSH[-]AND-CLOSE/d' %t/proj/src/feeder_main.cpp && git -C %t/proj -c user.email=t@t -c user.name=t commit -q -am 'rename, finish() keeps the end'
// RUN: %run_example %t/proj/src/feeder_main.cpp feed hang -- -I%t/proj/include
// RUN: git -C %t/proj diff -M --name-status HEAD~1 HEAD | FileCheck %s --check-prefix=RENAMED
// RENAMED: R{{[0-9]+}} src/feeder.cpp src/feeder_main.cpp
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD~1..HEAD -- -std=c++17 -Iinclude > %t/renamed.txt 2>&1
// RUN: FileCheck %s --check-prefix=RENAME-EDIT --implicit-check-not=feeder.cpp < %t/renamed.txt
// RENAME-EDIT: --diff HEAD~1..HEAD touches 2 lines in 1 file; analysing 1 file
// RENAME-EDIT: src/feeder_main.cpp:[[@LINE+46]]:3: warning: {{.*}}[pipe-unclosed-write-end]
//
// With -p, a changed source file that the database does not compile is
// skipped with a note (the database still names src/feeder.cpp):
// RUN: cd %t/proj && %pipe_tidy --plugin %plugin --config='{CheckOptions: [{key: ReportLeaksBeforeExit, value: true}]}' -checks='-*,pipe-*' --diff HEAD~1..HEAD -p build > %t/notindb.txt 2>&1
// RUN: FileCheck %s --check-prefix=NOTINDB --implicit-check-not=warning: < %t/notindb.txt
// NOTINDB: pipe-tidy: note: skipping src/feeder_main.cpp: the diff changes it but {{.*}}compile_commands.json does not have it
// NOTINDB: 0 files in {{.*}}: 0 findings, 0 outside the diff, 1 skipped (not in the compilation database)

#include <sys/wait.h>
#include <unistd.h>
#include <cstring>
#include "flush.h"
#include "token.h"

namespace app {

class Feeder {
public:
  explicit Feeder(const char *msg) : msg_(msg) {}
  int run();

private:
  static void finish(int fd, const char *msg) {
    (void)write(fd, msg, std::strlen(msg));
    flush_and_close(fd); // FLUSH-AND-CLOSE
  }
  const char *msg_;
};

// Gives a child something to read to the end, and waits for it.
int Feeder::run() {
  int fds[2];
  int status = 0;
  if (pipe(fds) != 0)
    return -1;
  pid_t pid = fork();
  if (pid == 0) {
    char buf[64];
    close(fds[1]);
    while (read(fds[0], buf, sizeof buf) > 0)
      ;
    _exit(0);
  }
  close(fds[0]);
  finish(fds[1], msg_);
  waitpid(pid, &status, 0);
  return status;
}

} // namespace app

int main(int argc, char **argv) {
  if (argc > 1 && std::strcmp(argv[1], "feed") == 0)
    return app::Feeder("hello").run();
  if (argc > 1 && std::strcmp(argv[1], "token") == 0)
    return wait_token();
  return 2;
}
