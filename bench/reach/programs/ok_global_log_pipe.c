// reach (near-miss): log_open() stores the write end in a global that
// log_close() closes; the drain loop runs after log_close().
// EXPECT-NONE: pipe-self-deadlock
// EXPECT-NONE: pipe-unclosed-write-end
// PROOF: drain exit
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int g_log_wr = -1;

static int log_open(void)
{
  int p[2];
  if (pipe(p) < 0)
    return -1;
  g_log_wr = p[1];
  return p[0];
}

static void log_msg(const char *fmt, ...)
{
  va_list ap;
  va_start(ap, fmt);
  vdprintf(g_log_wr, fmt, ap);
  va_end(ap);
}

static void log_close(void)
{
  if (g_log_wr >= 0)
    close(g_log_wr);
  g_log_wr = -1;
}

static int drain_log(void)
{
  int rd = log_open();
  char buf[256];
  ssize_t n;
  int total = 0;
  if (rd < 0)
    return -1;
  log_msg("starting %s\n", "job");
  log_msg("done\n");
  log_close();
  while ((n = read(rd, buf, sizeof buf)) > 0)
    total += (int)n;
  close(rd);
  return total;
}

int main(int argc, char **argv)
{
  if (argc > 1 && !strcmp(argv[1], "drain"))
    return drain_log() > 0 ? 0 : 1;
  return 2;
}
