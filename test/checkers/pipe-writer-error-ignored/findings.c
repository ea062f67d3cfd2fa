// Positive findings of pipe-writer-error-ignored in C: a writer (a fork()ed
// child or a pthread_create'd thread) can fail part-way through what it
// writes into a pipe, and the only sign of the failure is out of band: the
// child's exit status, or what the thread returns. The reader reads the
// pipe to end-of-file and then throws that sign away (waitpid(pid, NULL, 0),
// a status that nobody looks at, wait(NULL), a writer thread whose failure
// path only closes the write end, exactly as its success path does), so a
// writer that gave up half-way looks to it like one that finished: end of
// file is end of file, and the truncated output is returned as complete.
//
// A truncated result is not a hang or a crash, so the scenarios prove it by
// their exit status. Each bad scenario makes the writer really fail part-way
// (a command that prints part of its output and exits 3; `cat` of a header
// file and a body file that does not exist; a report script that prints its
// header and then fails on a missing data file; a thread that writes a
// header and then cannot open the body file), calls the reader function,
// and returns 0 only when the reader reported success *and* what it
// returned is the truncated part: exit status 0 here proves the truncation
// went unnoticed. The "-ok" scenarios run the same functions with writers
// that succeed, and exit 0 when the whole output comes back.
//
// The check reports where the writer's failure is lost: the waitpid() or
// wait() whose status is discarded or never read, and the return on the
// writer thread's failure path that only closes the write end; the
// CHECK-MESSAGES lines say where, with the notes on the path.
//
// RUN: %check_pipe_tidy %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s waitpid-null-status exit
// RUN: %run_example %s waitpid-null-status-ok exit
// RUN: %run_example %s waitpid-status-unread exit
// RUN: %run_example %s waitpid-status-unread-ok exit
// RUN: %run_example %s wait-null exit
// RUN: %run_example %s wait-null-ok exit
// RUN: %run_example %s pthread-close-and-return exit
// RUN: %run_example %s pthread-close-and-return-ok exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "Inputs/io-helpers.h"

/* ---- waitpid(pid, NULL, 0): the exit status is discarded ---------------- */

/* Runs 'cmd' with sh -c and returns what it prints: at most cap - 1 bytes,
 * NUL-terminated in out. Returns the length, or -1 when it cannot start. */
long capture_command(const char *cmd, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  char buf[4096];
  size_t len = 0;
  ssize_t n;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    if (dup2(p[1], STDOUT_FILENO) < 0)
      _exit(127);
    close(p[1]);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, buf, k);
    len += k;
  }
  out[len] = '\0';
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: waitpid() discards the exit status of child process 'pid', which writes the pipe read from 'p[0]': a child that fails part-way looks like one that finished, and the output read is used as if complete; check WIFEXITED() and WEXITSTATUS() of the status [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-23]]:9: note: child process 'pid' starts here
  // CHECK-MESSAGES: :[[@LINE-9]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-27]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-11]]:10: note: the loop condition is false: leaving the loop
  waitpid(pid, NULL, 0);
  return (long)len;
}

/* ---- waitpid(pid, &status, 0): the status is never read ----------------- */

/* Builds a message from a header file and a body file with `cat` in a child
 * process; returns its length (the message NUL-terminated in out), or -1. */
