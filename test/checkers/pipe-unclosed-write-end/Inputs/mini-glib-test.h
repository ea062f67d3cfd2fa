/* A stand-in for the part of GLib's gtestutils.h that test-programs.c uses,
 * so that no framework has to be installed: g_test_init() takes the test
 * to run from argv[1], g_test_add_func() registers a test, g_test_run()
 * runs the one named. The names are GLib's; pipe-unclosed-write-end knows
 * a translation unit that calls them is a test program. */
#ifndef MINI_GLIB_TEST_H
#define MINI_GLIB_TEST_H

#include <string.h>

typedef void (*GTestFunc)(void);

static struct {
  const char *path;
  GTestFunc func;
} mini_tests[16];
static int mini_count;
static const char *mini_only = "";

static void g_test_init(int *argc, char ***argv, ...)
{
  if (*argc > 1)
    mini_only = (*argv)[1];
}

static void g_test_add_func(const char *path, GTestFunc func)
{
  if (mini_count < 16) {
    mini_tests[mini_count].path = path;
    mini_tests[mini_count].func = func;
    mini_count++;
  }
}

static int g_test_run(void)
{
  int i, ran = 0;

  for (i = 0; i < mini_count; i++)
    if (strcmp(mini_tests[i].path, mini_only) == 0) {
      mini_tests[i].func();
      ran++;
    }
  return ran == 1 ? 0 : 2;
}

#endif
