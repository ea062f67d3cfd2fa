//===--- PipeCheckBase.cpp - what every pipe check shares -----------------===//
#include "checks/PipeCheckBase.h"
#include "checks/BlockedWriters.h"
#include "summaries/CallerContext.h"
#include "summaries/CallerFacts.h"
#include "summaries/FunctionSummaries.h"
#include "models/BoostPipeModel.h"
#include "Compat.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/StmtCXX.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/Lex/Preprocessor.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringSet.h"
#include <algorithm>
#include <cstdlib>
#include <limits>
#include <map>
#include <vector>

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

namespace {
const llvm::StringRef CapacityOption[] = {"PipeCapacity"};
const llvm::StringRef UnclosedOptions[] = {
    "CallerFactsFile", "CheckSpawnInheritance", "ReportLeaksBeforeExit",
    "ReportLeaksInTests", "TestFileRegex", "TestMacros",
    "TestProgramFunctions"};

/// Every pipe check, in the order PipeTidyModule.cpp registers them, with
/// the options it has besides the shared ones. Checks here that a key
/// under "pipe-" means something, and which check reports a bad global
/// value.
struct CheckOptionsInfo {
  llvm::StringRef Check;
  llvm::ArrayRef<llvm::StringRef> Own;
};
const CheckOptionsInfo PipeChecks[] = {
    {"pipe-leaked-writer", CapacityOption},
    {"pipe-self-copy", {}},
    {"pipe-self-deadlock", CapacityOption},
    {"pipe-unclosed-write-end", UnclosedOptions},
    {"pipe-wait-before-drain", CapacityOption},
    {"pipe-writer-error-ignored", {}},
};

const CheckOptionsInfo *findCheck(llvm::StringRef Name) {
  for (const CheckOptionsInfo &C : PipeChecks)
    if (C.Check == Name)
      return &C;
  return nullptr;
}

/// The options \p C reads: the shared ones and its own.
llvm::SmallVector<llvm::StringRef, 12> optionsOf(const CheckOptionsInfo &C) {
  llvm::SmallVector<llvm::StringRef, 12> Out;
  for (const ModelOption &Opt : modelOptions())
    Out.push_back(Opt.Name);
  Out.push_back("AnalysisBudget");
  Out.push_back("ReportOnErrors");
  Out.push_back("WarnOnBudgetExhausted");
  Out.append(C.Own.begin(), C.Own.end());
  std::sort(Out.begin(), Out.end());
  return Out;
}

bool reads(const CheckOptionsInfo &C, llvm::StringRef Local) {
  return llvm::is_contained(optionsOf(C), Local);
}

/// Every global key a pipe check reads.
llvm::SmallVector<llvm::StringRef, 12> globalOptions() {
  llvm::SmallVector<llvm::StringRef, 12> Out;
  for (const CheckOptionsInfo &C : PipeChecks)
    for (llvm::StringRef O : optionsOf(C))
      if (O != "CheckSpawnInheritance" && O != "TestFileRegex" &&
          O != "CallerFactsFile" && O != "TestMacros" &&
          O != "TestProgramFunctions" &&
          !llvm::is_contained(Out, O))
        Out.push_back(O);
  std::sort(Out.begin(), Out.end());
  return Out;
}

/// The candidate nearest to \p Word if it is a likely misspelling of it:
/// the same but for case, or a few edits away, or one containing the other.
std::optional<llvm::StringRef>
nearest(llvm::StringRef Word, llvm::ArrayRef<llvm::StringRef> Candidates) {
  std::string W = Word.lower();
  unsigned Limit = std::max<unsigned>(2, W.size() / 4);
  std::optional<llvm::StringRef> Best;
  unsigned BestDist = Limit + 1;
  for (llvm::StringRef C : Candidates) {
    std::string L = C.lower();
    unsigned D = llvm::StringRef(W).edit_distance(L, true, Limit + 1);
    if (D > Limit && W.size() >= 4 &&
        (llvm::StringRef(L).contains(W) || llvm::StringRef(W).contains(L)))
      D = Limit;
    if (D < BestDist) {
      BestDist = D;
      Best = C;
    }
  }
  return Best;
}

std::string join(llvm::ArrayRef<llvm::StringRef> Names) {
  std::string Out;
  for (llvm::StringRef N : Names)
    Out += (Out.empty() ? "" : ", ") + N.str();
  return Out;
}

/// The value of \p Key in \p Map, and the priority of the configuration
/// that set it.
const ClangTidyOptions::ClangTidyValue *
lookupKey(const ClangTidyOptions::OptionMap &Map, llvm::StringRef Key) {
  auto It = Map.find(Key);
  return It == Map.end() ? nullptr : &It->second;
}
} // namespace

