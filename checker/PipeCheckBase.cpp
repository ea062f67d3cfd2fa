//===--- PipeCheckBase.cpp - what every pipe check shares -----------------===//
#include "PipeCheckBase.h"
#include "BoostPipeModel.h"
#include "Compat.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/StringSet.h"
#include <map>

using namespace clang::ast_matchers;

namespace clang::tidy::pipe {

namespace {
/// Work units per CFG element of the function (see docs/options.md).
constexpr unsigned DefaultAnalysisBudget = 400;

/// A cheap walk over a body: is there any call the model cares about? Most
/// functions have none, and for them no CFG is ever built.
bool mentionsPipeApi(const Stmt *Body, const ApiModel &Model) {
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    // A Boost pipe object that makes a pipe, or connect_pipe().
    if (const auto *CCE = dyn_cast<CXXConstructExpr>(S))
      if (classifyBoostConstruction(CCE))
        return true;
    if (const auto *CE = dyn_cast<CallExpr>(S)) {
      if (auto Op = classifyBoostCall(CE); Op && Op->K == BoostPipeOp::Create)
        return true;
    }
    if (const auto *CE = dyn_cast<CallExpr>(S))
      if (const ApiFunction *Api = Model.lookup(ApiModel::calleeOf(CE)))
        switch (Api->Role) {
        case ApiRole::CreatePipe:
        case ApiRole::CreateSocketPair:
        case ApiRole::Close:
        case ApiRole::CloseRange:
          return true;
        default:
          break;
        }
    // Nested lambdas and blocks are analysed on their own.
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}

/// Did clang fail to parse or check part of this body? Its AST then says
/// less than the code does: an expression it could not resolve (a
/// RecoveryExpr, a reference to an invalid declaration), a declaration of
/// an unknown type, or a body that the end of the file cut off. What the
/// engine would find there is an artefact of the error, not of the code.
/// Errors that leave no trace in the AST (a C statement dropped whole, a
/// stray `}` that ends the function early) are not seen here: only the
/// translation unit's error flag catches those.
bool bodyHasErrors(const Decl *D, const SourceManager &SM) {
  const Stmt *Body = D->getBody();
  if (const auto *Coro = dyn_cast_or_null<CoroutineBodyStmt>(Body))
    Body = Coro->getBody();
  if (const auto *CS = dyn_cast_or_null<CompoundStmt>(Body)) {
    // Cut off by the end of the file: the closing location is not a '}'.
    SourceLocation R = CS->getRBracLoc();
    if (R.isInvalid())
      return true;
    bool Invalid = false;
    const char *C = SM.getCharacterData(SM.getSpellingLoc(R), &Invalid);
    if (Invalid || !C || *C != '}')
      return true;
  }
  llvm::SmallVector<const Stmt *, 64> Stack{Body};
  while (!Stack.empty()) {
    const Stmt *S = Stack.pop_back_val();
    if (!S)
      continue;
    if (isa<RecoveryExpr>(S))
      return true;
    if (const auto *E = dyn_cast<Expr>(S)) {
      if (E->containsErrors())
        return true;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(E);
          DRE && DRE->getDecl()->isInvalidDecl())
        return true;
    }
    if (const auto *DS = dyn_cast<DeclStmt>(S))
      for (const Decl *Inner : DS->decls())
        if (Inner->isInvalidDecl())
          return true;
    // A lambda's or block's body is its own function, decided on its own.
    if (isa<LambdaExpr>(S) || isa<BlockExpr>(S))
      continue;
    for (const Stmt *C : S->children())
      Stack.push_back(C);
  }
  return false;
}
} // namespace

PipeCheckBase::PipeCheckBase(llvm::StringRef Name, ClangTidyContext *Context,
                             llvm::ArrayRef<llvm::StringRef> OwnOptions)
    : ClangTidyCheck(Name, Context),
      AnalysisBudget(
          Options.getLocalOrGlobal("AnalysisBudget", DefaultAnalysisBudget)),
      ReportOnErrors(Options.getLocalOrGlobal("ReportOnErrors", false)),
      WarnOnBudgetExhausted(
          Options.getLocalOrGlobal("WarnOnBudgetExhausted", false)) {
  for (const ModelOption &Opt : modelOptions()) {
    // A std::string in LLVM 14, a StringRef later: both construct one.
    std::string Value(Options.getLocalOrGlobal(Opt.Name, ""));
    if (Value.empty())
      continue;
    ModelOptionValues[Opt.Name] = Value;
    std::string Error = Model.addEntries(Opt, Value);
    if (!Error.empty())
      configurationDiag(Error, DiagnosticIDs::Error);
  }
  if (AnalysisBudget == 0)
    configurationDiag("invalid value '0' for option 'AnalysisBudget': "
                      "expected a positive number of work units",
                      DiagnosticIDs::Error);
  if (Context)
    validateOptionNames(Name, Context->getOptions().CheckOptions, OwnOptions);
}

