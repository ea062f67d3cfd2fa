//===--- TestCode.cpp - leaks in test programs ----------------------------===//
//
// pipe-unclosed-write-end leaves out the leaks of test code (a descriptor
// lost where no reader can wait on it) unless ReportLeaksInTests is set: a
// test program ends after its test. Hangs stay reported. Which code is a
// test's is the model of models/TestPrograms.h, read here for the
// function an analysis is of: the translation unit calls a framework's
// entry or registration function; or the function (or the one a lambda or
// block is written in) is defined by a test-definition macro, or is a
// helper whose every call in the unit is in test code (three deep); or
// TestFileRegex matches its file.
//
//===----------------------------------------------------------------------===//
#include "checks/UnclosedWriteEndCheck.h"
#include "summaries/CallerContext.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

namespace clang::tidy::pipe {

namespace {
/// How many helpers up from test code a function is test code too.
constexpr unsigned MaxTestHelperDepth = 3;

/// The function \p D is written in: itself, or for a lambda or a block the
/// function around it (null at namespace scope).
const FunctionDecl *outerFunction(const Decl *D) {
  for (unsigned Steps = 0; D && Steps < 32; ++Steps) {
    if (const auto *MD = dyn_cast<CXXMethodDecl>(D);
        MD && MD->getParent()->isLambda()) {
      D = Decl::castFromDeclContext(MD->getParent()->getDeclContext());
      continue;
    }
    if (const auto *FD = dyn_cast<FunctionDecl>(D))
      return FD;
    if (isa<BlockDecl>(D)) {
      D = Decl::castFromDeclContext(D->getDeclContext());
      continue;
    }
    return nullptr;
  }
  return nullptr;
}

/// Does the main file's code call a framework function of \p M?
class FrameworkCalls : public RecursiveASTVisitor<FrameworkCalls> {
public:
  explicit FrameworkCalls(const TestProgramModel &M) : M(M) {}
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool VisitCallExpr(CallExpr *CE) {
    if (M.isFrameworkFunction(CE->getDirectCallee()))
      Found = true;
    return !Found;
  }
  bool Found = false;

private:
  const TestProgramModel &M;
};
} // namespace

void UnclosedWriteEndCheck::readTestOptions(llvm::StringRef Name) {
  ReportLeaksInTests = readLocalOrGlobalBool("ReportLeaksInTests", false);
  struct {
    const char *Name;
    std::string (TestProgramModel::*Add)(llvm::StringRef);
  } Lists[] = {{"TestProgramFunctions", &TestProgramModel::addFunctions},
               {"TestMacros", &TestProgramModel::addMacros}};
  for (const auto &L : Lists) {
    std::string Value(Options.get(L.Name, ""));
    TestOptionValues[L.Name] = Value;
    if (Value.empty())
      continue;
    std::string Problem = (Tests.*L.Add)(Value);
    if (!Problem.empty())
      configurationDiag("invalid value '%0' for option '%1': %2",
                        DiagnosticIDs::Error)
          << Value << (Name + "." + L.Name).str() << Problem;
  }
}

void UnclosedWriteEndCheck::storeTestOptions(
    ClangTidyOptions::OptionMap &Opts) {
  Options.store(Opts, "ReportLeaksInTests", ReportLeaksInTests);
  for (const auto &[Name, Value] : TestOptionValues)
    Options.store(Opts, Name, Value);
}

bool UnclosedWriteEndCheck::testProgram(ASTContext &Ctx) {
  if (TestProgramKnown)
    return TestProgramTU;
  TestProgramKnown = true;
  const SourceManager &SM = Ctx.getSourceManager();
  FrameworkCalls V(Tests);
  for (Decl *D : Ctx.getTranslationUnitDecl()->decls()) {
    // The program's own code: a header's inline function that calls the
    // framework (the framework's own headers, built in the same tree) does
    // not make every file that includes it a test.
    if (!SM.isWrittenInMainFile(SM.getExpansionLoc(D->getLocation())))
      continue;
    V.TraverseDecl(D);
    if (V.Found)
      break;
  }
  TestProgramTU = V.Found;
  return TestProgramTU;
}

bool UnclosedWriteEndCheck::testFunction(const FunctionDecl *FD,
                                         const FunctionAnalysis &A,
                                         unsigned Depth) {
  if (!FD)
    return false;
  FD = FD->getCanonicalDecl();
  if (auto It = TestFunctions.find(FD); It != TestFunctions.end())
    return It->second;
  const SourceManager &SM = A.context().getSourceManager();
  const LangOptions &LO = A.context().getLangOpts();
  bool Test = false;
  for (const FunctionDecl *R : FD->redecls())
    if (R->doesThisDeclarationHaveABody())
      Test |= Tests.inTestMacro(R->getLocation(), SM, LO) ||
              Tests.inTestMacro(R->getBeginLoc(), SM, LO);
  bool Cut = false;
  if (!Test && Depth < MaxTestHelperDepth && TestInProgress.insert(FD).second) {
    // A helper that only test code calls.
    llvm::SmallVector<std::pair<const CallExpr *, const FunctionDecl *>, 4>
        Calls;
    CallerContext *Callers = callerContext(A);
    if (Callers && Callers->knownCalls(FD, Calls)) {
      Test = true;
      for (const auto &C : Calls) {
        const FunctionDecl *Caller = outerFunction(C.second);
        Test &= Caller && Caller->getCanonicalDecl() != FD &&
                testFunction(Caller, A, Depth + 1);
      }
    }
    TestInProgress.erase(FD);
  } else if (!Test) {
    Cut = true; // the bound or a cycle: not an answer to keep
  }
  if (!Cut && (Test || Depth == 0))
    TestFunctions[FD] = Test;
  return Test;
}

bool UnclosedWriteEndCheck::inTestCode(const FunctionAnalysis &A) {
  if (inTestFile(A) || testProgram(A.context()))
    return true;
  return testFunction(outerFunction(A.decl()), A, 0);
}

bool UnclosedWriteEndCheck::quietLeaks(const FunctionAnalysis &A) {
  return !ReportLeaksInTests && inTestCode(A);
}

} // namespace clang::tidy::pipe
