//===--- SelectorPaths.h - where below its variable a place is ------------===//
//
// The path of a place below its variable (`p.out.fds[1]`: field `out`,
// field `fds`, index 1), as the flow engine's places (LocKey,
// AbstractState.h) and the summaries' slots (SummarySlot,
// FunctionSummaries.h) keep it, and its 9-bit packing in a state's keys.
//
//===----------------------------------------------------------------------===//
#ifndef PIPE_TIDY_ENGINE_SELECTORPATHS_H
#define PIPE_TIDY_ENGINE_SELECTORPATHS_H

#include <cstdint>

namespace clang::tidy::pipe {

/// The selectors of a place below its variable: up to MaxSelDepth of them,
/// 16 bits each, the outermost in the low bits (`p.out.fds[1]` is field
/// `out`, then field `fds`, then index 1). A selector is 1+i for index i,
/// 0x8000|f for field number f; 0 ends the path.
using SelPath = uint64_t;
constexpr unsigned MaxSelDepth = 4;
/// The outermost selector of \p Sel (0 when it has none), and the path
/// below it.
inline uint16_t firstSel(SelPath Sel) { return uint16_t(Sel & 0xffff); }
inline SelPath innerSels(SelPath Sel) { return Sel >> 16; }

/// A state's places are kept by a 64-bit key (PathState::packLoc()): the
/// variable's number in the top 28 bits, then each selector in 9 bits, the
/// outermost first, so that the places below any place are one key range.
/// In 9 bits: 0 = none, 1..240 = index 0..239, 241..495 = field 0..254,
/// 496..510 = the engine's own fields 0x7ff0..0x7ffe (engagedSel()), 511 =
/// any other. child() and joinSels() make no place with a selector that
/// needs 511 (a constant index past 239, a struct's 256th field): such a
/// place is not followed, as a deeper nesting is not.
constexpr unsigned PackedSelBits = 9;
constexpr unsigned KeySelBits = PackedSelBits * MaxSelDepth;
constexpr unsigned UnnamedSelCode = 511;
/// The 9-bit code of a 16-bit selector; 0 when it has none.
inline unsigned packSel(uint16_t Sel) {
  if (Sel == 0)
    return 0;
  if (!(Sel & 0x8000))
    return Sel <= 240 ? Sel : UnnamedSelCode;
  unsigned F = Sel & 0x7fffu;
  if (F <= 254)
    return 241 + F;
  return F >= 0x7ff0 && F <= 0x7ffe ? 496 + (F - 0x7ff0) : UnnamedSelCode;
}
inline uint16_t unpackSel(unsigned Code) {
  if (Code <= 240)
    return uint16_t(Code);
  if (Code <= 495)
    return uint16_t(0x8000 | (Code - 241));
  return uint16_t(0x8000 | (0x7ff0 + (Code - 496)));
}
/// Can \p Sel name a place below another (packSel())?
inline bool namableSel(uint16_t Sel) {
  return Sel != 0 && packSel(Sel) != UnnamedSelCode;
}

} // namespace clang::tidy::pipe

#endif // PIPE_TIDY_ENGINE_SELECTORPATHS_H
