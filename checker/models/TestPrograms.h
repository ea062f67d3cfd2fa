//===--- TestPrograms.h - which code is a test program's ------------------===//
//
// A test program ends after its test: a descriptor it leaks is gone a
// moment later, and maintainers take no patch that closes one there. A
// test that hangs is another matter (a flaky CI job). pipe-unclosed-write-end
// therefore leaves the leaks (no reader can wait) of test code out unless
// ReportLeaksInTests is set, and keeps its hangs.
//
// Whether code is a test's is told by its content, never by its path alone
// (a program kept in a directory called `tests` is an ordinary program):
//
//  - a translation unit that calls a test framework's entry or
//    registration function (g_test_init(), testing::InitGoogleTest(),
//    srunner_run_all(), _cmocka_run_group_tests(), CU_basic_run_tests(),
//    UnityBegin(), ...: FrameworkFunctions) is a test program, all of it;
//  - a function defined by the expansion of a test-definition macro
//    (TEST, TEST_F, TEST_IMPL, START_TEST, BOOST_AUTO_TEST_CASE, ...) is a
//    test: a macro whose name has TEST as one of its words (the parts
//    between `_`, as written: upper case), or one of the few framework
//    macros without it (SCENARIO, UTEST, CTEST, Test, ATF_TC_BODY);
//  - a function of the unit all of whose calls are seen and are in test
//    code (a test's helper), up to three helpers deep;
//  - a lambda or block inside test code.
//
// The two lists are extended by the options TestProgramFunctions and
// TestMacros; TestFileRegex names test files by path, for projects whose
// tests use none of these.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_MODELS_TESTPROGRAMS_H
#define PIPE_TIDY_MODELS_TESTPROGRAMS_H

#include "llvm/ADT/StringRef.h"
#include "llvm/ADT/StringSet.h"
#include <string>

namespace clang {
class FunctionDecl;
class SourceManager;
class LangOptions;
class SourceLocation;
} // namespace clang

namespace clang::tidy::pipe {

class TestProgramModel {
public:
  /// The built-in frameworks.
  TestProgramModel();

  /// Adds "name;ns::name;..." to the framework functions, or "NAME;..." to
  /// the test-definition macros. Returns what is wrong with a malformed
  /// entry (nothing is added then), or an empty string.
  std::string addFunctions(llvm::StringRef Value);
  std::string addMacros(llvm::StringRef Value);

  /// Is \p FD a framework's entry or registration function? An entry
  /// without `::` names a function at global scope (or extern "C"); one
  /// with it, the function of that qualified name.
  bool isFrameworkFunction(const FunctionDecl *FD) const;

  /// Is \p Name a test-definition macro: listed, or has TEST as a word?
  bool isTestMacro(llvm::StringRef Name) const;

  /// Is \p L, or any macro expansion it is inside, the expansion of a
  /// test-definition macro?
  bool inTestMacro(SourceLocation L, const SourceManager &SM,
                   const LangOptions &LO) const;

  /// The general rule on the name alone: TEST is one of its `_`-separated
  /// words (TEST, TEST_F, TEST_IMPL, START_TEST, BOOST_AUTO_TEST_CASE).
  static bool nameHasTestWord(llvm::StringRef Name);

private:
  llvm::StringSet<> CNames, QualifiedNames, Macros;
};

} // namespace clang::tidy::pipe

#endif
