// C readers of a pipe whose writer can fail part-way, done right: the
// writer's failure reaches the reader, which reports it instead of
// returning the truncated output as complete. The child's exit status is
// checked after waitpid() (with WIFEXITED/WEXITSTATUS, or status != 0) or
// after wait(&status); pclose()'s status is checked; the writer thread's
// failure comes back through pthread_join()'s result, through an error
// field of the job struct that the reader checks after the join, or in
// band, as a trailer at the end of the stream that the reader checks. The
// last one reads only the first line of a child's output and discards the
// child's status: a child cut off by the closed pipe is expected there, and
// a prefix is all the reader wants (not this check's business).
// pipe-writer-error-ignored must not report anything here.
//
// Each scenario without "-ok" makes the writer really fail part-way (a
// command that prints part of its output and exits 3; `cat` of a header
// file and a body file that does not exist; a report script that fails on
// a missing data file; a thread that writes a header and then cannot open
// the body file), calls the reader function, and exits 0 when it DID
// report the failure. The "-ok" scenarios run the same functions with
// writers that succeed, and exit 0 when the whole output comes back.
//
// RUN: %check_pipe_tidy --require-analysed %s pipe-writer-error-ignored %t -- -- -I%S
// RUN: %run_example %s waitpid-wexitstatus exit
// RUN: %run_example %s waitpid-wexitstatus-ok exit
// RUN: %run_example %s waitpid-status-nonzero exit
// RUN: %run_example %s waitpid-status-nonzero-ok exit
// RUN: %run_example %s wait-status-checked exit
// RUN: %run_example %s wait-status-checked-ok exit
// RUN: %run_example %s popen-pclose-checked exit
// RUN: %run_example %s popen-pclose-checked-ok exit
// RUN: %run_example %s pthread-join-result exit
// RUN: %run_example %s pthread-join-result-ok exit
// RUN: %run_example %s pthread-error-field exit
// RUN: %run_example %s pthread-error-field-ok exit
// RUN: %run_example %s in-band-trailer exit
// RUN: %run_example %s in-band-trailer-ok exit
// RUN: %run_example %s prefix-only exit

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
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

/* ---- waitpid, then WIFEXITED and WEXITSTATUS ---------------------------- */

/* Runs 'cmd' with sh -c and returns what it prints (NUL-terminated in out),
 * or -1 when it cannot start or does not exit with status 0. */
long capture_command(const char *cmd, char *out, size_t cap)
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
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "'%s' failed with status %#x\n", cmd, status);
    return -1;
  }
  return (long)len;
}

/* ---- waitpid, then status != 0 ------------------------------------------ */

/* Builds a message from a header file and a body file with `cat` in a child
 * process; returns its length (the message NUL-terminated in out), or -1. */
long assemble_message(const char *header_path, const char *body_path, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  int status;
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
    execlp("sh", "sh", "-c", "exec cat -- \"$1\" \"$2\"", "sh", header_path, body_path,
           (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  len = read_to_end(p[0], out, cap);
  close(p[0]);
  if (waitpid(pid, &status, 0) < 0 || status != 0)
    return -1;
  return len;
}

/* ---- wait(&status), then checked ---------------------------------------- */

/* Runs a report script (with sh, 'data_dir' as its argument) and returns
 * the report it prints, or -1 when the script fails. */
long render_report(const char *script, const char *data_dir, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  int status;
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
  if (wait(&status) != pid)
    return -1;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return len;
}

/* ---- popen, then pclose's status checked -------------------------------- */

/* Runs 'cmd' through popen() and returns what it prints, or -1 when it
 * fails. */
long popen_capture(const char *cmd, char *out, size_t cap)
{
  FILE *f;
  size_t len;
  int status;

  if (cap == 0)
    return -1;
  f = popen(cmd, "r");
  if (!f)
    return -1;
  len = fread(out, 1, cap - 1, f);
  out[len] = '\0';
  while (fgetc(f) != EOF)
    ;
  status = pclose(f);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return -1;
  return (long)len;
}

/* ---- the thread's failure comes back through pthread_join --------------- */

struct document_job {
  int out_fd;
  const char *title;
  const char *body_path;
  int error; /* errno of the failure, 0 when the whole document was sent */
};

/* Writes a title header, then copies the body file into the pipe. Returns
 * NULL when the whole document was sent, an error message when not. */
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
    return (void *)"cannot open the body";
  }
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write_all(job->out_fd, buf, (size_t)n) < 0)
      break;
  close(in);
  close(job->out_fd);
  return n == 0 ? NULL : (void *)"cannot send the body";
}

