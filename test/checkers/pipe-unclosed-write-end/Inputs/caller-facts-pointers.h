/* The functions of caller-facts-pointers.c that the program reaches only
 * through pointers, and the dispatchers of Inputs/caller-facts-pointers-main.c
 * that call them. */
#ifndef CALLER_FACTS_POINTERS_H
#define CALLER_FACTS_POINTERS_H

typedef int (*ptr_command_fn)(int *rfd, const char *name);
typedef int (*ptr_handler_fn)(int *rfd, const char *name, int retries);
typedef void *(*ptr_worker_fn)(void *arg);

int ptr_cmd_log(int *rfd, const char *name);
int ptr_step_fetch(int *rfd, const char *name);
int ptr_handler_watch(int *rfd, const char *name, int retries);
void *ptr_worker_main(void *arg);

struct ptr_worker_arg {
  const char *name;
  int rfd;
};

void ptr_dispatch(const char *command, const char *name);
void ptr_run_step(ptr_command_fn step, const char *name);
void ptr_handle(const char *name);
void ptr_run_worker(const char *name);
void ptr_run_worker_thread(const char *name);
long ptr_drain(int fd);

#endif
