/* The second file of the caller-facts-pointers.c program: where the
 * functions of that file are called, always through a pointer. A table of
 * commands whose dispatcher exits when a command fails; a callback given
 * to one of the program's own functions, which exits too; a table of
 * handlers whose dispatcher carries on and reads the pipe; a thread start
 * routine that is also given to pthread_create(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "caller-facts-pointers.h"

struct ptr_command {
  const char *name;
  ptr_command_fn run;
};

static const struct ptr_command commands[] = {
    {"log", ptr_cmd_log},
    {"fetch", &ptr_step_fetch},
};

long ptr_drain(int fd)
{
  char buf[512];
  long total = 0;
  ssize_t n;

  while ((n = read(fd, buf, sizeof buf)) > 0)
    total += n;
  return total;
}

void ptr_dispatch(const char *command, const char *name)
{
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
    int r;

    if (strcmp(commands[i].name, command) != 0)
      continue;
    if (commands[i].run(&r, name) < 0)
      exit(1);
    printf("%ld\n", ptr_drain(r));
    close(r);
    return;
  }
}

void ptr_run_step(ptr_command_fn step, const char *name)
{
  int r;

  if (step(&r, name) < 0) {
    perror("step");
    exit(1);
  }
  ptr_drain(r);
  close(r);
}

static const struct {
  const char *name;
  ptr_handler_fn fn;
} handlers[] = {{"watch", ptr_handler_watch}};

void ptr_handle(const char *name)
{
  int r = -1;

  /* A failed handler is reported and the pipe read all the same: this
   * read never ends while the handler's write end stays open. */
  if (handlers[0].fn(&r, name, 1) < 0)
    fprintf(stderr, "handler '%s' failed, reading what it wrote\n",
            handlers[0].name);
  if (r >= 0)
    printf("%ld\n", ptr_drain(r));
}

static const ptr_worker_fn workers[] = {ptr_worker_main};

void ptr_run_worker(const char *name)
{
  struct ptr_worker_arg a = {name, -1};

  if (workers[0](&a) == NULL)
    exit(1);
  ptr_drain(a.rfd);
}

void ptr_run_worker_thread(const char *name)
{
  struct ptr_worker_arg a = {name, -1};
  pthread_t t;

  /* The same routine as a thread: its failure is not the end here. */
  if (pthread_create(&t, NULL, workers[0], &a) != 0)
    exit(2);
  pthread_join(t, NULL);
  if (a.rfd >= 0)
    ptr_drain(a.rfd);
}
