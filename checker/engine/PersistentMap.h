//===--- PersistentMap.h - an immutable map that states share --------------===//
//
// A persistent map from 64-bit keys to values: a big-endian Patricia trie
// (Okasaki and Gill, "Fast Mergeable Integer Maps") whose nodes are
// immutable and reference-counted, so that copying a map is O(1) and an
// update copies only the path to the changed key (O(log n) nodes). Two maps
// derived from the same one share every subtree neither changed, and the
// operations the fixpoint needs most (join, equality, difference) skip a
// shared subtree in one step: their cost is the size of the difference,
// not of the maps. That is what keeps the work per CFG element bounded
// when a function holds thousands of pipes open at once: a state copied at
// a branch, recorded at a call or joined at a merge costs what the paths
// changed, not what they hold.
//
// Iteration is in increasing key order (unsigned), so results do not
// depend on addresses or on the order of insertion: a trie's shape is a
// function of its key set alone.
//
// Each node keeps the OR of Traits::agg() of the values below it, so that a
// search or an update that concerns only values with some property (an
// integer, an open end) skips the subtrees that hold none.
//
// Each node also keeps two fingerprints of its subtree: the sum over its
// entries of a mix of the key and Traits::hash(v, 0) (or hash(v, 1)), so
// that two maps whose fingerprints differ are known to differ in O(1), by
// an equality weaker than same() that the traits choose (for the engine:
// the equality the fixpoint compares states by; fingerprint 1: only the
// values that matter to it, 0 for the others).
//
// Traits must provide:
//   static bool same(const V &, const V &);  // identical, field by field
//   static uint8_t agg(const V &);           // property bits
//   static uint64_t hash(const V &, unsigned I); // fingerprint I (0 or 1)
//
// PersistentMapStats counts what maps cost: the bytes their live nodes take
// (the real memory of every state that shares them), and the nodes the
// bulk operations visit (work, for the engine's budget).
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_PERSISTENTMAP_H
#define PIPE_TIDY_ENGINE_PERSISTENTMAP_H

#include <cassert>
#include <cstddef>
#include <cstdint>
#include <new>
#include <optional>
#include <type_traits>
#include <utility>

