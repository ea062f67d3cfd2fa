// The checks and the engine look up a statement's parent in a parent map of
// the one function body they read (clang::ParentMap, or their own walk),
// never with ASTContext::getParents(): its first call builds the map of the
// whole translation unit, system headers included, which costs 130-240 MB
// on header-heavy files. Three such calls crept back in with one change
// (the WNOHANG polling loop, the write loop round a read-back, the caller
// context); this keeps them out. What those calls serve is tested where it
// is found: pipe-wait-before-drain/polling.c, pipe-self-deadlock's helper
// writes, pipe-unclosed-write-end/caller-context.c.
//
// RUN: not grep -rnE "[.>]getParents[(<]|include.*ParentMapContext" %S/../../checker
