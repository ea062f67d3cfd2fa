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

#include "ApiModel.h"
#include "PipeFlowEngine.h"
#include "clang-tidy/ClangTidyCheck.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringSet.h"

namespace clang::tidy::pipe {

class PipeCheckBase : public ClangTidyCheck {
public:
  PipeCheckBase(llvm::StringRef Name, ClangTidyContext *Context,
                llvm::ArrayRef<llvm::StringRef> OwnOptions = {});

  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void registerPPCallbacks(const SourceManager &SM, Preprocessor *PP,
                           Preprocessor *ModuleExpanderPP) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override;
  void onStartOfTranslationUnit() override;

protected:
  /// Called once per analysed function, lambda or block whose analysis
  /// finished within budget.
  virtual void analyzeFunction(const FunctionAnalysis &Analysis) = 0;

  const ApiModel &model() const { return Model; }

  /// Reads the PipeCapacity option (check-local or global; bytes a pipe
  /// holds before a write blocks, Linux's 65536 by default) and reports 0
  /// as a configuration error. For the checks that declare it.
  unsigned readPipeCapacity();
  /// The note for the branch the path took last ("taking the true
  /// branch", "taking this case"), if the engine recorded one.
  void addBranchNote(const PathState &S);
  unsigned analysisBudget() const { return AnalysisBudget; }
  /// How a message names a task: "std::thread 'compressor'", "the future
  /// 'loader' of std::async", "child process 'pid'".
  static std::string describeTask(const TaskInfo &T);

private:
  /// The analysis of \p D, computed once per translation unit and model
  /// configuration and shared between the pipe checks.
  const FunctionAnalysis *sharedAnalysis(const Decl *D, ASTContext &Ctx);
  void validateOptionNames(llvm::StringRef CheckName,
                           const ClangTidyOptions::OptionMap &Configured,
                           llvm::ArrayRef<llvm::StringRef> OwnOptions);
  static std::string joinKnown(const llvm::StringSet<> &Known);
  /// Forgets every shared analysis: they belong to the previous
  /// translation unit.
  static void resetAnalysisCache();

  ApiModel Model;
  llvm::StringMap<std::string> ModelOptionValues;
  /// The model's configuration, as the key of the shared analyses.
  std::string ModelKey;
  unsigned AnalysisBudget;
  /// Analyse the intact functions of a translation unit that has errors.
  bool ReportOnErrors;
  /// Say so (a warning at the function) when the engine gives up on a
  /// function past its budget.
  bool WarnOnBudgetExhausted;
  Preprocessor *PP = nullptr;
  bool ConstantsRead = false;
  llvm::DenseSet<const Decl *> Analysed;
};

} // namespace clang::tidy::pipe

#endif