unsigned PipeCheckBase::readPipeCapacity() {
  constexpr unsigned DefaultCapacity = 65536; // Linux
  unsigned Capacity = Options.getLocalOrGlobal("PipeCapacity", DefaultCapacity);
  if (Capacity == 0) {
    configurationDiag("invalid value '0' for option 'PipeCapacity': expected "
                      "the number of bytes a pipe holds, such as 65536",
                      DiagnosticIDs::Error);
    Capacity = DefaultCapacity;
  }
  return Capacity;
}

void PipeCheckBase::addBranchNote(const PathState &S) {
  const BranchStep &B = S.lastBranch();
  if (!B.Condition)
    return;
  if (B.Case)
    diag(B.Case->getBeginLoc(), "taking this case", DiagnosticIDs::Note);
  else
    diag(B.Condition->getBeginLoc(), "taking the %select{false|true}0 branch",
         DiagnosticIDs::Note)
        << B.Taken;
}

void PipeCheckBase::validateOptionNames(
    llvm::StringRef CheckName, const ClangTidyOptions::OptionMap &Configured,
    llvm::ArrayRef<llvm::StringRef> OwnOptions) {
  llvm::StringSet<> Known;
  for (const ModelOption &Opt : modelOptions())
    Known.insert(Opt.Name);
  Known.insert("AnalysisBudget");
  Known.insert("ReportOnErrors");
  Known.insert("WarnOnBudgetExhausted");
  for (llvm::StringRef O : OwnOptions)
    Known.insert(O);
  std::string Prefix = (CheckName + ".").str();
  for (const auto &Entry : Configured) {
    llvm::StringRef Key = Entry.getKey();
    if (!compat::startsWith(Key, Prefix))
      continue;
    llvm::StringRef Local = Key.drop_front(Prefix.size());
    if (!Known.count(Local))
      configurationDiag("unknown option '%0'; %1 understands: %2")
          << Key << CheckName << joinKnown(Known);
  }
}

std::string PipeCheckBase::joinKnown(const llvm::StringSet<> &Known) {
  std::vector<std::string> Names;
  for (const auto &K : Known)
    Names.push_back(K.getKey().str());
  std::sort(Names.begin(), Names.end());
  std::string Out;
  for (const std::string &N : Names)
    Out += (Out.empty() ? "" : ", ") + N;
  return Out;
}

void PipeCheckBase::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const ModelOption &Opt : modelOptions()) {
    auto It = ModelOptionValues.find(Opt.Name);
    Options.store(Opts, Opt.Name, It == ModelOptionValues.end() ? "" : It->second);
  }
  Options.store(Opts, "AnalysisBudget", AnalysisBudget);
  Options.store(Opts, "ReportOnErrors", ReportOnErrors);
  Options.store(Opts, "WarnOnBudgetExhausted", WarnOnBudgetExhausted);
}

void PipeCheckBase::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(
      functionDecl(isDefinition(), unless(isExpansionInSystemHeader()))
          .bind("function"),
      this);
  Finder->addMatcher(
      lambdaExpr(unless(isExpansionInSystemHeader())).bind("lambda"), this);
  Finder->addMatcher(
      blockExpr(unless(isExpansionInSystemHeader())).bind("block"), this);
}

void PipeCheckBase::registerPPCallbacks(const SourceManager &, Preprocessor *P,
                                        Preprocessor *) {
  PP = P;
}

void PipeCheckBase::onStartOfTranslationUnit() {
  Analysed.clear();
  ConstantsRead = false;
  // The analyses and summaries of the previous translation unit point into
  // its AST and into the checks that made them, which clang-tidy destroys
  // between translation units. The next ASTContext may even have the same
  // address, so the cache cannot tell by itself.
  resetAnalysisCache();
}

