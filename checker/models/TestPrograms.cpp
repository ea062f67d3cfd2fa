//===--- TestPrograms.cpp - which code is a test program's ----------------===//
#include "models/TestPrograms.h"
#include "Compat.h"

#include "clang/AST/Decl.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/ADT/SmallVector.h"

namespace clang::tidy::pipe {

namespace {
/// The entry and registration functions of the test frameworks: calling one
/// makes the translation unit a test program. (Where a framework's API is a
/// macro, the function it expands to: g_test_add() is g_test_add_vtable(),
/// tcase_add_test() is _tcase_add_test(), cmocka_run_group_tests() is
/// _cmocka_run_group_tests(), UNITY_BEGIN() is UnityBegin().)
const char *const BuiltinFunctions[] = {
    // GLib
    "g_test_init", "g_test_run", "g_test_run_suite", "g_test_add_func",
    "g_test_add_data_func", "g_test_add_data_func_full", "g_test_add_vtable",
    "g_test_create_case", "g_test_create_suite",
    // GoogleTest, GoogleMock
    "testing::InitGoogleTest", "testing::InitGoogleMock", "RUN_ALL_TESTS",
    "testing::RegisterTest",
    // cmocka
    "_cmocka_run_group_tests", "_run_tests", "_run_group_tests",
    // Check
    "srunner_run_all", "srunner_run", "srunner_run_tagged", "_tcase_add_test",
    // CUnit
    "CU_initialize_registry", "CU_basic_run_tests", "CU_console_run_tests",
    "CU_automated_run_tests", "CU_add_suite", "CU_add_test",
    // Unity
    "UnityBegin", "UnityEnd", "UnityDefaultTestRun",
    // Criterion, munit, ATF
    "criterion_run_all_tests", "criterion_initialize", "munit_suite_main",
    "atf_tp_add_tc",
    // Boost.Test, Catch2, doctest, CppUTest
    "boost::unit_test::unit_test_main", "Catch::Session::run",
    "doctest::Context::run", "CommandLineTestRunner::RunAllTests",
};

/// Framework macros that define a test function and have no TEST word.
const char *const BuiltinMacros[] = {
    "SCENARIO",        // Catch2 BDD
    "UTEST", "UTEST_F", // utest.h
    "CTEST", "CTEST2",  // ctest.h
    "Test", "ParameterizedTest", "Theory", // Criterion
    "ATF_TC_BODY",     // ATF
};

bool isIdentifier(llvm::StringRef S) {
  if (S.empty() || !(isalpha(static_cast<unsigned char>(S[0])) || S[0] == '_'))
    return false;
  for (char C : S)
    if (!(isalnum(static_cast<unsigned char>(C)) || C == '_'))
      return false;
  return true;
}

/// Splits "a;b;;c" into trimmed entries; the first bad one, if any.
std::string entries(llvm::StringRef Value, bool Qualified,
                    llvm::SmallVectorImpl<llvm::StringRef> &Out) {
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  Value.split(Parts, ';', -1, /*KeepEmpty=*/false);
  for (llvm::StringRef P : Parts) {
    P = P.trim();
    if (P.empty())
      continue;
    llvm::StringRef Rest = P;
    if (Qualified && compat::startsWith(Rest, "::"))
      Rest = Rest.drop_front(2);
    llvm::SmallVector<llvm::StringRef, 4> Names;
    if (Qualified)
      Rest.split(Names, "::");
    else
      Names.push_back(Rest);
    for (llvm::StringRef N : Names)
      if (!isIdentifier(N))
        return ("entry '" + P + "' is not a " +
                (Qualified ? "function name" : "macro name"))
            .str();
    Out.push_back(Qualified && compat::startsWith(P, "::") ? P.drop_front(2) : P);
  }
  return "";
}
} // namespace

TestProgramModel::TestProgramModel() {
  for (llvm::StringRef N : BuiltinFunctions)
    (N.contains("::") ? QualifiedNames : CNames).insert(N);
  for (llvm::StringRef N : BuiltinMacros)
    Macros.insert(N);
}

std::string TestProgramModel::addFunctions(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  std::string Problem = entries(Value, /*Qualified=*/true, Names);
  if (!Problem.empty())
    return Problem;
  for (llvm::StringRef N : Names)
    (N.contains("::") ? QualifiedNames : CNames).insert(N);
  return "";
}

std::string TestProgramModel::addMacros(llvm::StringRef Value) {
  llvm::SmallVector<llvm::StringRef, 8> Names;
  std::string Problem = entries(Value, /*Qualified=*/false, Names);
  if (!Problem.empty())
    return Problem;
  for (llvm::StringRef N : Names)
    Macros.insert(N);
  return "";
}

bool TestProgramModel::isFrameworkFunction(const FunctionDecl *FD) const {
  if (!FD || !FD->getIdentifier())
    return false;
  const DeclContext *DC = FD->getDeclContext()->getRedeclContext();
  if ((DC->isTranslationUnit() || FD->isExternC()) &&
      CNames.count(FD->getName()))
    return true;
  return !QualifiedNames.empty() &&
         QualifiedNames.count(FD->getQualifiedNameAsString());
}

bool TestProgramModel::nameHasTestWord(llvm::StringRef Name) {
  llvm::SmallVector<llvm::StringRef, 6> Words;
  Name.split(Words, '_');
  for (llvm::StringRef W : Words)
    if (W == "TEST")
      return true;
  return false;
}

bool TestProgramModel::isTestMacro(llvm::StringRef Name) const {
  return !Name.empty() && (nameHasTestWord(Name) || Macros.count(Name));
}

bool TestProgramModel::inTestMacro(SourceLocation L, const SourceManager &SM,
                                   const LangOptions &LO) const {
  // Up through every macro expansion the location is inside: a test macro
  // of the user's own (`#define CASE(n) TEST(Suite, n)`) expands to the
  // framework's, whose internals (GTEST_TEST_) expand to more.
  for (unsigned Steps = 0; L.isValid() && L.isMacroID() && Steps < 64;
       ++Steps) {
    if (isTestMacro(Lexer::getImmediateMacroName(L, SM, LO)))
      return true;
    L = SM.getImmediateMacroCallerLoc(L);
  }
  return false;
}

} // namespace clang::tidy::pipe
