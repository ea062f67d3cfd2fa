// The four wrapper options with bad values: one configuration error each,
// naming the key as the configuration spells it and saying what the option
// accepts; clang-tidy then ends with exit status 1 (any other status, a
// crash included, fails the STATUS lines).
//
// ForkFunctions takes names only.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ForkFunctions, value: \"xfork:0\"}]}" %s -- > %t.1 2>&1; echo "exit status $?" >> %t.1'
// RUN: FileCheck %s --check-prefixes=FORK,STATUS --input-file=%t.1
// FORK: error: invalid value 'xfork:0' for option 'ForkFunctions': entry 'xfork:0' has an argument index, but a fork function takes none; expected a list of functions that fork like fork() (0 in the child, the child's pid in the parent, -1 on failure), separated by ';', each 'name' [clang-tidy-config]
// FORK-NOT: invalid value
//
// SpawnFunctions: the index of the pid_t * argument.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-unclosed-write-end" -config="{CheckOptions: [{key: pipe-unclosed-write-end.SpawnFunctions, value: \"run_cmd;spawn:pid\"}]}" %s -- > %t.2 2>&1; echo "exit status $?" >> %t.2'
// RUN: FileCheck %s --check-prefixes=SPAWN,STATUS --input-file=%t.2
// SPAWN: error: invalid value 'run_cmd;spawn:pid' for option 'pipe-unclosed-write-end.SpawnFunctions': entry 'spawn:pid' has the argument index 'pid', not a number from 0 to 64; expected a list of functions that run a program in a new child process that inherits every descriptor without close-on-exec, separated by ';', each 'name' (it returns the pid, or -1) or 'name:N' with N the index of the pid_t * argument it stores the pid through [clang-tidy-config]
// SPAWN-NOT: invalid value
//
// WaitFunctions: a name, and an index of at most 64.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: WaitFunctions, value: \"wait child\"}]}" %s -- > %t.3 2>&1; echo "exit status $?" >> %t.3'
// RUN: FileCheck %s --check-prefixes=WAIT,STATUS --input-file=%t.3
// WAIT: error: invalid value 'wait child' for option 'WaitFunctions': entry 'wait child' is not a function name (letters, digits, '_', ':' and '~'); expected a list of functions that wait for a child process like waitpid(), separated by ';', each 'name' or 'name:N' with N the index of the pid argument [clang-tidy-config]
// WAIT-NOT: invalid value
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-wait-before-drain" -config="{CheckOptions: [{key: pipe-wait-before-drain.WaitFunctions, value: \"reap:65\"}]}" %s -- > %t.4 2>&1; echo "exit status $?" >> %t.4'
// RUN: FileCheck %s --check-prefixes=WAIT-INDEX,STATUS --input-file=%t.4
// WAIT-INDEX: error: invalid value 'reap:65' for option 'pipe-wait-before-drain.WaitFunctions': entry 'reap:65' has the argument index '65', not a number from 0 to 64; expected {{.*}} [clang-tidy-config]
// WAIT-INDEX-NOT: invalid value
//
// ThreadStartFunctions: up to two indices, different, each a number.
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-leaked-writer" -config="{CheckOptions: [{key: ThreadStartFunctions, value: \"start_thread:1:1\"}]}" %s -- > %t.5 2>&1; echo "exit status $?" >> %t.5'
// RUN: FileCheck %s --check-prefixes=THREAD-SAME,STATUS --input-file=%t.5
// THREAD-SAME: error: invalid value 'start_thread:1:1' for option 'ThreadStartFunctions': entry 'start_thread:1:1' gives the same index to the function and its argument; expected a list of functions that start a thread like pthread_create(), separated by ';', each 'name', 'name:N' or 'name:N:M' with N the index of the function argument and M the index of the argument passed to it (by default the first function pointer argument and the one after it) [clang-tidy-config]
// THREAD-SAME-NOT: invalid value
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-leaked-writer" -config="{CheckOptions: [{key: ThreadStartFunctions, value: \"ns::start_thread:1:arg\"}]}" %s -- > %t.6 2>&1; echo "exit status $?" >> %t.6'
// RUN: FileCheck %s --check-prefixes=THREAD-ARG,STATUS --input-file=%t.6
// THREAD-ARG: error: invalid value 'ns::start_thread:1:arg' for option 'ThreadStartFunctions': entry 'ns::start_thread:1:arg' has the argument index 'arg', not a number from 0 to 64; expected {{.*}} [clang-tidy-config]
// THREAD-ARG-NOT: invalid value
// RUN: sh -c '%clang_tidy --load=%plugin -checks="-*,pipe-leaked-writer" -config="{CheckOptions: [{key: ThreadStartFunctions, value: \"start:1:2:3\"}]}" %s -- > %t.7 2>&1; echo "exit status $?" >> %t.7'
// RUN: FileCheck %s --check-prefixes=THREAD-THREE,STATUS --input-file=%t.7
// THREAD-THREE: error: invalid value 'start:1:2:3' for option 'ThreadStartFunctions': entry 'start:1:2:3' has the argument index '2:3', not a number from 0 to 64; expected {{.*}} [clang-tidy-config]
// THREAD-THREE-NOT: invalid value
//
// Good values of every form are accepted without a word.
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: ForkFunctions, value: 'xfork;util::fork_child'}, {key: SpawnFunctions, value: 'start_cmd;spawn_cmd:2'}, {key: WaitFunctions, value: 'wait_child;reap_job:1'}, {key: ThreadStartFunctions, value: 'start_thread;start_named:2;run:0:3;ns::Pool::start:1:2'}]}" %s -- 2>&1 | FileCheck --allow-empty --check-prefix=GOOD %s
// GOOD-NOT: error:
// GOOD-NOT: warning:
//
// A misspelt key is a near miss of the option.
// RUN: %clang_tidy --load=%plugin -checks="-*,pipe-*" -config="{CheckOptions: [{key: pipe-leaked-writer.ThreadStartFunction, value: 'start_thread'}]}" %s -- 2>&1 | FileCheck --check-prefix=MISSPELT %s
// MISSPELT: warning: unknown option 'pipe-leaked-writer.ThreadStartFunction'; did you mean 'pipe-leaked-writer.ThreadStartFunctions'?
//
// STATUS: Found compiler error(s).
// STATUS-NEXT: {{^}}exit status 1{{$}}
#include <unistd.h>

int send_byte(void) {
  int fds[2];
  if (pipe(fds) < 0)
    return -1;
  write(fds[1], "x", 1);
  close(fds[1]);
  close(fds[0]);
  return 0;
}