void PipeCheckBase::check(const MatchFinder::MatchResult &Result) {
  const Decl *D = Result.Nodes.getNodeAs<FunctionDecl>("function");
  if (const auto *LE = Result.Nodes.getNodeAs<LambdaExpr>("lambda"))
    D = LE->getCallOperator();
  if (const auto *BE = Result.Nodes.getNodeAs<BlockExpr>("block"))
    D = BE->getBlockDecl();
  if (!D || !D->hasBody() || D->isInvalidDecl())
    return;
  if (const auto *DC = dyn_cast<DeclContext>(D); DC->isDependentContext())
    return;
  if (Result.SourceManager->isInSystemHeader(D->getLocation()))
    return;
  // Code that did not compile: clang-tidy runs the checks on whatever AST
  // clang could recover, after the whole translation unit was parsed, so
  // the flag below already covers every error of the file. Like the Static
  // Analyzer, say nothing about such a file unless asked (ReportOnErrors),
  // and never about a function whose own body has errors.
  if (!ReportOnErrors &&
      Result.Context->getDiagnostics().hasUncompilableErrorOccurred())
    return;
  if (bodyHasErrors(D, *Result.SourceManager))
    return;
  if (!Analysed.insert(D).second)
    return;
  if (!ConstantsRead && PP) {
    Model.Constants.readFrom(*PP);
    ConstantsRead = true;
  }
  if (const FunctionAnalysis *Analysis = sharedAnalysis(D, *Result.Context))
    analyzeFunction(*Analysis);
}

namespace {
/// Analyses of the current translation unit, shared by every pipe check
/// that runs with the same model, so that enabling all pipe-* checks costs
/// one analysis per function rather than one per check.
struct AnalysisCache {
  const ASTContext *Ctx = nullptr;
  std::map<std::pair<const Decl *, std::string>,
           std::unique_ptr<FunctionAnalysis>>
      Entries;
  /// What the functions of this translation unit do with the descriptors
  /// they are given, per model configuration.
  std::map<std::string, std::unique_ptr<CalleeSummaries>> Summaries;
};
AnalysisCache &analysisCache() {
  static AnalysisCache Cache;
  return Cache;
}
} // namespace

void PipeCheckBase::resetAnalysisCache() {
  AnalysisCache &Cache = analysisCache();
  Cache.Entries.clear();
  Cache.Summaries.clear();
  Cache.Ctx = nullptr;
}

const FunctionAnalysis *PipeCheckBase::sharedAnalysis(const Decl *D,
                                                      ASTContext &Ctx) {
  AnalysisCache &Cache = analysisCache();
  if (Cache.Ctx != &Ctx) {
    Cache.Entries.clear();
    Cache.Summaries.clear();
    Cache.Ctx = &Ctx;
  }
  // The model's configuration decides what an analysis finds.
  if (ModelKey.empty()) {
    ModelKey = std::to_string(AnalysisBudget);
    for (const ModelOption &Opt : modelOptions()) {
      auto O = ModelOptionValues.find(Opt.Name);
      if (O != ModelOptionValues.end())
        ModelKey += ";" + Opt.Name.str() + "=" + O->second;
    }
  }
  auto It = Cache.Entries.find({D, ModelKey});
  if (It == Cache.Entries.end()) {
    // A function that mentions no pipe API has nothing to analyse; the
    // answer (a null entry) is shared too, so that the body is walked once,
    // not once per check.
    std::unique_ptr<FunctionAnalysis> Analysis;
    if (mentionsPipeApi(D->getBody(), Model)) {
      std::unique_ptr<CalleeSummaries> &Summaries = Cache.Summaries[ModelKey];
      if (!Summaries)
        Summaries = std::make_unique<CalleeSummaries>(Model);
      bool GaveUp = false;
      Analysis = FunctionAnalysis::run(D, Ctx, Model, AnalysisBudget,
                                       *Summaries, &GaveUp);
      // Once per function and configuration: the analysis is shared, so
      // only the check that ran it says so.
      if (GaveUp && WarnOnBudgetExhausted)
        diag(D->getLocation(),
             "pipe-tidy gave up on this function: its analysis ran past "
             "AnalysisBudget (%0 work units per CFG element) even after "
             "widening; findings in it are not reported")
            << AnalysisBudget;
    }
    It = Cache.Entries.emplace(std::make_pair(D, ModelKey), std::move(Analysis))
             .first;
  }
  return It->second.get();
}

/// "std::thread 'compressor'", "the future 'loader' of std::async",
/// "child process 'pid'": how a message names a task.
std::string PipeCheckBase::describeTask(const TaskInfo &T) {
  std::string Name = T.Handle ? "'" + T.Handle->getNameAsString() + "'" : "";
  std::string Runs =
      T.Runs ? " running '" + T.Runs->getNameAsString() + "'" : std::string();
  switch (T.Kind) {
  case TaskKind::StdThread:
    return T.Handle ? "std::thread " + Name : "the thread" + Runs;
  case TaskKind::JThread:
    return "std::jthread " + Name;
  case TaskKind::AsyncFuture:
    return "the future " + Name + " of std::async";
  case TaskKind::BoostThread:
    return T.Handle ? "boost::thread " + Name : "the thread" + Runs;
  case TaskKind::PThread:
    return "thread " + Name + Runs;
  case TaskKind::ForkChild:
    return T.Handle ? "child process " + Name : "the child process";
  }
  return Name;
}

} // namespace clang::tidy::pipe
