// .pre-commit-hooks.yaml: `pre-commit try-repo` runs this repository's
// pipe-tidy hook on a staged C file of a fresh git repository, the way a
// user's .pre-commit-config.yaml would, and the commit is refused with the
// finding. The route without the .deb names the plugin with
// PIPE_TIDY_PLUGIN alone: the wrapper runs the clang-tidy of that plugin's
// major even though the plain `clang-tidy` on PATH is Debian 12's LLVM 14.
// With a .clang-tidy that enables no pipe check, the hook fails too,
// instead of passing while checking nothing.
//
// REQUIRES: pre-commit
// RUN: rm -rf %t && mkdir -p %t/proj
// RUN: cp %s %t/proj/reader.c
// RUN: printf 'Checks: "-*,pipe-*"\n' > %t/proj/.clang-tidy
// RUN: git -C %t/proj init -q && git -C %t/proj add reader.c .clang-tidy
// RUN: cd %t/proj && %expect_exit 1 env PATH=/usr/bin:/bin GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit try-repo %repo_root pipe-tidy --files reader.c > %t/out.txt 2>&1
// RUN: FileCheck %s --check-prefix=FINDING -DMAJOR=%llvm_version < %t/out.txt
// FINDING: pipe-tidy (pipe deadlocks and leaks){{.*}}Failed
// FINDING: pipe-tidy: using /usr/bin/clang-tidy-[[MAJOR]] (LLVM [[MAJOR]]) with {{.*}}PipeTidy-llvm[[MAJOR]].so: 6 pipe checks active
// FINDING: reader.c:{{[0-9]+}}:15: error: read from 'fds[0]' blocks forever{{.*}}[pipe-self-deadlock,-warnings-as-errors]
//
// The fixed file passes:
// RUN: sed -i 's|return (int)read(fds\[0\], &c, 1);|close(fds[1]); close(fds[0]); return 0;|' %t/proj/reader.c && git -C %t/proj add reader.c
// RUN: cd %t/proj && env PATH=/usr/bin:/bin GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit try-repo %repo_root pipe-tidy --files reader.c > %t/fixed.txt 2>&1
// RUN: FileCheck %s --check-prefix=FIXED < %t/fixed.txt
// FIXED: pipe-tidy (pipe deadlocks and leaks){{.*}}Passed
//
// RUN: printf 'Checks: "-*,bugprone-infinite-loop"\n' > %t/proj/.clang-tidy
// RUN: cd %t/proj && %expect_exit 1 env PATH=/usr/bin:/bin GIT_AUTHOR_NAME=t GIT_AUTHOR_EMAIL=t@t GIT_COMMITTER_NAME=t GIT_COMMITTER_EMAIL=t@t PIPE_TIDY_PLUGIN=%plugin PRE_COMMIT_HOME=%t/cache pre-commit try-repo %repo_root pipe-tidy --files reader.c > %t/none.txt 2>&1
// RUN: FileCheck %s --check-prefix=NONE < %t/none.txt
// NONE: pipe-tidy: error: no pipe-* check is enabled for {{.*}}reader.c

#include <unistd.h>

int wait_for_token(void) {
  int fds[2];
  char c;
  if (pipe(fds) != 0)
    return -1;
  return (int)read(fds[0], &c, 1);
}
