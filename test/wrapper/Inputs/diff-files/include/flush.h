// flush_and_close() -> close_fd() (io_util.h, which this includes).
#pragma once
#include "io_util.h"

inline void flush_and_close(int fd) {
  close_fd(fd);
}
