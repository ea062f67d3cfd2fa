/* The functions of caller-facts-order.c that the other file of that
 * program calls: a header, so that one file's analysis cannot know every
 * caller. */
#ifndef CALLER_FACTS_ORDER_H
#define CALLER_FACTS_ORDER_H

long xtu_count_words(void);
int xtu_make_pipe(int *rfd, int *wfd);
void xtu_run_count(void);

#endif