PipeCheckBase::PipeCheckBase(llvm::StringRef Name, ClangTidyContext *Context)
    : ClangTidyCheck(Name, Context), CheckName(Name.str()), Ctx(Context) {
  AnalysisBudget =
      readPositive("AnalysisBudget", DefaultAnalysisBudget, "work units");
  ReportOnErrors = readBool("ReportOnErrors", false, /*AllowGlobal=*/true);
  WarnOnBudgetExhausted =
      readBool("WarnOnBudgetExhausted", false, /*AllowGlobal=*/true);
  // Only the leak checks that list it in the table above ask the callers.
  if (const CheckOptionsInfo *C = findCheck(CheckName);
      C && llvm::is_contained(C->Own, "ReportLeaksBeforeExit")) {
    AsksCallers = true;
    ReportLeaksBeforeExit =
        readBool("ReportLeaksBeforeExit", false, /*AllowGlobal=*/true);
  }
  readCallerFactsOptions(); // CallerFactsOptions.cpp
  for (const ModelOption &Opt : modelOptions()) {
    std::optional<RawOption> O = rawOption(Opt.Name);
    if (!O || O->Value.empty())
      continue;
    std::string Problem = Model.addEntries(Opt, O->Value);
    if (!Problem.empty()) {
      reportBadValue(*O, Problem + "; expected " + Opt.Help.str());
      continue;
    }
    ModelOptionValues[Opt.Name] = O->Value;
  }
  if (Ctx && !findCheck(CheckName))
    configurationDiag("pipe-tidy: check '%0' is missing from the table of "
                      "pipe checks in PipeCheckBase.cpp; its options are not "
                      "validated",
                      DiagnosticIDs::Error)
        << CheckName;
  if (Ctx && reportsGlobal(""))
    validateOptionNames();
}

std::optional<PipeCheckBase::RawOption>
PipeCheckBase::rawOption(llvm::StringRef Local, bool AllowGlobal) const {
  if (!Ctx)
    return std::nullopt;
  // Read through clang-tidy as well, only so that it learns the option
  // exists: from LLVM 17 on, --verify-config collects the keys checks read
  // this way and calls every other key unknown.
  if (AllowGlobal)
    (void)Options.getLocalOrGlobal(Local);
  else
    (void)Options.get(Local);
  const ClangTidyOptions::OptionMap &Map = Ctx->getOptions().CheckOptions;
  std::string LocalKey = CheckName + "." + Local.str();
  const ClangTidyOptions::ClangTidyValue *L = lookupKey(Map, LocalKey);
  const ClangTidyOptions::ClangTidyValue *G =
      AllowGlobal ? lookupKey(Map, Local) : nullptr;
  // As clang-tidy's getLocalOrGlobal(): the check-local key, unless the
  // global one comes from a configuration of higher priority.
  if (L && (!G || L->Priority >= G->Priority))
    return RawOption{LocalKey, L->Value, false};
  if (G)
    return RawOption{Local.str(), G->Value, true};
  return std::nullopt;
}

unsigned PipeCheckBase::readPositive(llvm::StringRef Local, unsigned Default,
                                     llvm::StringRef Unit) {
  std::optional<RawOption> O = rawOption(Local);
  if (!O)
    return Default;
  unsigned long long V = 0;
  llvm::StringRef Text = llvm::StringRef(O->Value).trim();
  if (Text.getAsInteger(10, V) || V == 0 ||
      V > std::numeric_limits<unsigned>::max()) {
    // "-5", "lots", "0", "1e6" and values beyond 32 bits all end here.
    reportBadValue(*O, "expected a positive integer (" + Unit + ")" +
                           (!Text.getAsInteger(10, V) && V != 0
                                ? " of at most 4294967295"
                                : ""));
    return Default;
  }
  return unsigned(V);
}

unsigned PipeCheckBase::readPipeCapacity() {
  constexpr unsigned DefaultCapacity = 65536; // Linux
  return readPositive("PipeCapacity", DefaultCapacity, "bytes");
}

bool PipeCheckBase::readLocalBool(llvm::StringRef Local, bool Default) {
  return readBool(Local, Default, /*AllowGlobal=*/false);
}

