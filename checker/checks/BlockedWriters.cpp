//===--- BlockedWriters.cpp - one warning per blocked writer --------------===//
#include "checks/BlockedWriters.h"

#include <algorithm>
#include <vector>

namespace clang::tidy::pipe {

namespace {
struct Kept {
  BlockedBy Check;
  BlockedWriter Writer;
  SourceLocation Loc;
  std::function<void()> Warn, Also;
  size_t Order = 0;
};
std::vector<Kept> &kept() {
  static std::vector<Kept> K;
  return K;
}
bool sameWriter(const BlockedWriter &A, const BlockedWriter &B) {
  return A.Function == B.Function && A.Task == B.Task && A.Pipe == B.Pipe &&
         A.ReadEnd == B.ReadEnd;
}
} // namespace

void deferBlockedWriter(BlockedBy Check, const BlockedWriter &Writer,
                        SourceLocation Loc, std::function<void()> Warn,
                        std::function<void()> Also) {
  kept().push_back({Check, Writer, Loc, std::move(Warn), std::move(Also), 0});
}

void resetBlockedWriters() { kept().clear(); }

void reportBlockedWriters(const SourceManager &SM) {
  std::vector<Kept> K = std::move(kept());
  kept().clear();
  // Source order; at one point, pipe-wait-before-drain's finding first,
  // else the order they were found in.
  for (size_t I = 0; I < K.size(); ++I)
    K[I].Order = I;
  std::sort(K.begin(), K.end(), [&](const Kept &X, const Kept &Y) {
    if (X.Loc != Y.Loc)
      return SM.isBeforeInTranslationUnit(X.Loc, Y.Loc);
    if (X.Check != Y.Check)
      return X.Check == BlockedBy::WaitBeforeDrain;
    return X.Order < Y.Order;
  });
  auto DrainAt = [&](const Kept &L) {
    return std::any_of(K.begin(), K.end(), [&](const Kept &D) {
      return D.Check == BlockedBy::WaitBeforeDrain && D.Loc == L.Loc &&
             sameWriter(D.Writer, L.Writer);
    });
  };
  std::vector<bool> Done(K.size());
  for (size_t I = 0; I < K.size(); ++I) {
    if (Done[I])
      continue;
    Done[I] = true;
    if (K[I].Check == BlockedBy::LeakedWriter) {
      // Not a wait pipe-wait-before-drain reports: a warning of its own.
      if (!DrainAt(K[I]))
        K[I].Warn();
      continue;
    }
    K[I].Warn();
    for (size_t J = I + 1; J < K.size(); ++J) {
      if (Done[J] || !sameWriter(K[J].Writer, K[I].Writer))
        continue;
      if (K[J].Check == BlockedBy::LeakedWriter && !DrainAt(K[J]))
        continue;
      Done[J] = true;
      K[J].Also();
    }
  }
}

} // namespace clang::tidy::pipe
