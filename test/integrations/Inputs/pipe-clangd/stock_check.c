#include <stddef.h>

/* A stock check, whose link clangd makes and pipe-clangd leaves alone. */
size_t twice(void) { return sizeof(sizeof(int)); }