namespace clang::tidy::pipe {

struct PersistentMapStats {
  /// Bytes held by the live nodes of every map (all value types).
  static inline uint64_t LiveBytes = 0;
  /// Nodes visited by merge(), diff(), update() and forEachIn(): the
  /// engine adds the growth to its work.
  static inline uint64_t Steps = 0;
};

template <typename V, typename Traits> class PersistentMap {
  struct Node {
    mutable uint32_t Refs = 1;
    uint32_t Size = 1; ///< leaves below
    uint8_t Agg = 0;
    bool Leaf = true;
    /// Branch: the number of the single bit its two subtrees differ in
    /// (left: 0).
    uint8_t Shift = 0;
    /// Leaf: the key. Branch: the bits above the branching bit that every
    /// key below shares.
    uint64_t Key = 0;
    uint64_t Hash[2] = {0, 0};
    /// A branch has kids, a leaf a value: they share the room.
    union {
      const Node *Kid[2];
      V Val;
    };
    Node() : Kid{nullptr, nullptr} {}
  };
  static_assert(std::is_trivially_copyable<V>::value &&
                    std::is_trivially_destructible<V>::value,
                "values share a union with the kids");
  static uint64_t bitOf(const Node *N) { return uint64_t(1) << N->Shift; }

  static const Node *retain(const Node *N) {
    if (N)
      ++N->Refs;
    return N;
  }
  static void release(const Node *N) {
    while (N && --N->Refs == 0) {
      const Node *L = N->Leaf ? nullptr : N->Kid[0];
      const Node *R = N->Leaf ? nullptr : N->Kid[1];
      PersistentMapStats::LiveBytes -= sizeof(Node);
      delete N;
      release(L);
      N = R; // the right spine iteratively
    }
  }
  static const Node *leaf(uint64_t K, const V &Val) {
    Node *N = new Node();
    PersistentMapStats::LiveBytes += sizeof(Node);
    N->Key = K;
    new (&N->Val) V(Val);
    N->Agg = Traits::agg(Val);
    for (unsigned I = 0; I < 2; ++I) {
      uint64_t H = Traits::hash(Val, I);
      N->Hash[I] = H ? mix(K * 0x9e3779b97f4a7c15ULL ^ H) : 0;
    }
    return N;
  }
  /// A branch over two non-empty subtrees (takes their references).
  static const Node *branch(uint64_t Prefix, uint64_t Bit, const Node *L,
                            const Node *R) {
    if (!L)
      return R;
    if (!R)
      return L;
    Node *N = new Node();
    PersistentMapStats::LiveBytes += sizeof(Node);
    N->Leaf = false;
    N->Key = Prefix;
    N->Shift = uint8_t(__builtin_ctzll(Bit));
    N->Kid[0] = L;
    N->Kid[1] = R;
    N->Size = L->Size + R->Size;
    N->Agg = uint8_t(L->Agg | R->Agg);
    N->Hash[0] = L->Hash[0] + R->Hash[0];
    N->Hash[1] = L->Hash[1] + R->Hash[1];
    return N;
  }
  static uint64_t mix(uint64_t X) { // splitmix64's finaliser
    X ^= X >> 30;
    X *= 0xbf58476d1ce4e5b9ULL;
    X ^= X >> 27;
    X *= 0x94d049bb133111ebULL;
    return X ^ (X >> 31);
  }
  static uint64_t highBit(uint64_t X) {
    return uint64_t(1) << (63 - __builtin_clzll(X));
  }
  static uint64_t maskAbove(uint64_t K, uint64_t Bit) {
    return K & ~((Bit << 1) - 1);
  }
  static bool matches(uint64_t K, const Node *N) {
    return maskAbove(K, bitOf(N)) == N->Key;
  }
  static uint64_t prefixOf(const Node *N) { return N->Key; }
  /// Two non-empty trees with disjoint key ranges (takes their references).
  static const Node *link(const Node *A, const Node *B) {
    if (!A)
      return B;
    if (!B)
      return A;
    uint64_t Bit = highBit(prefixOf(A) ^ prefixOf(B));
    uint64_t Prefix = maskAbove(prefixOf(A), Bit);
    if ((prefixOf(A) & Bit) == 0)
      return branch(Prefix, Bit, A, B);
    return branch(Prefix, Bit, B, A);
  }
  /// A branch like \p Old with kids \p L and \p R (takes their references);
  /// \p Old itself when they are its own kids.
  static const Node *rebuild(const Node *Old, const Node *L, const Node *R) {
    if (L == Old->Kid[0] && R == Old->Kid[1]) {
      release(L);
      release(R);
      return retain(Old);
    }
    if (!L || !R)
      return L ? L : R;
    return branch(Old->Key, bitOf(Old), L, R);
  }

  static const Node *insertAt(const Node *N, uint64_t K, const V &Val) {
    if (!N)
      return leaf(K, Val);
    if (N->Leaf) {
      if (N->Key == K)
        return Traits::same(N->Val, Val) ? retain(N) : leaf(K, Val);
      return link(retain(N), leaf(K, Val));
    }
    if (!matches(K, N))
      return link(retain(N), leaf(K, Val));
    unsigned Side = (K & bitOf(N)) ? 1 : 0;
    const Node *C = insertAt(N->Kid[Side], K, Val);
    if (C == N->Kid[Side]) {
      release(C);
      return retain(N);
    }
    const Node *L = Side ? retain(N->Kid[0]) : C;
    const Node *R = Side ? C : retain(N->Kid[1]);
    return branch(N->Key, bitOf(N), L, R);
  }
  static const Node *eraseAt(const Node *N, uint64_t K) {
    if (!N)
      return nullptr;
    if (N->Leaf)
      return N->Key == K ? nullptr : retain(N);
    if (!matches(K, N))
      return retain(N);
    unsigned Side = (K & bitOf(N)) ? 1 : 0;
    const Node *C = eraseAt(N->Kid[Side], K);
    if (C == N->Kid[Side]) {
      release(C);
      return retain(N);
    }
    const Node *L = Side ? retain(N->Kid[0]) : C;
    const Node *R = Side ? C : retain(N->Kid[1]);
    return branch(N->Key, bitOf(N), L, R);
  }

  template <typename Fn> static void walk(const Node *N, Fn &F) {
    while (N) {
      if (N->Leaf) {
        F(N->Key, N->Val);
        return;
      }
      walk(N->Kid[0], F);
      N = N->Kid[1];
    }
  }
  template <typename Fn>
  static bool walkIn(const Node *N, uint64_t Lo, uint64_t Hi, Fn &F) {
    if (!N)
      return true;
    ++PersistentMapStats::Steps;
    if (N->Leaf) {
      if (N->Key >= Lo && N->Key <= Hi)
        return F(N->Key, N->Val);
      return true;
    }
    // Every key below lies in [Prefix, Prefix | (2*Bit - 1)].
    uint64_t Min = N->Key, Max = N->Key | ((bitOf(N) << 1) - 1);
    if (Max < Lo || Min > Hi)
      return true;
    return walkIn(N->Kid[0], Lo, Hi, F) && walkIn(N->Kid[1], Lo, Hi, F);
  }

  template <typename Fn>
  static void walkWith(const Node *N, uint8_t Mask, Fn &F) {
    while (N && (N->Agg & Mask)) {
      ++PersistentMapStats::Steps;
      if (N->Leaf) {
        F(N->Key, N->Val);
        return;
      }
      walkWith(N->Kid[0], Mask, F);
      N = N->Kid[1];
    }
  }

  /// Applies \p F (key, value-or-null, value-or-null) to every leaf of a
  /// tree present on one side only.
  template <typename Fn>
  static const Node *mapOne(const Node *N, bool IsA, Fn &F) {
    if (!N)
      return nullptr;
    ++PersistentMapStats::Steps;
    if (N->Leaf) {
      std::optional<V> R = IsA ? F(N->Key, &N->Val, nullptr)
                               : F(N->Key, nullptr, &N->Val);
      if (!R)
        return nullptr;
      return Traits::same(*R, N->Val) ? retain(N) : leaf(N->Key, *R);
    }
    return rebuild(N, mapOne(N->Kid[0], IsA, F), mapOne(N->Kid[1], IsA, F));
  }
  template <typename Fn>
  static const Node *mergeAt(const Node *A, const Node *B, Fn &F) {
    if (A == B && A) {
      // A subtree both sides share: F(k, v, v) is v.
      ++PersistentMapStats::Steps;
      return retain(A);
    }
    if (!A)
      return mapOne(B, false, F);
    if (!B)
      return mapOne(A, true, F);
    ++PersistentMapStats::Steps;
    if (A->Leaf && B->Leaf) {
      if (A->Key != B->Key)
        return link(mapOne(A, true, F), mapOne(B, false, F));
      std::optional<V> R = F(A->Key, &A->Val, &B->Val);
      if (!R)
        return nullptr;
      if (Traits::same(*R, A->Val))
        return retain(A);
      if (Traits::same(*R, B->Val))
        return retain(B);
      return leaf(A->Key, *R);
    }
    if (A->Leaf || B->Leaf) {
      const Node *Br = A->Leaf ? B : A, *Lf = A->Leaf ? A : B;
      bool BrIsA = Br == A;
      if (!matches(Lf->Key, Br))
        return link(mapOne(A, true, F), mapOne(B, false, F));
      unsigned Side = (Lf->Key & bitOf(Br)) ? 1 : 0;
      const Node *Kids[2];
      Kids[Side] = BrIsA ? mergeAt(Br->Kid[Side], Lf, F)
                         : mergeAt(Lf, Br->Kid[Side], F);
      Kids[1 - Side] = mapOne(Br->Kid[1 - Side], BrIsA, F);
      return rebuild(Br, Kids[0], Kids[1]);
    }
    if (bitOf(A) == bitOf(B) && A->Key == B->Key) {
      const Node *L = mergeAt(A->Kid[0], B->Kid[0], F);
      const Node *R = mergeAt(A->Kid[1], B->Kid[1], F);
      if (L == B->Kid[0] && R == B->Kid[1] &&
          !(L == A->Kid[0] && R == A->Kid[1]))
        return rebuild(B, L, R);
      return rebuild(A, L, R);
    }
    if (bitOf(A) > bitOf(B) && matches(B->Key, A)) {
      unsigned Side = (B->Key & bitOf(A)) ? 1 : 0;
      const Node *Kids[2];
      Kids[Side] = mergeAt(A->Kid[Side], B, F);
      Kids[1 - Side] = mapOne(A->Kid[1 - Side], true, F);
      return rebuild(A, Kids[0], Kids[1]);
    }
    if (bitOf(B) > bitOf(A) && matches(A->Key, B)) {
      unsigned Side = (A->Key & bitOf(B)) ? 1 : 0;
      const Node *Kids[2];
      Kids[Side] = mergeAt(A, B->Kid[Side], F);
      Kids[1 - Side] = mapOne(B->Kid[1 - Side], false, F);
      return rebuild(B, Kids[0], Kids[1]);
    }
    return link(mapOne(A, true, F), mapOne(B, false, F));
  }

  template <typename Fn> static bool diffOne(const Node *N, bool IsA, Fn &F) {
    if (!N)
      return true;
    ++PersistentMapStats::Steps;
    if (N->Leaf)
      return IsA ? F(N->Key, &N->Val, nullptr) : F(N->Key, nullptr, &N->Val);
    return diffOne(N->Kid[0], IsA, F) && diffOne(N->Kid[1], IsA, F);
  }
  template <typename Fn>
  static bool diffAt(const Node *A, const Node *B, Fn &F) {
    if (A == B)
      return true;
    if (!A)
      return diffOne(B, false, F);
    if (!B)
      return diffOne(A, true, F);
    ++PersistentMapStats::Steps;
    if (A->Leaf && B->Leaf) {
      if (A->Key == B->Key)
        return Traits::same(A->Val, B->Val) ||
               F(A->Key, &A->Val, &B->Val);
      // Disjoint: in key order.
      if (A->Key < B->Key)
        return F(A->Key, &A->Val, nullptr) && F(B->Key, nullptr, &B->Val);
      return F(B->Key, nullptr, &B->Val) && F(A->Key, &A->Val, nullptr);
    }
    if (A->Leaf || B->Leaf) {
      const Node *Br = A->Leaf ? B : A, *Lf = A->Leaf ? A : B;
      bool BrIsA = Br == A;
      if (!matches(Lf->Key, Br)) {
        bool LfFirst = Lf->Key < Br->Key;
        const Node *First = LfFirst ? Lf : Br, *Second = LfFirst ? Br : Lf;
        return diffOne(First, First == A, F) && diffOne(Second, Second == A, F);
      }
      unsigned Side = (Lf->Key & bitOf(Br)) ? 1 : 0;
      auto Here = [&] {
        return BrIsA ? diffAt(Br->Kid[Side], Lf, F)
                     : diffAt(Lf, Br->Kid[Side], F);
      };
      if (Side == 0)
        return Here() && diffOne(Br->Kid[1], BrIsA, F);
      return diffOne(Br->Kid[0], BrIsA, F) && Here();
    }
    if (bitOf(A) == bitOf(B) && A->Key == B->Key)
      return diffAt(A->Kid[0], B->Kid[0], F) && diffAt(A->Kid[1], B->Kid[1], F);
    if (bitOf(A) > bitOf(B) && matches(B->Key, A)) {
      if ((B->Key & bitOf(A)) == 0)
        return diffAt(A->Kid[0], B, F) && diffOne(A->Kid[1], true, F);
      return diffOne(A->Kid[0], true, F) && diffAt(A->Kid[1], B, F);
    }
    if (bitOf(B) > bitOf(A) && matches(A->Key, B)) {
      if ((A->Key & bitOf(B)) == 0)
        return diffAt(A, B->Kid[0], F) && diffOne(B->Kid[1], false, F);
      return diffOne(B->Kid[0], false, F) && diffAt(A, B->Kid[1], F);
    }
    if (A->Key < B->Key)
      return diffOne(A, true, F) && diffOne(B, false, F);
    return diffOne(B, false, F) && diffOne(A, true, F);
  }

  template <typename Fn>
  static const Node *updateAt(const Node *N, uint8_t Mask, Fn &F) {
    if (!N)
      return nullptr;
    if (!(N->Agg & Mask))
      return retain(N);
    ++PersistentMapStats::Steps;
    if (N->Leaf) {
      std::optional<V> R = F(N->Key, N->Val);
      if (!R)
        return nullptr;
      return Traits::same(*R, N->Val) ? retain(N) : leaf(N->Key, *R);
    }
    return rebuild(N, updateAt(N->Kid[0], Mask, F),
                   updateAt(N->Kid[1], Mask, F));
  }

  explicit PersistentMap(const Node *Root) : Root(Root) {}
  const Node *Root = nullptr;

public:
  PersistentMap() = default;
  PersistentMap(const PersistentMap &O) : Root(retain(O.Root)) {}
  PersistentMap(PersistentMap &&O) noexcept : Root(O.Root) { O.Root = nullptr; }
  PersistentMap &operator=(const PersistentMap &O) {
    const Node *Old = Root;
    Root = retain(O.Root);
    release(Old);
    return *this;
  }
  PersistentMap &operator=(PersistentMap &&O) noexcept {
    if (this != &O) {
      release(Root);
      Root = O.Root;
      O.Root = nullptr;
    }
    return *this;
  }
  ~PersistentMap() { release(Root); }

  bool empty() const { return !Root; }
  size_t size() const { return Root ? Root->Size : 0; }
  /// The property bits of every value (Traits::agg()), OR-ed.
  uint8_t agg() const { return Root ? Root->Agg : 0; }
  /// Fingerprint \p I (0 or 1) of the entries: different fingerprints,
  /// different maps (by the traits' hash equality); equal ones, probably
  /// equal.
  uint64_t fingerprint(unsigned I) const { return Root ? Root->Hash[I] : 0; }
  /// The same tree: equal, found in O(1). Unequal trees may be equal too.
  bool sameRoot(const PersistentMap &O) const { return Root == O.Root; }

  const V *lookup(uint64_t K) const {
    const Node *N = Root;
    while (N && !N->Leaf) {
      if (!matches(K, N))
        return nullptr;
      N = N->Kid[(K & bitOf(N)) ? 1 : 0];
    }
    return N && N->Key == K ? &N->Val : nullptr;
  }
  void set(uint64_t K, const V &Val) {
    const Node *New = insertAt(Root, K, Val);
    release(Root);
    Root = New;
  }
  void erase(uint64_t K) {
    const Node *New = eraseAt(Root, K);
    release(Root);
    Root = New;
  }
  void clear() {
    release(Root);
    Root = nullptr;
  }

  /// Calls F(key, value) in increasing key order.
  template <typename Fn> void forEach(Fn &&F) const { walk(Root, F); }
  /// Calls F(key, value) for the keys in [Lo, Hi], in increasing order,
  /// while it returns true. Returns false if F stopped it.
  template <typename Fn> bool forEachIn(uint64_t Lo, uint64_t Hi, Fn &&F) const {
    return walkIn(Root, Lo, Hi, F);
  }

  /// Calls F(key, value) in increasing key order for the values below the
  /// subtrees whose Traits::agg() has a bit of \p Mask (and maybe others:
  /// F checks).
  template <typename Fn> void forEachWith(uint8_t Mask, Fn &&F) const {
    walkWith(Root, Mask, F);
  }

  /// The map of F(key, a, b) over the union of the keys of \p A and \p B
  /// (a or b null where that side has no entry; no entry where F returns
  /// nullopt). F(k, v, v) must be v: a subtree both maps share is kept
  /// whole without calling F, so the cost is that of the difference.
  template <typename Fn>
  static PersistentMap merge(const PersistentMap &A, const PersistentMap &B,
                             Fn &&F) {
    return PersistentMap(mergeAt(A.Root, B.Root, F));
  }
  /// Calls F(key, a, b) for each key whose entries differ (a or b null
  /// where that side has none), skipping shared subtrees, while F returns
  /// true. Returns false if F stopped it.
  template <typename Fn>
  static bool diff(const PersistentMap &A, const PersistentMap &B, Fn &&F) {
    return diffAt(A.Root, B.Root, F);
  }
  /// Equal entries (Traits::same): O(difference).
  bool operator==(const PersistentMap &O) const {
    return diff(*this, O, [](uint64_t, const V *, const V *) { return false; });
  }
  bool operator!=(const PersistentMap &O) const { return !(*this == O); }
  /// Replaces each value whose subtree has a bit of \p Mask in its
  /// Traits::agg() with F(key, value) (nullopt: erase); other subtrees are
  /// kept whole.
  template <typename Fn> void update(uint8_t Mask, Fn &&F) {
    const Node *New = updateAt(Root, Mask, F);
    release(Root);
    Root = New;
  }
  /// Bytes one node takes, for estimates.
  static constexpr size_t nodeBytes() { return sizeof(Node); }
};

} // namespace clang::tidy::pipe

#endif