bool PipeCheckBase::readBool(llvm::StringRef Local, bool Default,
                             bool AllowGlobal) {
  std::optional<RawOption> O = rawOption(Local, AllowGlobal);
  if (!O)
    return Default;
  std::string V = llvm::StringRef(O->Value).trim().lower();
  // What clang-tidy itself accepts for a boolean option.
  if (V == "true" || V == "1" || V == "yes" || V == "on")
    return true;
  if (V == "false" || V == "0" || V == "no" || V == "off")
    return false;
  reportBadValue(*O, "expected 'true' or 'false'");
  return Default;
}

void PipeCheckBase::reportBadValue(const RawOption &O,
                                   const llvm::Twine &Problem) {
  if (O.Global && !reportsGlobal(O.Key))
    return;
  configurationDiag("invalid value '%0' for option '%1': %2",
                    DiagnosticIDs::Error)
      << O.Value << O.Key << Problem.str();
}

bool PipeCheckBase::reportsGlobal(llvm::StringRef Local) const {
  if (!Ctx)
    return false;
  const ClangTidyOptions::OptionMap &Map = Ctx->getOptions().CheckOptions;
  const ClangTidyOptions::ClangTidyValue *G =
      Local.empty() ? nullptr : lookupKey(Map, Local);
  bool AnyEnabled = false;
  for (const CheckOptionsInfo &C : PipeChecks) {
    if (!Ctx->isCheckEnabled(C.Check))
      continue;
    AnyEnabled = true;
    if (!Local.empty()) {
      if (!reads(C, Local))
        continue;
      // A check whose own key wins does not read the global one.
      const ClangTidyOptions::ClangTidyValue *L =
          lookupKey(Map, (C.Check + "." + Local).str());
      if (L && (!G || L->Priority >= G->Priority))
        continue;
    }
    return C.Check == CheckName;
  }
  // This check runs, so some check should have been found enabled; if the
  // context cannot tell, every check reports rather than none.
  return !AnyEnabled;
}

void PipeCheckBase::validateOptionNames() {
  llvm::SmallVector<llvm::StringRef, 8> CheckNames;
  for (const CheckOptionsInfo &C : PipeChecks)
    CheckNames.push_back(C.Check);
  llvm::SmallVector<llvm::StringRef, 12> Globals = globalOptions();
  // The keys in a stable order, so that the warnings are too.
  std::vector<std::string> Keys;
  for (const auto &Entry : Ctx->getOptions().CheckOptions)
    Keys.push_back(Entry.getKey().str());
  std::sort(Keys.begin(), Keys.end());
  for (const std::string &KeyStr : Keys) {
    llvm::StringRef Key = KeyStr;
    if (!compat::startsWith(Key, "pipe-")) {
      // A global key: other checks read global keys too, so only a near
      // miss of a pipe option is reported.
      if (llvm::is_contained(Globals, Key) || Key.contains('.'))
        continue;
      if (std::optional<llvm::StringRef> S = nearest(Key, Globals)) {
        configurationDiag("unknown option '%0'; did you mean '%1'?") << Key
                                                                     << *S;
        continue;
      }
      // An option that has only a check-local key, given as a global one.
      for (const CheckOptionsInfo &C : PipeChecks)
        for (llvm::StringRef O : C.Own)
          if (!llvm::is_contained(Globals, O) && nearest(Key, O))
            configurationDiag("unknown option '%0'; did you mean '%1.%2'? "
                              "%2 has no global key")
                << Key << C.Check << O;
      continue;
    }
    auto [Prefix, Local] = Key.split('.');
    const CheckOptionsInfo *C = findCheck(Prefix);
    if (C && reads(*C, Local))
      continue;
    if (C) {
      llvm::SmallVector<llvm::StringRef, 12> Known = optionsOf(*C);
      if (std::optional<llvm::StringRef> S = nearest(Local, Known))
        configurationDiag("unknown option '%0'; did you mean '%1.%2'? %1 "
                          "understands: %3")
            << Key << C->Check << *S << join(Known);
      else
        configurationDiag("unknown option '%0'; %1 understands: %2")
            << Key << C->Check << join(Known);
      continue;
    }
    // Not a pipe check: a misspelt check, or a global option given a
    // prefix ("pipe-tidy.AnalysisBudget").
    if (std::optional<llvm::StringRef> Check = nearest(Prefix, CheckNames)) {
      const CheckOptionsInfo *Near = findCheck(*Check);
      llvm::SmallVector<llvm::StringRef, 12> Known = optionsOf(*Near);
      std::optional<llvm::StringRef> S = nearest(Local, Known);
      configurationDiag("unknown option '%0': '%1' is not a pipe check; did "
                        "you mean '%2%3%4'?")
          << Key << Prefix << Near->Check << (S ? "." : "")
          << (S ? *S : llvm::StringRef());
      continue;
    }
    if (std::optional<llvm::StringRef> S = nearest(Local, Globals)) {
      configurationDiag("unknown option '%0': '%1' is not a pipe check; did "
                        "you mean the global option '%2'?")
          << Key << Prefix << *S;
      continue;
    }
    configurationDiag("unknown option '%0': '%1' is not a pipe check; the "
                      "pipe checks are %2")
        << Key << Prefix << join(CheckNames);
  }
}

