#!/usr/bin/python3
"""clean_db.py RAW OUT: the compilation database that clang-tidy is given.

clang-tidy analyses a file once for every database entry that names it, so:
- entries that are not compiler-driver runs are dropped: bear also records
  the `clang -cc1` runs that the driver starts for `-MM` dependency
  generation (redis's `make dep`), and those fail in clang-tidy with
  "-dependency-file requires at least one -MT or -MQ option";
- only the first entry for each file is kept (libuv's CMake builds every
  source twice, for the shared and the static library, with the same flags
  apart from -fPIC/-fvisibility).
Nothing else is changed: the flags are the real build's.
"""
import json, os, shlex, sys

raw, out = sys.argv[1], sys.argv[2]
entries = json.load(open(raw))
kept, seen = [], set()
for e in entries:
    argv = e.get('arguments') or shlex.split(e['command'])
    if '-cc1' in argv or '-c' not in argv:
        continue
    path = os.path.normpath(os.path.join(e['directory'], e['file']))
    if path in seen:
        continue
    seen.add(path)
    kept.append(e)
json.dump(kept, open(out + '.tmp', 'w'), indent=1)
os.replace(out + '.tmp', out)
print('%s: %d entries of %d kept' % (out, len(kept), len(entries)), file=sys.stderr)
