//===--- PipeCheckBase.h - what every pipe check shares -------------------===//
//
// Every pipe-* check is a thin client of the flow engine. This base class
// owns the shared parts: reading and validating the model options, matching
// the functions, lambdas and blocks worth analysing, and running the engine
// on each. A check implements analyzeFunction() on the finished analysis.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_PIPECHECKBASE_H
#define PIPE_TIDY_PIPECHECKBASE_H

#include "models/ApiModel.h"
#include "models/Callbacks.h"
#include "engine/FunctionAnalysis.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/Twine.h"
#include <memory>
#include <optional>
#include <string>

namespace clang::tidy::pipe {

class CallerContext;
class CallerFacts;
struct CheckGroup;

class PipeCheckBase : public ClangTidyCheck {
public:
  PipeCheckBase(llvm::StringRef Name, ClangTidyContext *Context);
  ~PipeCheckBase() override;

  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override;
  /// Reports the findings kept to the end of the unit (BlockedWriters.h).
  void onEndOfTranslationUnit() override;

protected:
  using ClangTidyCheck::diag;
  /// ClangTidyCheck::diag(); a warning about a function analysed with the
  /// callbacks every call of it binds (checkOne()) is followed, after its
  /// own notes, by a note naming the binding at a call
  /// (CallbackNotes.cpp).
  DiagnosticBuilder diag(SourceLocation Loc, llvm::StringRef Description,
                         DiagnosticIDs::Level Level = DiagnosticIDs::Warning);

  /// Called once per analysed function, lambda or block whose analysis
  /// finished within budget.
  virtual void analyzeFunction(const FunctionAnalysis &Analysis) = 0;

  const ApiModel &model() const { return Model; }

  /// Reads the PipeCapacity option (check-local or global; bytes a pipe
  /// holds before a write blocks, Linux's 65536 by default) and reports a
  /// value that is not a positive integer as a configuration error. For the
  /// checks that declare it (see knownOptions() in PipeCheckBase.cpp).
  unsigned readPipeCapacity();
  /// Reads a check-local boolean option; a value that is not a boolean is
  /// a configuration error and gives \p Default.
  bool readLocalBool(llvm::StringRef Local, bool Default);
  /// The same for an option with a check-local and a global key.
  bool readLocalOrGlobalBool(llvm::StringRef Local, bool Default) {
    return readBool(Local, Default, /*AllowGlobal=*/true);
  }
  /// The note for the branch the path took last ("taking the true
  /// branch", "taking this case"), if the engine recorded one.
  void addBranchNote(const PathState &S);
  /// The same for decision \p B; nothing for a jump or no decision. A
  /// branch inside a macro is shown at the macro's expansion.
  void addBranchNote(const BranchStep &B);
  /// The note at the call that took end \p E out of its place without
  /// closing it (FunctionAnalysis::droppedBy()), if one did.
  void addDroppedNote(const FunctionAnalysis &A, EndId E);
  unsigned analysisBudget() const { return AnalysisBudget; }
  /// For the leak checks (those with the option ReportLeaksBeforeExit, off):
  /// true when a leak at exit \p X on a path with state \p S does no harm
  /// because every call of the function in the translation unit ends the
  /// process when it returns what it returns there (CallerContext.h).
  bool callersEndProcess(const FunctionAnalysis &A, const ExitPoint &X,
                         const PathState &S);
  /// The translation unit's callers of each function (CallerContext.h),
  /// for a check that asks its own questions about them; null before an
  /// analysis has run.
  CallerContext *callerContext(const FunctionAnalysis &A);
  CallerContext *callerContext(ASTContext &Ctx);
  /// The same question asked for another check's report: pipe-self-deadlock
  /// leaving a defect to pipe-unclosed-write-end. Answered as that check
  /// answers it (its ReportLeaksBeforeExit and caller facts), whatever this
  /// check's options and whichever check asked first.
  bool callersEndProcessForLeaks(const FunctionAnalysis &A,
                                 const ExitPoint &X, const PathState &S);
  /// Is check \p Name enabled for this run?
  bool isEnabled(llvm::StringRef Name) const;
  /// How a message names a task: "std::thread 'compressor'", "the future
  /// 'loader' of std::async", "child process 'pid'".
  static std::string describeTask(const TaskInfo &T);
  /// The summaries of the translation unit being analysed (and its class
  /// model: FunctionSummaries::classes()), once an analysis has run.
  FunctionSummaries *sharedSummaries(ASTContext &Ctx);

private:
  /// The bindings checkOne() analyses the current function with, a call
  /// that makes them, and whether the last warning still needs its note.
  struct BindingNote {
    CallbackBindings Bound;
    const CallExpr *Call = nullptr;
    const FunctionDecl *Callee = nullptr;
    bool Pending = false;
  } Binding;
  void beginBindingNotes(const FunctionDecl *FD, CallbackBindings Bound,
                         ASTContext &Ctx);
  void flushBindingNote();
  void endBindingNotes();