void PipeCheckBase::storeOptions(ClangTidyOptions::OptionMap &Opts) {
  for (const ModelOption &Opt : modelOptions()) {
    auto It = ModelOptionValues.find(Opt.Name);
    Options.store(Opts, Opt.Name, It == ModelOptionValues.end() ? "" : It->second);
  }
  Options.store(Opts, "AnalysisBudget", AnalysisBudget);
  Options.store(Opts, "ReportOnErrors", ReportOnErrors);
  Options.store(Opts, "WarnOnBudgetExhausted", WarnOnBudgetExhausted);
  if (AsksCallers) {
    Options.store(Opts, "ReportLeaksBeforeExit", ReportLeaksBeforeExit);
    Options.store(Opts, "CallerFactsFile", CallerFactsOption);
  }
}

/// The enabled pipe checks that share one MatchFinder, in the order they
/// registered. Every check matches the same nodes (each function, lambda
/// and block with a body), so one set of matchers serves them all: with
/// six sets, clang-tidy ran six matchers on every declaration of the
/// translation unit, system headers included, and called six callbacks
/// per match.
struct CheckGroup {
  MatchFinder *Finder = nullptr;
  std::vector<PipeCheckBase *> Members;
  /// Matching has begun: every check of this run has registered, so a
  /// later MatchFinder at the same address is another run's.
  bool Matching = false;
};

namespace {
/// The group of the MatchFinder being set up on this thread (clang-tidy
/// registers every check of a translation unit, then matches; clangd may
/// build several translation units at once, one per thread).
std::weak_ptr<CheckGroup> &groupBeingRegistered() {
  static thread_local std::weak_ptr<CheckGroup> G;
  return G;
}
} // namespace

PipeCheckBase::~PipeCheckBase() {
  if (Group)
    Group->Members.erase(
        std::remove(Group->Members.begin(), Group->Members.end(), this),
        Group->Members.end());
}

void PipeCheckBase::registerMatchers(MatchFinder *Finder) {
  // The first pass of a project's caller facts analyses nothing.
  if (!RecordFactsTo.empty()) {
    if (AsksCallers)
      Finder->addMatcher(translationUnitDecl().bind("unit"), this);
    return;
  }
  std::shared_ptr<CheckGroup> G = groupBeingRegistered().lock();
  if (G && G->Finder == Finder && !G->Matching) {
    // Another pipe check registered the matchers: it passes the matches on.
    G->Members.push_back(this);
    Group = std::move(G);
    return;
  }
  Group = std::make_shared<CheckGroup>();
  Group->Finder = Finder;
  Group->Members.push_back(this);
  groupBeingRegistered() = Group;
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
  // The MatchFinder tells only the check that registered the matchers.
  if (Group && !Group->Members.empty() && Group->Members.front() == this) {
    Group->Matching = true;
    for (PipeCheckBase *C : Group->Members)
      if (C != this)
        C->onStartOfTranslationUnit();
  }
  Analysed.clear();
  ConstantsRead = false;
  // The wrappers recognised from their bodies belong to the previous unit.
  Model.resetRecognised();
  // The analyses and summaries of the previous translation unit point into
  // its AST and into the checks that made them, which clang-tidy destroys
  // between translation units. The next ASTContext may even have the same
  // address, so the cache cannot tell by itself.
  resetAnalysisCache();
  resetBlockedWriters();
  SMForNotes = nullptr;
}

void PipeCheckBase::onEndOfTranslationUnit() {
  // The first pipe check to get here reports for all of them: the findings
  // point into the analyses, which live until the next unit starts.
  if (SMForNotes)
    reportBlockedWriters(*SMForNotes);
}

