//===--- LeakGrouping.cpp - one warning for a function's leaks ------------===//
#include "checks/LeakGrouping.h"
#include "checks/UnclosedWriteEndCheck.h"
#include "checks/LeakQueries.h"

#include "clang/AST/ASTContext.h"
#include "clang/Lex/Lexer.h"
#include <algorithm>
#include <map>

namespace clang::tidy::pipe {

namespace {
/// "A", "A and B", "A, B and C".
std::string joinList(const std::vector<std::string> &L,
                     const std::string &Before = "") {
  std::string Out;
  for (size_t I = 0; I < L.size(); ++I) {
    if (I > 0)
      Out += I + 1 == L.size() ? " and " + Before : ", " + Before;
    Out += L[I];
  }
  return Out;
}
} // namespace

/// The closes before \p At, in braces when \p At is the whole body of an
/// if, else or loop (Where 2).
void UnclosedWriteEndCheck::addCloseFix(const FunctionAnalysis &A,
                                        DiagnosticBuilder &D, int Where,
                                        const Stmt *At,
                                        const std::string &Closes) {
  if (Where == 1) {
    D << FixItHint::CreateInsertion(At->getBeginLoc(), Closes);
  } else if (Where == 2) {
    const SourceManager &SM = A.context().getSourceManager();
    SourceLocation After = Lexer::findLocationAfterToken(
        At->getEndLoc(), tok::semi, SM, A.context().getLangOpts(),
        /*SkipTrailingWhitespaceAndNewLine=*/false);
    if (After.isValid())
      D << FixItHint::CreateInsertion(At->getBeginLoc(), "{ " + Closes)
        << FixItHint::CreateInsertion(After, " }");
  }
}

/// One warning for every pure leak of the function (one missing cleanup is
/// one defect): at the first place in source order (a jump that decides
/// the path, or an exit), naming every end that leaks there, with a note at
/// each other place naming what leaks there. Fix-its go on the warning,
/// one per place, only when together they close every leak it covers (each
/// place has its complete edit); otherwise there is none.
void UnclosedWriteEndCheck::reportLeaksTogether(
    const FunctionAnalysis &A, std::vector<LeakReport> &Reports) {
  if (Reports.empty())
    return;
  if (Reports.size() == 1) {
    LeakReport &R = Reports.front();
    {
      auto D = diag(R.Loc, R.Message);
      addCloseFix(A, D, R.Where, R.At, R.Closes);
    }
    R.Notes(nullptr);
    return;
  }
  const SourceManager &SM = A.context().getSourceManager();
  // The places, in source order, each with its reports in the order found.
  struct Place {
    SourceLocation Loc;
    std::vector<LeakReport *> Rs;
    std::vector<std::string> Names;   // every end named, once
    std::vector<std::string> Subjects; // one per resource
    bool Fix = false;
    int Where = 0;
    const Stmt *At = nullptr;
    std::string Closes;
  };
  std::vector<Place> Places;
  for (LeakReport &R : Reports) {
    auto It = llvm::find_if(Places, [&](const Place &P) { return P.Loc == R.Loc; });
    if (It == Places.end()) {
      Places.push_back(Place{R.Loc, {}, {}, {}, false, 0, nullptr, ""});
      It = std::prev(Places.end());
    }
    It->Rs.push_back(&R);
  }
  std::sort(Places.begin(), Places.end(),
                   [&](const Place &L, const Place &R) {
                     return SM.isBeforeInTranslationUnit(L.Loc, R.Loc);
                   });
  for (Place &P : Places) {
    // The ends of each resource that leak here (two states may leak
    // different ends of one resource at one exit: name each end once).
    std::vector<const void *> ResOrder;
    std::map<const void *, std::pair<std::vector<EndId>, int>> ByRes;
    std::map<const void *, const PathState *> NameIn;
    for (LeakReport *R : P.Rs) {
      if (!ByRes.count(R->Res)) {
        ResOrder.push_back(R->Res);
        ByRes[R->Res].second = -1;
        NameIn[R->Res] = R->NameState;
      }
      auto &Entry = ByRes[R->Res];
      for (EndId E : R->Ends)
        if (!llvm::is_contained(Entry.first, E))
          Entry.first.push_back(E);
      if (R->ReadEnd >= 0)
        Entry.second = R->ReadEnd;
    }
    for (const void *Res : ResOrder) {
      auto &[Ends, ReadEnd] = ByRes[Res];
      std::sort(Ends.begin(), Ends.end());
      const PathState *NS = NameIn[Res];
      auto Name = [&](EndId E) { return A.nameOf(E, NS); };
      const EndInfo &Info = A.ends()[Ends.front()];
      std::string Subject;
      if (Info.Kind == EndKind::SocketEnd)
        Subject = Ends.size() > 1 ? "ends '" + Name(Ends[0]) + "' and '" +
                                        Name(Ends[1]) + "' of the socket pair"
                                  : "end '" + Name(Ends[0]) +
                                        "' of the socket pair";
      else
        Subject = "write end '" + Name(Ends[0]) + "'" +
                  (ReadEnd >= 0 ? " (and the read end '" +
                                      Name(EndId(ReadEnd)) + "')"
                                : std::string()) +
                  " of the pipe";
      P.Subjects.push_back(Subject);
      for (EndId E : Ends)
        P.Names.push_back("'" + Name(E) + "'");
      if (ReadEnd >= 0)
        P.Names.push_back("'" + Name(EndId(ReadEnd)) + "'");
    }
    // A fix-it for the place: every report's closes, at one statement.
    P.Fix = true;
    P.At = P.Rs.front()->At;
    P.Where = P.Rs.front()->Where;
    for (LeakReport *R : P.Rs) {
      P.Fix &= R->Where != 0 && R->At == P.At && R->Where == P.Where;
      if (P.Closes.find(R->Closes) == std::string::npos)
        P.Closes += R->Closes;
    }
  }

  std::string Fn = A.displayName();
  size_t NumNames = 0;
  for (const Place &P : Places)
    NumNames += P.Names.size();
  bool Plural = NumNames > 1, One = Places.size() == 1;
  const Place &First = Places.front();
  std::string Others =
      One ? std::string()
          : ", and more at " + std::to_string(Places.size() - 1) + " other " +
                (Places.size() == 2 ? "place" : "places") + " (see the notes)";
  bool Child = First.Rs.front()->Child;
  std::string Message =
      Fn + " leaks the " + joinList(First.Subjects, "the ") + " " +
      First.Rs.front()->When + Others + "; " +
      (Child ? std::string()
             : std::string("each call that takes ") +
                   (One ? "this path" : "one of these paths") + " leaks " +
                   (Plural ? "them" : "it") + "; ") +
      (First.Rs.front()->DeleteOwner
           ? (First.Rs.front()->DeleteOwner->empty()
                  ? std::string("delete the object that holds ") +
                        (Plural ? "them" : "it")
                  : "delete '" + *First.Rs.front()->DeleteOwner + "'") +
                 (One ? " on this path" : " on each of these paths") +
                 "; its destructor closes " + (Plural ? "them" : "it")
           : "close " + std::string(Plural ? "them" : "it") +
                 (Child ? ", or end the child with _exit()"
                  : One ? " on this path"
                        : " on each of these paths"));
  // Fix-its only when they fix all the warning covers: every place has
  // its complete edit. Then they all go on the warning, and `clang-tidy
  // --fix` (or one quick fix) removes it; an edit that would leave another
  // place leaking is never offered, not even on a note (`--fix-notes`
  // applies a lone note's fix-it).
  bool OnWarning = llvm::all_of(Places, [](const Place &P) { return P.Fix; });
  {
    auto D = diag(First.Loc, Message);
    if (OnWarning)
      for (const Place &P : Places)
        addCloseFix(A, D, P.Where, P.At, P.Closes);
  }
  if (!One && First.Fix)
    diag(First.Loc, "close %0 here", DiagnosticIDs::Note)
        << joinList(First.Names);
  NoteKeys Seen;
  auto EmitNotes = [&](const Place &P) {
    for (LeakReport *R : P.Rs)
      R->Notes(&Seen);
  };
  EmitNotes(First);
  for (size_t I = 1; I < Places.size(); ++I) {
    const Place &P = Places[I];
    {
      diag(P.Loc, "%0 also leaks the %1 %2", DiagnosticIDs::Note)
          << Fn << joinList(P.Subjects, "the ") << P.Rs.front()->When;
    }
    EmitNotes(P);
  }
}

} // namespace clang::tidy::pipe