/* Fetches a document from a sender thread; returns its length, the
 * document NUL-terminated in out, or -1 when the sender failed. */
long fetch_document(const char *title, const char *body_path, char *out, size_t cap)
{
  int p[2];
  pthread_t sender;
  struct document_job job;
  void *ret;
  long len;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  job.out_fd = p[1];
  job.title = title;
  job.body_path = body_path;
  job.error = 0;
  if (pthread_create(&sender, NULL, send_document, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  len = read_to_end(p[0], out, cap);
  close(p[0]);
  if (pthread_join(sender, &ret) != 0)
    return -1;
  if (ret != NULL) {
    fprintf(stderr, "sender: %s\n", (const char *)ret);
    return -1;
  }
  return len;
}

/* ---- the thread's failure comes back in an error field ------------------ */

/* Writes a title header, then copies the body file into the pipe; a
 * failure is left in job->error. */
static void *send_document_noting_error(void *arg)
{
  struct document_job *job = arg;
  char buf[4096];
  ssize_t n;
  int in;

  dprintf(job->out_fd, "Title: %s\n\n", job->title);
  in = open(job->body_path, O_RDONLY);
  if (in < 0) {
    job->error = errno;
    close(job->out_fd);
    return NULL;
  }
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write_all(job->out_fd, buf, (size_t)n) < 0)
      break;
  if (n != 0)
    job->error = errno;
  close(in);
  close(job->out_fd);
  return NULL;
}

/* Fetches a document from a sender thread, which notes a failure in the
 * job; returns its length, or -1 when the sender failed. */
long fetch_document_checked(const char *title, const char *body_path, char *out, size_t cap)
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
  job.error = 0;
  if (pthread_create(&sender, NULL, send_document_noting_error, &job) != 0) {
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
  if (job.error != 0) {
    fprintf(stderr, "sender: %s\n", strerror(job.error));
    return -1;
  }
  return (long)len;
}

/* ---- the thread's failure comes in band, as the stream's trailer -------- */

#define TRAILER_OK "\n--end ok--\n"
#define TRAILER_ERROR "\n--end error--\n"

/* Writes a title header and the body file, then a trailer that says
 * whether all of it was sent. */
static void *send_document_with_trailer(void *arg)
{
  struct document_job *job = arg;
  char buf[4096];
  ssize_t n;
  int in;

  dprintf(job->out_fd, "Title: %s\n\n", job->title);
  in = open(job->body_path, O_RDONLY);
  if (in < 0) {
    write_all(job->out_fd, TRAILER_ERROR, strlen(TRAILER_ERROR));
    close(job->out_fd);
    return NULL;
  }
  while ((n = read(in, buf, sizeof buf)) > 0)
    if (write_all(job->out_fd, buf, (size_t)n) < 0)
      break;
  close(in);
  if (n == 0)
    write_all(job->out_fd, TRAILER_OK, strlen(TRAILER_OK));
  else
    write_all(job->out_fd, TRAILER_ERROR, strlen(TRAILER_ERROR));
  close(job->out_fd);
  return NULL;
}

/* Fetches a document from a sender thread; a stream that does not end with
 * the "ok" trailer is refused. Returns the document's length (without the
 * trailer), or -1. */
long fetch_document_with_trailer(const char *title, const char *body_path, char *out, size_t cap)
{
  int p[2];
  pthread_t sender;
  struct document_job job;
  size_t trailer = strlen(TRAILER_OK);
  long len;

  if (cap == 0 || pipe(p) < 0)
    return -1;
  job.out_fd = p[1];
  job.title = title;
  job.body_path = body_path;
  job.error = 0;
  if (pthread_create(&sender, NULL, send_document_with_trailer, &job) != 0) {
    close(p[0]);
    close(p[1]);
    return -1;
  }
  len = read_to_end(p[0], out, cap);
  close(p[0]);
  pthread_join(sender, NULL);
  if (len < (long)trailer || strcmp(out + len - trailer, TRAILER_OK) != 0) {
    fprintf(stderr, "the document did not end with the ok trailer\n");
    return -1;
  }
  len -= (long)trailer;
  out[len] = '\0';
  return len;
}

/* ---- only a prefix is wanted: the child's status does not matter -------- */

/* Returns the first line of what 'cmd' prints (the version line of a tool,
 * say), without the newline, in out; -1 when there is none. The rest of
 * the output is not read: the read end is closed and the child, cut off
 * with EPIPE or SIGPIPE, is reaped with its status discarded. */
long first_line_of(const char *cmd, char *out, size_t cap)
{
  int p[2];
  pid_t pid;
  size_t len = 0;
  char c;

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
    signal(SIGPIPE, SIG_DFL);
    execlp("sh", "sh", "-c", cmd, (char *)NULL);
    _exit(127);
  }
  close(p[1]);
  while (len < cap - 1 && read(p[0], &c, 1) == 1 && c != '\n')
    out[len++] = c;
  out[len] = '\0';
  close(p[0]);
  waitpid(pid, NULL, 0);
  return len > 0 ? (long)len : -1;
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

/* 0 when the reader reported the writer's failure. */
static int reported_failure(long n, const char *got)
{
  if (n >= 0) {
    fprintf(stderr, "the reader returned %ld bytes as a success: '%s'\n", n, got);
    return 1;
  }
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
  /* The "-ok" scenarios have a body and sales data; the others do not. */
  if (strlen(s) > 3 && strcmp(s + strlen(s) - 3, "-ok") == 0)
    if (write_fixture("body.txt", kBody) < 0 || write_fixture("sales.csv", kSales) < 0)
      return 2;

  if (strcmp(s, "waitpid-wexitstatus") == 0)
    return reported_failure(capture_command("printf partial; exit 3", out, sizeof out), out);
  if (strcmp(s, "waitpid-wexitstatus-ok") == 0) {
    n = capture_command("printf partial; printf ' and the rest'", out, sizeof out);
    return got_complete(n, out, "partial and the rest");
  }
  if (strcmp(s, "waitpid-status-nonzero") == 0)
    return reported_failure(assemble_message(header, body, out, sizeof out), out);
  if (strcmp(s, "waitpid-status-nonzero-ok") == 0) {
    snprintf(whole, sizeof whole, "%s%s", kHeader, kBody);
    return got_complete(assemble_message(header, body, out, sizeof out), out, whole);
  }
  if (strcmp(s, "wait-status-checked") == 0)
    return reported_failure(render_report(script, fixture_dir, out, sizeof out), out);
  if (strcmp(s, "wait-status-checked-ok") == 0) {
    snprintf(whole, sizeof whole, "Sales report\n============\n%s(end of report)\n", kSales);
    return got_complete(render_report(script, fixture_dir, out, sizeof out), out, whole);
  }
  if (strcmp(s, "popen-pclose-checked") == 0 || strcmp(s, "popen-pclose-checked-ok") == 0) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat -- '%s' '%s'", header, body);
    n = popen_capture(cmd, out, sizeof out);
    if (strcmp(s, "popen-pclose-checked") == 0)
      return reported_failure(n, out);
    snprintf(whole, sizeof whole, "%s%s", kHeader, kBody);
    return got_complete(n, out, whole);
  }
  if (strcmp(s, "pthread-join-result") == 0)
    return reported_failure(fetch_document("Release notes", body, out, sizeof out), out);
  if (strcmp(s, "pthread-join-result-ok") == 0) {
    snprintf(whole, sizeof whole, "Title: Release notes\n\n%s", kBody);
    return got_complete(fetch_document("Release notes", body, out, sizeof out), out, whole);
  }
  if (strcmp(s, "pthread-error-field") == 0)
    return reported_failure(fetch_document_checked("Release notes", body, out, sizeof out), out);
  if (strcmp(s, "pthread-error-field-ok") == 0) {
    snprintf(whole, sizeof whole, "Title: Release notes\n\n%s", kBody);
    return got_complete(fetch_document_checked("Release notes", body, out, sizeof out), out,
                        whole);
  }
  if (strcmp(s, "in-band-trailer") == 0)
    return reported_failure(fetch_document_with_trailer("Release notes", body, out, sizeof out),
                            out);
  if (strcmp(s, "in-band-trailer-ok") == 0) {
    snprintf(whole, sizeof whole, "Title: Release notes\n\n%s", kBody);
    return got_complete(fetch_document_with_trailer("Release notes", body, out, sizeof out), out,
                        whole);
  }
  if (strcmp(s, "prefix-only") == 0) {
    /* The tool prints its version line, then far more than the pipe holds;
     * it is cut off when the read end is closed, and that is fine. */
    n = first_line_of("echo 'mytool 2.4.1'; exec seq 1 1000000", out, sizeof out);
    return got_complete(n, out, "mytool 2.4.1");
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
