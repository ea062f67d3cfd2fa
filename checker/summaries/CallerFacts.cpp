//===--- CallerFacts.cpp - the facts file: reading it and asking it ------===//

#include "summaries/CallerFacts.h"
#include "Compat.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include <map>
#include <mutex>
#include <utility>

namespace clang::tidy::pipe {

const std::array<CallerFacts::Probe, CallerFacts::NumProbes>
    CallerFacts::Probes = {{{-1, -1},
                            {0, 0},
                            {1, 1},
                            {INT64_MIN, -1},
                            {1, INT64_MAX},
                            {0, INT64_MAX},
                            {INT64_MIN, 0}}};

int CallerFacts::probeFor(int64_t Lo, int64_t Hi) {
  int Best = -1;
  for (unsigned I = 0; I < NumProbes; ++I) {
    const Probe &P = Probes[I];
    if (P.Lo > Lo || P.Hi < Hi)
      continue;
    // The narrowest: the singletons come first, and of two ranges that
    // hold [Lo, Hi] one holds the other.
    if (Best < 0 || (uint64_t(P.Hi) - uint64_t(P.Lo) <
                     uint64_t(Probes[Best].Hi) - uint64_t(Probes[Best].Lo)))
      Best = int(I);
  }
  return Best;
}

std::string CallerFacts::format(const Outcome &O) {
  if (O.K == 'R')
    return "R" + std::to_string(O.Lo) + ":" + std::to_string(O.Hi);
  return std::string(1, O.K);
}

bool CallerFacts::parse(llvm::StringRef Text, Outcome &O) {
  O = Outcome();
  if (Text == "E" || Text == "I" || Text == "U" || Text == "V") {
    O.K = Text[0];
    return true;
  }
  if (!Text.consume_front("R"))
    return false;
  auto [L, H] = Text.split(':');
  long long Lo = 0, Hi = 0;
  if (L.getAsInteger(10, Lo) || H.getAsInteger(10, Hi) || Lo > Hi)
    return false;
  O.K = 'R';
  O.Lo = Lo;
  O.Hi = Hi;
  return true;
}

llvm::StringMap<CallerFacts::Call> &CallerFacts::callsOf(llvm::StringRef Kind,
                                                         llvm::StringRef Key) {
  if (compat::startsWith(Kind, "i"))
    return Pointers[Key].Calls;
  return Fns[Key].Calls;
}

bool CallerFacts::parseText(llvm::StringRef Text, std::string &Error) {
  llvm::SmallVector<llvm::StringRef, 0> Lines;
  Text.split(Lines, '\n');
  bool SawHeader = false;
  for (size_t N = 0; N < Lines.size(); ++N) {
    llvm::StringRef Line = Lines[N].rtrim("\r");
    auto Bad = [&](llvm::StringRef Why) {
      Error = "line " + std::to_string(N + 1) + ": " + Why.str();
      return false;
    };
    if (Line.trim().empty() || compat::startsWith(Line, "#"))
      continue;
    if (compat::startsWith(Line, "pipe-tidy caller facts")) {
      if (Line != Header)
        return Bad("'" + Line.str() + "': this plugin reads '" + Header +
                   "'");
      SawHeader = true;
      continue;
    }
    if (!SawHeader)
      return Bad("not a caller facts file: it does not start with '" +
                 std::string(Header) + "'");
    llvm::SmallVector<llvm::StringRef, 8> F;
    Line.split(F, '\t');
    if (F[0] == "def" && F.size() == 3 && !F[1].empty() && !F[2].empty()) {
      Fns[F[1]].DefFiles.insert(F[2]);
    } else if (F[0] == "escape" && F.size() == 2 && !F[1].empty()) {
      Fns[F[1]].Escapes = true;
    } else if (F[0] == "taken" && F.size() >= 3 && !F[1].empty()) {
      for (size_t I = 2; I < F.size(); ++I)
        if (!F[I].empty())
          Fns[F[1]].TakenAs.insert(F[I]);
    } else if (F[0] == "model" && F.size() == 8 && !F[1].empty() &&
               !F[2].empty()) {
      long long N = 0;
      for (unsigned I = 4; I < 8; ++I)
        if (F[I].getAsInteger(10, N))
          return Bad("'" + F[I].str() + "' is not a number of a model line");
      if (F[3] != "fork" && F[3] != "spawn" && F[3] != "wait" &&
          F[3] != "thread" && F[3] != "noreturn")
        return Bad("'" + F[3].str() + "' is not a model role (fork, spawn, "
                                      "wait, thread, noreturn)");
      std::string Role = F[3].str();
      for (unsigned I = 4; I < 8; ++I)
        Role += "\t" + F[I].str();
      Fns[F[1]].ModelByFile[F[2]] = Role;
    } else if (F[0] == "typeescape" && F.size() == 2 && !F[1].empty()) {
      Pointers[F[1]].Escapes = true;
    } else if ((F[0] == "call" || F[0] == "icall") && F.size() == 5 &&
               !F[1].empty() && !F[2].empty()) {
      llvm::SmallVector<llvm::StringRef, NumProbes> Os;
      F[4].split(Os, ' ', -1, /*KeepEmpty=*/false);
      std::array<Outcome, NumProbes> O;
      if (Os.size() != NumProbes)
        return Bad("a call needs " + std::to_string(NumProbes) +
                   " outcomes, this one has " + std::to_string(Os.size()));
      for (unsigned I = 0; I < NumProbes; ++I)
        if (!parse(Os[I], O[I]) || O[I].K == 'V')
          return Bad("'" + Os[I].str() + "' is not an outcome (E, I, U, "
                                         "R<lo>:<hi>)");
      // A call in a header is recorded by every unit that includes it.
      Call &C = callsOf(F[0], F[1])[F[3]];
      C.Caller = F[2] == "-" ? std::string() : F[2].str();
      C.HasProbes = true;
      C.O = O;
    } else if ((F[0] == "any" || F[0] == "iany") && F.size() == 5 &&
               !F[1].empty() && !F[2].empty()) {
      Outcome A;
      if (!parse(F[4].trim(), A) || A.K == 'I')
        return Bad("'" + F[4].str() + "' is not an outcome (E, U, V, "
                                      "R<lo>:<hi>)");
      Call &C = callsOf(F[0], F[1])[F[3]];
      C.Caller = F[2] == "-" ? std::string() : F[2].str();
      C.Any = A;
    } else {
      return Bad("'" + Line.substr(0, 60).str() + "' is not a caller fact");
    }
  }
  return true;
}

std::shared_ptr<const CallerFacts> CallerFacts::load(llvm::StringRef Path,
                                                     std::string &Error) {
  llvm::sys::fs::file_status Status;
  if (std::error_code EC = llvm::sys::fs::status(Path, Status)) {
    Error = "cannot read it: " + EC.message();
    return nullptr;
  }
  if (Status.type() == llvm::sys::fs::file_type::directory_file) {
    Error = "cannot read it: it is a directory";
    return nullptr;
  }
  // One clang-tidy checks many files with one configuration: read once.
  static std::mutex Lock;
  static std::map<std::string,
                  std::pair<llvm::sys::TimePoint<>,
                            std::shared_ptr<const CallerFacts>>>
      Cache;
  std::lock_guard<std::mutex> Guard(Lock);
  auto It = Cache.find(Path.str());
  if (It != Cache.end() &&
      It->second.first == Status.getLastModificationTime())
    return It->second.second;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> Buf =
      llvm::MemoryBuffer::getFile(Path, /*IsText=*/true);
  if (!Buf) {
    Error = "cannot read it: " + Buf.getError().message();
    return nullptr;
  }
  auto Facts = std::make_shared<CallerFacts>();
  if (!Facts->parseText((*Buf)->getBuffer(), Error))
    return nullptr;
  Cache[Path.str()] = {Status.getLastModificationTime(), Facts};
  return Facts;
}

std::string CallerFacts::modelOf(llvm::StringRef Usr) const {
  const Function *F = find(Usr);
  if (!F || F->DefFiles.empty())
    return {};
  // Every definition must have been read as the same: two programs of one
  // project may define a function of one name differently.
  std::string Role;
  for (const auto &File : F->DefFiles) {
    auto It = F->ModelByFile.find(File.getKey());
    if (It == F->ModelByFile.end() || (!Role.empty() && Role != It->second))
      return {};
    Role = It->second;
  }
  return Role;
}

bool CallerFacts::callersEnd(llvm::StringRef Usr, bool AnyValue, int64_t Lo,
                             int64_t Hi, unsigned Depth,
                             unsigned MaxDepth) const {
  llvm::StringSet<> InProgress;
  return callersEnd(Usr, AnyValue, Lo, Hi, Depth, MaxDepth, InProgress);
}

bool CallerFacts::callersEnd(llvm::StringRef Usr, bool AnyValue, int64_t Lo,
                             int64_t Hi, unsigned Depth, unsigned MaxDepth,
                             llvm::StringSet<> &InProgress) const {
  if (Depth > MaxDepth)
    return false;
  const Function *F = find(Usr);
  if (!F || F->Escapes || F->DefFiles.empty())
    return false;
  // Its calls: direct ones, and those through a pointer of its type.
  llvm::SmallVector<const llvm::StringMap<Call> *, 3> Lists{&F->Calls};
  for (const auto &Key : F->TakenAs) {
    auto P = Pointers.find(Key.getKey());
    if (P == Pointers.end())
      continue;
    if (P->second.Escapes)
      return false;
    Lists.push_back(&P->second.Calls);
  }
  if (llvm::all_of(Lists, [](const auto *L) { return L->empty(); }))
    return false;
  // A value no probe holds: only the outcomes whatever the value count.
  int P = AnyValue ? -1 : probeFor(Lo, Hi);
  if (!InProgress.insert(Usr).second)
    return false; // recursion: unknown
  auto Ends = [&](const Call &C, const Outcome &O) {
    if (O.K == 'E')
      return true;
    if (C.Caller.empty())
      return false;
    if (O.K == 'R')
      return callersEnd(C.Caller, false, O.Lo, O.Hi, Depth + 1, MaxDepth,
                        InProgress);
    if (O.K == 'V')
      return callersEnd(C.Caller, true, 0, 0, Depth + 1, MaxDepth,
                        InProgress);
    return false;
  };
  bool All = true;
  for (const llvm::StringMap<Call> *L : Lists) {
    for (const auto &Entry : *L) {
      const Call &C = Entry.second;
      if (P >= 0 && C.HasProbes && Ends(C, C.O[P]))
        continue;
      if (Ends(C, C.Any))
        continue;
      All = false;
      break;
    }
    if (!All)
      break;
  }
  InProgress.erase(Usr);
  return All;
}

} // namespace clang::tidy::pipe
