// The class of returns-only-on-failure.cpp and its callers in
// Inputs/returns-only-on-failure-callers.cpp.
#ifndef RETURNS_ONLY_ON_FAILURE_HPP
#define RETURNS_ONLY_ON_FAILURE_HPP

#include <string>

class Pager {
public:
  explicit Pager(std::string program) : program_(std::move(program)) {}
  // Pipes the text into the pager, which replaces this process; returns
  // false only when that could not be done.
  bool page_and_exit(const std::string &text);
  // The same, but throws on failure.
  void page_or_throw(const std::string &text);

private:
  std::string program_;
};

int rof_page(const char *program);
int rof_page_throw(const char *program);

#endif