void PipeCheckBase::check(const MatchFinder::MatchResult &Result) {
  if (Result.Nodes.getNodeAs<TranslationUnitDecl>("unit")) {
    recordCallerFacts(*Result.Context);
    return;
  }
  if (!Group) {
    checkOne(Result);
    return;
  }
  // In the order the checks registered, as their own matchers fired.
  for (PipeCheckBase *C : Group->Members)
    C->checkOne(Result);
}

void PipeCheckBase::checkOne(const MatchFinder::MatchResult &Result) {
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
  if (!Analysed.insert(D).second)
    return;
  if (sharedBodyHasErrors(D, *Result.Context))
    return;
  SMForNotes = Result.SourceManager;
  if (!ConstantsRead && PP) {
    Model.Constants.readFrom(*PP);
    ConstantsRead = true;
  }
  // A function given a function pointer that every call in the unit binds
  // to the same function is analysed and checked with that binding.
  CallbackBindings Bound;
  const auto *FD = dyn_cast<FunctionDecl>(D);
  if (FD)
    Bound = callerContext(*Result.Context)->callbacksAtEveryCall(FD);
  CallbackScope Given(Bound);
  beginBindingNotes(FD, std::move(Bound), *Result.Context);
  if (const FunctionAnalysis *Analysis = sharedAnalysis(D, *Result.Context))
    analyzeFunction(*Analysis);
  endBindingNotes();
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
  /// What the callers do after each function returns, per model
  /// configuration (its NoReturnFunctions) and caller facts (null: none).
  std::map<std::pair<std::string, const CallerFacts *>,
           std::unique_ptr<CallerContext>>
      Callers;
  /// bodyHasErrors() per function: every pipe check asks, one walk answers.
  llvm::DenseMap<const Decl *, bool> BodyErrors;
  void clear() {
    Entries.clear();
    Summaries.clear();
    Callers.clear();
    BodyErrors.clear();
    Ctx = nullptr;
  }
};
AnalysisCache &analysisCache() {
  static AnalysisCache Cache;
  return Cache;
}
} // namespace

void PipeCheckBase::resetAnalysisCache() { analysisCache().clear(); }

/// The cache, emptied first when \p Ctx is another translation unit's.
static AnalysisCache &analysisCacheFor(ASTContext &Ctx) {
  AnalysisCache &Cache = analysisCache();
  // PIPE_TIDY_TEST_SAME_ASTCONTEXT=1 (for the tests only) acts as if each
  // translation unit's ASTContext had the address of the previous one,
  // which happens by chance only: with it, only the reset at the start of
  // the unit keeps the previous unit's analyses out, every time.
  static const bool AssumeSameContext =
      std::getenv("PIPE_TIDY_TEST_SAME_ASTCONTEXT") != nullptr;
  if (Cache.Ctx != &Ctx && !(AssumeSameContext && Cache.Ctx)) {
    Cache.clear();
    Cache.Ctx = &Ctx;
  }
  return Cache;
}

bool PipeCheckBase::sharedBodyHasErrors(const Decl *D, ASTContext &Ctx) {
  AnalysisCache &Cache = analysisCacheFor(Ctx);
  auto [It, New] = Cache.BodyErrors.try_emplace(D, false);
  if (New)
    It->second = bodyHasErrors(D, Ctx.getSourceManager());
  return It->second;
}

