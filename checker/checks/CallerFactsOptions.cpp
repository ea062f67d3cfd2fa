//===--- CallerFactsOptions.cpp - the project's caller facts, both passes --===//
//
// The checks that ask the callers (those with ReportLeaksBeforeExit) take
// the callers in the project's other translation units from a facts file
// (summaries/CallerFacts.h):
//
//  - first pass: with $PIPE_TIDY_RECORD_CALLER_FACTS set, such a check runs
//    no analysis and writes the facts of each translation unit there (a
//    file, or a new file in a directory); the other pipe checks do nothing;
//  - second pass: the option CallerFactsFile (check-local), or else
//    $PIPE_TIDY_CALLER_FACTS (how pipe-tidy passes it without replacing the
//    user's configuration), names the merged facts. A file that is missing,
//    unreadable or not a facts file is a configuration error naming the
//    option; an empty one holds no fact.
//
//===----------------------------------------------------------------------===//

#include "checks/PipeCheckBase.h"
#include "summaries/CallerContext.h"
#include "summaries/CallerFacts.h"

#include "clang/AST/ASTContext.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include <cstdlib>

namespace clang::tidy::pipe {

void PipeCheckBase::readCallerFactsOptions() {
  if (const char *R = std::getenv("PIPE_TIDY_RECORD_CALLER_FACTS"))
    RecordFactsTo = llvm::StringRef(R).trim().str();
  if (!Ctx)
    return;
  // The checks that do not ask the callers read the facts only for what
  // they say about the model of other files' functions, and only from
  // the environment (pipe-tidy sets it); CallerFactsFile is
  // pipe-unclosed-write-end's.
  std::optional<RawOption> O;
  if (AsksCallers)
    O = rawOption("CallerFactsFile", /*AllowGlobal=*/false);
  if (O)
    CallerFactsOption = llvm::StringRef(O->Value).trim().str();
  // The first pass reads no facts.
  if (!RecordFactsTo.empty())
    return;
  std::string Path = CallerFactsOption;
  std::string Key =
      (AsksCallers ? CheckName : std::string("pipe-unclosed-write-end")) +
      ".CallerFactsFile";
  std::string From;
  if (Path.empty())
    if (const char *E = std::getenv("PIPE_TIDY_CALLER_FACTS");
        E && *llvm::StringRef(E).trim().data()) {
      Path = llvm::StringRef(E).trim().str();
      From = " (from $PIPE_TIDY_CALLER_FACTS)";
    }
  if (Path.empty())
    return;
  std::string Error;
  Facts = CallerFacts::load(Path, Error);
  if (Facts) {
    FactsPath = Path;
    Model.setProjectFacts(Facts.get());
  }
  // One error, from the leak check when it runs.
  if (!Facts && (AsksCallers || !isEnabled("pipe-unclosed-write-end")))
    configurationDiag("invalid value '%0' for option '%1'%2: %3; expected a "
                      "caller facts file written by the first pass "
                      "(pipe-tidy -p BUILD_DIR makes one)",
                      DiagnosticIDs::Error)
        << Path << Key << From << Error;
}

void PipeCheckBase::recordCallerFacts(ASTContext &Context) {
  std::string Text;
  llvm::raw_string_ostream OS(Text);
  CallerContext Callers(Context, Model);
  Callers.recordFacts(OS);
  OS.flush();

  std::error_code EC;
  std::string Dest = RecordFactsTo;
  if (llvm::sys::fs::is_directory(Dest)) {
    // One new file per translation unit: parallel runs never share one.
    const SourceManager &SM = Context.getSourceManager();
    std::string Base = "unit";
    llvm::StringRef Main =
        SM.getFilename(SM.getLocForStartOfFile(SM.getMainFileID()));
    if (!Main.empty())
      Base = llvm::sys::path::filename(Main).str();
    llvm::SmallString<256> Model(Dest);
    llvm::sys::path::append(Model, Base + "-%%%%%%%%.facts");
    llvm::SmallString<256> Made;
    int FD = -1;
    EC = llvm::sys::fs::createUniqueFile(Model, FD, Made);
    if (!EC) {
      llvm::raw_fd_ostream Out(FD, /*shouldClose=*/true);
      Out << Text;
      Out.close();
      if (Out.has_error())
        EC = Out.error();
      Dest = Made.str().str();
    }
  } else {
    llvm::raw_fd_ostream Out(Dest, EC, llvm::sys::fs::OF_None);
    if (!EC) {
      Out << Text;
      Out.close();
      if (Out.has_error())
        EC = Out.error();
    }
  }
  if (EC)
    configurationDiag("cannot write the caller facts of this file to '%0' "
                      "($PIPE_TIDY_RECORD_CALLER_FACTS): %1",
                      DiagnosticIDs::Error)
        << Dest << EC.message();
}

} // namespace clang::tidy::pipe
