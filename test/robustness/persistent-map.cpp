// The persistent map path states are made of (checker/engine/PersistentMap.h)
// against std::map, on random operations, and the claims the engine's
// linearity rests on: a join (merge) or comparison (diff, ==) of two maps
// derived from one visits the nodes on the paths they changed, not the
// whole map; fingerprints tell different maps apart; copies share nodes.
//
// RUN: /usr/lib/llvm-%llvm_version/bin/clang++ -std=c++17 -O1 -I %repo_root/checker %s -o %t
// RUN: %t | FileCheck %s
// CHECK: random operations: 30000 checked, 0 wrong
// CHECK-NEXT: merge of 100000 entries with a copy changed at 2 keys: under 200 nodes visited
// CHECK-NEXT: diff of the same: under 200 nodes visited, 2 keys reported
// CHECK-NEXT: fingerprints: equal maps equal, changed maps differ
// CHECK-NEXT: nodes freed: all

#include "engine/PersistentMap.h"
#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <vector>

using namespace clang::tidy::pipe;

struct IntTraits {
  static bool same(int A, int B) { return A == B; }
  static uint8_t agg(int V) { return V < 0 ? 1 : 2; }
  static uint64_t hash(int V, unsigned I) {
    return I ? (V < 0 ? 0 : uint64_t(V) + 1) : uint64_t(V) + 10;
  }
};
using Map = PersistentMap<int, IntTraits>;
using Std = std::map<uint64_t, int>;

static Std toStd(const Map &M, bool &Ok) {
  Std R;
  bool First = true;
  uint64_t Last = 0;
  M.forEach([&](uint64_t K, int V) {
    if (!First && K <= Last)
      Ok = false; // not in increasing key order
    First = false;
    Last = K;
    R[K] = V;
  });
  if (R.size() != M.size())
    Ok = false;
  return R;
}

static std::optional<int> joinInts(uint64_t, const int *A, const int *B) {
  if (A && B)
    return std::max(*A, *B);
  if (A)
    return *A > 0 ? std::optional<int>(*A) : std::nullopt;
  return *B;
}

