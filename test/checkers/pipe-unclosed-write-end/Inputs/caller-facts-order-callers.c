/* The second file of the caller-facts-order.c program: the only caller of
 * xtu_count_words() ends the process when it fails (returns -1). */
#include <stdio.h>
#include <stdlib.h>

#include "caller-facts-order.h"

void xtu_run_count(void)
{
  long n = xtu_count_words();

  if (n < 0) {
    fprintf(stderr, "xtu_count_words failed\n");
    exit(1);
  }
  printf("%ld\n", n);
}
