// A stand-in for the test-definition macros of GoogleTest (TEST) and
// libuv's runner (TEST_IMPL), so that no framework has to be installed:
// each defines a function and registers it under a name. The file that
// uses them calls no framework function; pipe-unclosed-write-end knows the
// functions they define are tests by the macros' names.
#ifndef MINI_TEST_MACROS_H
#define MINI_TEST_MACROS_H

#include <cstring>

struct MiniTest {
  const char *Name;
  void (*Fn)();
  MiniTest *Next;
};
inline MiniTest *&miniTests() {
  static MiniTest *Head;
  return Head;
}
struct MiniRegister {
  MiniTest T;
  MiniRegister(const char *Name, void (*Fn)()) : T{Name, Fn, miniTests()} {
    miniTests() = &T;
  }
};
// Runs the test called Name; false when there is none.
inline bool miniRun(const char *Name) {
  for (MiniTest *T = miniTests(); T; T = T->Next)
    if (std::strcmp(T->Name, Name) == 0) {
      T->Fn();
      return true;
    }
  return false;
}

#define MINI_TEST_NAME_(suite, name) suite##_##name##_Test
#define GTEST_TEST_(suite, name)                                               \
  static void MINI_TEST_NAME_(suite, name)();                                  \
  static MiniRegister suite##_##name##_registered(#suite "." #name,            \
                                                  MINI_TEST_NAME_(suite, name)); \
  static void MINI_TEST_NAME_(suite, name)()
#define TEST(suite, name) GTEST_TEST_(suite, name)

#define TEST_IMPL(name)                                                        \
  static void run_test_##name();                                               \
  static MiniRegister name##_registered(#name, run_test_##name);               \
  static void run_test_##name()

#endif