int main() {
  unsigned Checked = 0, Wrong = 0;
  {
    std::mt19937_64 G(15);
    auto Key = [&]() -> uint64_t {
      switch (G() % 4) {
      case 0:
        return G() % 64;
      case 1:
        return G();
      case 2: // place keys: variable, then selectors
        return (G() % 4) << 32 | (G() % 8) << 16 | (G() % 3);
      default:
        return ~uint64_t(G() % 5); // the top bit set
      }
    };
    for (int Round = 0; Round < 100; ++Round) {
      std::vector<Map> Ms(4);
      std::vector<Std> Ss(4);
      for (int Op = 0; Op < 300; ++Op) {
        unsigned I = unsigned(G() % 4), J = unsigned(G() % 4);
        bool Ok = true;
        switch (G() % 6) {
        case 0:
        case 1: {
          uint64_t K = Key();
          int V = int(G() % 7) - 3;
          Ms[I].set(K, V);
          Ss[I][K] = V;
          break;
        }
        case 2: {
          uint64_t K = Key();
          Ms[I].erase(K);
          Ss[I].erase(K);
          break;
        }
        case 3:
          Ms[I] = Ms[J];
          Ss[I] = Ss[J];
          break;
        case 4: {
          Std E;
          for (auto &P : Ss[I]) {
            auto It = Ss[J].find(P.first);
            auto V = joinInts(P.first, &P.second,
                              It != Ss[J].end() ? &It->second : nullptr);
            if (V)
              E[P.first] = *V;
          }
          for (auto &P : Ss[J])
            if (!Ss[I].count(P.first))
              if (auto V = joinInts(P.first, nullptr, &P.second))
                E[P.first] = *V;
          Ms[I] = Map::merge(Ms[I], Ms[J], joinInts);
          Ss[I] = E;
          break;
        }
        default: {
          std::vector<uint64_t> D, Want;
          Map::diff(Ms[I], Ms[J], [&](uint64_t K, const int *, const int *) {
            D.push_back(K);
            return true;
          });
          std::sort(D.begin(), D.end());
          Std U = Ss[I];
          for (auto &P : Ss[J])
            U[P.first] = 0;
          for (auto &P : U) {
            auto A = Ss[I].find(P.first), B = Ss[J].find(P.first);
            bool HA = A != Ss[I].end(), HB = B != Ss[J].end();
            if (HA != HB || (HA && A->second != B->second))
              Want.push_back(P.first);
          }
          Ok &= D == Want;
          Ok &= (Ms[I] == Ms[J]) == Want.empty();
          Ok &= (Ms[I].fingerprint(0) == Ms[J].fingerprint(0)) == Want.empty();
          break;
        }
        }
        // A range query, as for the places within one variable.
        uint64_t Lo = Key(), Hi = Key();
        if (Lo > Hi)
          std::swap(Lo, Hi);
        std::vector<uint64_t> R, Want;
        Ms[I].forEachIn(Lo, Hi, [&](uint64_t K, int) {
          R.push_back(K);
          return true;
        });
        for (auto &P : Ss[I])
          if (P.first >= Lo && P.first <= Hi)
            Want.push_back(P.first);
        Ok &= R == Want;
        for (unsigned K = 0; K < 4; ++K)
          Ok &= toStd(Ms[K], Ok) == Ss[K];
        for (auto &P : Ss[I])
          Ok &= Ms[I].lookup(P.first) && *Ms[I].lookup(P.first) == P.second;
        ++Checked;
        Wrong += !Ok;
        // and updates of the values with a property bit only
        if (Op % 50 == 0) {
          Ms[I].update(1, [](uint64_t, int V) -> std::optional<int> {
            if (V < 0)
              return V == -3 ? std::nullopt : std::optional<int>(-V);
            return V;
          });
          Std E;
          for (auto &P : Ss[I])
            if (P.second >= 0)
              E[P.first] = P.second;
            else if (P.second != -3)
              E[P.first] = -P.second;
          Ss[I] = E;
        }
      }
    }
    std::printf("random operations: %u checked, %u wrong\n", Checked, Wrong);
  }
  {
    Map A;
    for (uint64_t I = 0; I < 100000; ++I)
      A.set(7ull << 32 | I, 1);
    Map B = A;
    B.set(7ull << 32 | 500, 2);
    B.set(7ull << 32 | 100000, 3);
    uint64_t S0 = PersistentMapStats::Steps;
    Map J = Map::merge(A, B, joinInts);
    uint64_t Merge = PersistentMapStats::Steps - S0;
    bool JoinOk = J == B && J.size() == 100001;
    std::printf("merge of 100000 entries with a copy changed at 2 keys: %s\n",
                Merge < 200 && JoinOk ? "under 200 nodes visited" : "TOO MANY");
    S0 = PersistentMapStats::Steps;
    unsigned Keys = 0;
    Map::diff(A, B, [&](uint64_t, const int *, const int *) {
      ++Keys;
      return true;
    });
    uint64_t Diff = PersistentMapStats::Steps - S0;
    std::printf("diff of the same: %s, %u keys reported\n",
                Diff < 200 ? "under 200 nodes visited" : "TOO MANY", Keys);
    Map C = A; // a copy: shares every node
    C.set(7ull << 32 | 3, 1); // the same value: still shared
    bool Fp = C.sameRoot(A) && C.fingerprint(0) == A.fingerprint(0) &&
              B.fingerprint(0) != A.fingerprint(0);
    std::printf("fingerprints: %s\n", Fp ? "equal maps equal, changed maps differ"
                                         : "WRONG");
  }
  std::printf("nodes freed: %s\n",
              PersistentMapStats::LiveBytes == 0 ? "all" : "SOME LEAKED");
  return Wrong ? 1 : 0;
}