long assemble_message(const char *header_path, const char *body_path, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  int status;
  char buf[4096];
  size_t len = 0;
  ssize_t n;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    if (dup2(p[1], STDOUT_FILENO) < 0)
      _exit(127);
    close(p[1]);
    execlp("sh", "sh", "-c", "exec cat -- \"$1\" \"$2\"", "sh", header_path, body_path,
           (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  for (;;) {
    n = read(p[0], buf, sizeof buf);
    if (n <= 0)
      break;
    if ((size_t)n > cap - 1 - len)
      n = (ssize_t)(cap - 1 - len);
    memcpy(out + len, buf, (size_t)n);
    len += (size_t)n;
  }
  out[len] = '\0';
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: waitpid() stores, but nothing reads, the exit status of child process 'pid', which writes the pipe read from 'p[0]': a child that fails part-way looks like one that finished, and the output read is used as if complete; check WIFEXITED() and WEXITSTATUS() of the status [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-28]]:9: note: child process 'pid' starts here
  // CHECK-MESSAGES: :[[@LINE-12]]:9: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-32]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-13]]:9: note: taking the true branch
  waitpid(pid, &status, 0);
  return (long)len;
}

/* ---- wait(NULL): the exit status is discarded --------------------------- */

/* Runs a report script (with sh, 'data_dir' as its argument) and returns
 * the report it prints; the report is NUL-terminated in out. */
long render_report(const char *script, const char *data_dir, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  long len;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  pid = fork();
  if (pid < 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  if (pid == 0) {
    close(p[0]);
    if (dup2(p[1], STDOUT_FILENO) < 0)
      _exit(127);
    close(p[1]);
    execlp("sh", "sh", script, data_dir, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  len = read_to_end(p[0], out, cap);
  close(p[0]);
  // CHECK-MESSAGES: :[[@LINE+5]]:3: warning: wait() discards the exit status of child process 'pid', which writes the pipe read from 'p[0]': a child that fails part-way looks like one that finished, and the output read is used as if complete; check WIFEXITED() and WEXITSTATUS() of the status [pipe-writer-error-ignored]
  // CHECK-MESSAGES: :[[@LINE-18]]:9: note: child process 'pid' starts here
  // CHECK-MESSAGES: :[[@LINE-4]]:9: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
  // CHECK-MESSAGES: :[[@LINE-22]]:19: note: pipe created here
  // CHECK-MESSAGES: :[[@LINE-15]]:7: note: taking the false branch
  wait(NULL);
  return len;
}

/* ---- a writer thread whose failure path only closes its end ------------- */

struct document_job {
  int out_fd;
  const char *title;
  const char *body_path;
};

/* Writes a title header, then copies the body file into the pipe. */
static void *send_document(void *arg)
{
  struct document_job *job = arg;
  char buf[4096];
  ssize_t n;
  int in;

  dprintf(job->out_fd, "Title: %s\n\n", job->title);
  in = open(job->body_path, O_RDONLY);
  if (in < 0) {
    close(job->out_fd);
    // CHECK-MESSAGES: :[[@LINE+6]]:5: warning: the writer's error path only closes its end and returns, as its success path does: the reader of 'p[0]' sees a clean end-of-file and cannot tell a failed write from a complete stream; record the failure where the reader checks it after the join (a status it returns or sets, an error marker in the stream) [pipe-writer-error-ignored]
    // CHECK-MESSAGES: :[[@LINE+31]]:7: note: the writer starts here
    // CHECK-MESSAGES: :[[@LINE+35]]:15: note: 'p[0]' is read to end-of-file here; a writer that failed part-way also ends the stream this way
    // CHECK-MESSAGES: :[[@LINE+24]]:19: note: pipe created here
    // CHECK-MESSAGES: :[[@LINE+40]]:3: note: the writer is joined here without learning how it ended
    // CHECK-MESSAGES: :[[@LINE+32]]:10: note: the loop condition is false: leaving the loop
    return NULL;
  }
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write_all(job->out_fd, buf, (size_t)n) < 0)
      break;
  close(in);
  close(job->out_fd);
  return NULL;
}

/* Fetches a document (its title header and its body) from a sender thread;
 * returns its length, the document NUL-terminated in out, or -1. */
long fetch_document(const char *title, const char *body_path, char *out, size_t cap)
{
  int p[2];
  pthread_t sender;
  struct document_job job;
  char buf[4096];
  size_t len = 0;
  ssize_t n;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  job.out_fd = p[1];
  job.title = title;
  job.body_path = body_path;
  if (pthread_create(&sender, NULL, send_document, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  while ((n = read(p[0], buf, sizeof buf)) > 0) {
    size_t k = (size_t)n < cap - 1 - len ? (size_t)n : cap - 1 - len;
    memcpy(out + len, buf, k);
    len += k;
  }
  out[len] = '\0';
  close(p[0]);
  pthread_join(sender, NULL);
  return (long)len;
}

/* ---- scenarios ---------------------------------------------------------- */

static const char kHeader[] = "From: build-bot\nSubject: nightly results\n\n";
static const char kBody[] = "all 1432 tests passed\n";
static const char kReportScript[] =
    "set -e\n"
    "printf 'Sales report\\n============\\n'\n"
    "cat \"$1/sales.csv\"\n"
    "printf '(end of report)\\n'\n";
static const char kSales[] = "north,120\nsouth,95\n";

/* 0 when the reader said "success" (n >= 0) and returned exactly the part
 * the writer wrote before it failed: the truncation went unnoticed. */
static int accepted_truncated(long n, const char *got, const char *part)
{
  if (n < 0) {
    fprintf(stderr, "the reader reported the writer's failure\n");
    return 1;
  }
  if (strcmp(got, part) != 0) {
    fprintf(stderr, "unexpected output: '%s'\n", got);
    return 1;
  }
  fprintf(stderr, "the reader returned %ld bytes of truncated output as a success\n", n);
  return 0;
}

/* 0 when the reader returned the whole output. */
static int got_complete(long n, const char *got, const char *whole)
{
  if (n < 0 || strcmp(got, whole) != 0) {
    fprintf(stderr, "n=%ld, output '%s'\n", n, n < 0 ? "" : got);
    return 1;
  }
  return 0;
}

static int run(const char *s)
{
  char out[8192];
  char header[256], body[256], script[256], whole[512];
  long n;

  fixture_path(header, sizeof header, "header.txt");
  fixture_path(body, sizeof body, "body.txt");
  fixture_path(script, sizeof script, "report.sh");
  if (write_fixture("header.txt", kHeader) < 0 || write_fixture("report.sh", kReportScript) < 0)
    return 2;

  if (strcmp(s, "waitpid-null-status") == 0) {
    /* The command prints part of its output, then fails with status 3. */
    n = capture_command("printf partial; exit 3", out, sizeof out);
    return accepted_truncated(n, out, "partial");
  }
  if (strcmp(s, "waitpid-null-status-ok") == 0) {
    n = capture_command("printf partial; printf ' and the rest'", out, sizeof out);
    return got_complete(n, out, "partial and the rest");
  }
  if (strcmp(s, "waitpid-status-unread") == 0) {
    /* body.txt does not exist: cat prints the header and exits with 1. */
    n = assemble_message(header, body, out, sizeof out);
    return accepted_truncated(n, out, kHeader);
  }
  if (strcmp(s, "waitpid-status-unread-ok") == 0) {
    if (write_fixture("body.txt", kBody) < 0)
      return 2;
    n = assemble_message(header, body, out, sizeof out);
    snprintf(whole, sizeof whole, "%s%s", kHeader, kBody);
    return got_complete(n, out, whole);
  }
  if (strcmp(s, "wait-null") == 0) {
    /* sales.csv does not exist: the script prints its title and fails. */
    n = render_report(script, fixture_dir, out, sizeof out);
    return accepted_truncated(n, out, "Sales report\n============\n");
  }
  if (strcmp(s, "wait-null-ok") == 0) {
    if (write_fixture("sales.csv", kSales) < 0)
      return 2;
    n = render_report(script, fixture_dir, out, sizeof out);
    snprintf(whole, sizeof whole, "Sales report\n============\n%s(end of report)\n", kSales);
    return got_complete(n, out, whole);
  }
  if (strcmp(s, "pthread-close-and-return") == 0) {
    /* body.txt does not exist: the sender writes the title and gives up. */
    n = fetch_document("Release notes", body, out, sizeof out);
    return accepted_truncated(n, out, "Title: Release notes\n\n");
  }
  if (strcmp(s, "pthread-close-and-return-ok") == 0) {
    if (write_fixture("body.txt", kBody) < 0)
      return 2;
    n = fetch_document("Release notes", body, out, sizeof out);
    snprintf(whole, sizeof whole, "Title: Release notes\n\n%s", kBody);
    return got_complete(n, out, whole);
  }
  fprintf(stderr, "unknown scenario '%s'\n", s);
  return 2;
}

int main(int argc, char **argv)
{
  int rc;

  /* A write to a pipe whose read end is closed then fails with EPIPE
   * instead of killing the process, as in any program that pipes between
   * its threads. */
  signal(SIGPIPE, SIG_IGN);
  if (make_fixture_dir() < 0)
    return 2;
  rc = run(argc > 1 ? argv[1] : "");
  remove_fixture_dir();
  return rc;
}