const FunctionAnalysis *PipeCheckBase::sharedAnalysis(const Decl *D,
                                                      ASTContext &Ctx) {
  AnalysisCache &Cache = analysisCacheFor(Ctx);
  auto It = Cache.Entries.find({D, modelKey()});
  if (It == Cache.Entries.end()) {
    // A function that mentions no pipe API has nothing to analyse; the
    // answer (a null entry) is shared too, so that the body is walked once,
    // not once per check.
    std::unique_ptr<FunctionAnalysis> Analysis;
    std::unique_ptr<CalleeSummaries> &Summaries = Cache.Summaries[ModelKey];
    if (!Summaries)
      Summaries = std::make_unique<CalleeSummaries>(Model);
    // A call of a helper that makes or closes a pipe counts as a mention.
    // So does a method that finds its class's pipes open in the members.
    FunctionSummaries &Functions =
        functionSummaries(*Summaries, Ctx, AnalysisBudget);
    if (mentionsPipeApi(D->getBody(), Model) ||
        Functions.callsPipeHelper(D->getBody()) ||
        Functions.holdsClassPipes(D)) {
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

bool PipeCheckBase::callersEndProcess(const FunctionAnalysis &A,
                                      const ExitPoint &X, const PathState &S) {
  if (!AsksCallers || ReportLeaksBeforeExit)
    return false;
  return callerContext(A)->endsProcessAfter(A, X, S);
}

bool PipeCheckBase::callersEndProcessForLeaks(const FunctionAnalysis &A,
                                              const ExitPoint &X,
                                              const PathState &S) {
  // Asked as the leak check asks it, with its options and its caller facts
  // (only a check that asks the callers reads CallerFactsFile), whichever
  // check asks first.
  if (Group)
    for (PipeCheckBase *C : Group->Members)
      if (C != this && C->AsksCallers)
        return C->callersEndProcess(A, X, S);
  return callerContext(A)->endsProcessAfter(A, X, S);
}

const std::string &PipeCheckBase::modelKey() {
  // The model's configuration decides what an analysis finds.
  if (ModelKey.empty()) {
    ModelKey = std::to_string(AnalysisBudget);
    for (const ModelOption &Opt : modelOptions()) {
      auto O = ModelOptionValues.find(Opt.Name);
      if (O != ModelOptionValues.end())
        ModelKey += ";" + Opt.Name.str() + "=" + O->second;
    }
    if (Facts)
      ModelKey += ";facts=" + FactsPath;
  }
  return ModelKey;
}

CallerContext *PipeCheckBase::callerContext(const FunctionAnalysis &A) {
  return callerContext(A.context());
}

CallerContext *PipeCheckBase::callerContext(ASTContext &Ctx) {
  // The answers depend on the model and on the project's caller facts,
  // which only the checks that ask the callers read: an entry made without
  // them must not serve a check that has them.
  std::unique_ptr<CallerContext> &Callers =
      analysisCacheFor(Ctx).Callers[{modelKey(), Facts.get()}];
  if (!Callers) {
    Callers = std::make_unique<CallerContext>(Ctx, Model);
    Callers->setFacts(Facts.get());
  }
  return Callers.get();
}

bool PipeCheckBase::isEnabled(llvm::StringRef Name) const {
  return Ctx && Ctx->isCheckEnabled(Name);
}

FunctionSummaries *PipeCheckBase::sharedSummaries(ASTContext &Ctx) {
  AnalysisCache &Cache = analysisCache();
  auto It = Cache.Summaries.find(ModelKey);
  if (It == Cache.Summaries.end() || !It->second)
    return nullptr;
  return &functionSummaries(*It->second, Ctx, AnalysisBudget);
}

/// "std::thread 'compressor'", "the future 'loader' of std::async",
/// "child process 'pid'": how a message names a task.
std::string PipeCheckBase::describeTask(const TaskInfo &T) {
  // A handle kept in a struct member or an array element: its spelling.
  bool Named = T.Handle || !T.HandleName.empty();
  std::string Name = T.Handle ? "'" + T.Handle->getNameAsString() + "'"
                     : Named  ? "'" + T.HandleName + "'"
                              : "";
  std::string Runs =
      T.Runs ? " running '" + T.Runs->getNameAsString() + "'" : std::string();
  // A container of handles (engine/TaskContainers.cpp): every element
  // started at that site.
  if (T.Handle && taskContainerKind(T.Handle->getType()))
    switch (T.Kind) {
    case TaskKind::StdThread:
      return "each std::thread in " + Name;
    case TaskKind::JThread:
      return "each std::jthread in " + Name;
    case TaskKind::AsyncFuture:
      return "each std::async future in " + Name;
    case TaskKind::BoostThread:
      return "each boost::thread in " + Name;
    default:
      break;
    }
  switch (T.Kind) {
  case TaskKind::StdThread:
    return Named ? "std::thread " + Name : "the thread" + Runs;
  case TaskKind::JThread:
    return "std::jthread " + Name;
  case TaskKind::AsyncFuture:
    return "the future " + Name + " of std::async";
  case TaskKind::BoostThread:
    return Named ? "boost::thread " + Name : "the thread" + Runs;
  case TaskKind::PThread:
    return "thread " + Name + Runs;
  case TaskKind::ForkChild:
    return Named ? "child process " + Name : "the child process";
  }
  return Name;
}

} // namespace clang::tidy::pipe