  /// The analysis of \p D, computed once per translation unit and model
  /// configuration and shared between the pipe checks.
  const FunctionAnalysis *sharedAnalysis(const Decl *D, ASTContext &Ctx);
  /// Does clang's AST of \p D's body show a parse or type error? Asked by
  /// every pipe check, answered once per function for all of them.
  static bool sharedBodyHasErrors(const Decl *D, ASTContext &Ctx);
  /// The key that sets option \p Local for this check, as written in the
  /// configuration (check-local or, if \p AllowGlobal, global), and its
  /// value.
  struct RawOption {
    std::string Key;
    std::string Value;
    bool Global;
  };
  std::optional<RawOption> rawOption(llvm::StringRef Local,
                                     bool AllowGlobal = true) const;
  /// Reads a boolean option (check-local, or also global if
  /// \p AllowGlobal); a value that is not a boolean is a configuration
  /// error and gives \p Default.
  bool readBool(llvm::StringRef Local, bool Default, bool AllowGlobal);
  /// Reads a positive integer option (check-local or global).
  unsigned readPositive(llvm::StringRef Local, unsigned Default,
                        llvm::StringRef Unit);
  /// Reports a bad value as a configuration error, once: a global key read
  /// by several enabled pipe checks is reported by the first of them.
  void reportBadValue(const RawOption &O, const llvm::Twine &Problem);
  /// True if this check is the enabled pipe check that reports what is
  /// wrong with the global key \p Local (all when \p Local is empty).
  bool reportsGlobal(llvm::StringRef Local) const;
  /// Warns about each key under a "pipe-" prefix that no pipe check reads,
  /// and about global keys that are near misses of a pipe option.
  void validateOptionNames();
  /// Forgets every shared analysis: they belong to the previous
  /// translation unit.
  static void resetAnalysisCache();
  /// The project's caller facts (CallerFacts.h): reads CallerFactsFile
  /// (or $PIPE_TIDY_CALLER_FACTS) and reports a file it cannot use; or
  /// notes $PIPE_TIDY_RECORD_CALLER_FACTS, the first pass
  /// (CallerFactsOptions.cpp).
  void readCallerFactsOptions();
  /// The first pass: writes the facts of this translation unit.
  void recordCallerFacts(ASTContext &Ctx);
  /// What check() does for this check alone (the group's first check
  /// calls it for every member: see registerMatchers()).
  void checkOne(const ast_matchers::MatchFinder::MatchResult &Result);

  /// The enabled pipe checks of this run (one MatchFinder): the first
  /// registers the matchers and passes each match and the start of each
  /// translation unit on to all of them.
  std::shared_ptr<CheckGroup> Group;

  std::string CheckName;
  ClangTidyContext *Ctx;
  /// The source manager of the translation unit being analysed.
  const SourceManager *SMForNotes = nullptr;
  ApiModel Model;
  llvm::StringMap<std::string> ModelOptionValues;
  /// The model's configuration, as the key of the shared analyses
  /// (modelKey() computes it).
  std::string ModelKey;
  const std::string &modelKey();
  unsigned AnalysisBudget;
  /// Analyse the intact functions of a translation unit that has errors.
  bool ReportOnErrors;
  /// Say so (a warning at the function) when the engine gives up on a
  /// function past its budget.
  bool WarnOnBudgetExhausted;
  /// The check reads ReportLeaksBeforeExit, and its value.
  bool AsksCallers = false;
  bool ReportLeaksBeforeExit = false;
  /// CallerFactsFile as configured, and the facts read from it (or from
  /// $PIPE_TIDY_CALLER_FACTS).
  std::string CallerFactsOption;
  std::shared_ptr<const CallerFacts> Facts;
  /// The file Facts came from (part of modelKey(): its `model` lines
  /// change what the analyses find).
  std::string FactsPath;
  /// $PIPE_TIDY_RECORD_CALLER_FACTS: record the facts there, report
  /// nothing.
  std::string RecordFactsTo;
  Preprocessor *PP = nullptr;
  bool ConstantsRead = false;
  llvm::DenseSet<const Decl *> Analysed;
};

} // namespace clang::tidy::pipe

#endif
