#!/usr/bin/env python3
"""Runs a command on a project in a fresh temporary directory, outside the
repository, whose own .clang-tidy the test directories inherit. For a
project with no configuration at all: clangd and clang-tidy read every
.clang-tidy above a file.

  outside_repo.py --copy FILE [--copy FILE...] -- COMMAND [ARGS...]

Copies each FILE into the directory, replaces @DIR@ in COMMAND and ARGS by
its path, runs the command there and exits with its status; the directory
is removed afterwards. Fails when a .clang-tidy or .clangd is found in the
directory's ancestors.
"""

import os
import shutil
import subprocess
import sys
import tempfile


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    cut = argv.index("--")
    opts, cmd = argv[:cut], argv[cut + 1:]
    if len(opts) % 2 or any(o != "--copy" for o in opts[::2]) or not cmd:
        sys.exit(__doc__)
    root = tempfile.mkdtemp(prefix="pipe-tidy-noconfig-")
    try:
        parent = os.path.dirname(root)
        while True:
            for name in (".clang-tidy", ".clangd"):
                if os.path.exists(os.path.join(parent, name)):
                    sys.exit("outside_repo.py: %s/%s would configure the project"
                             % (parent, name))
            if parent == os.path.dirname(parent):
                break
            parent = os.path.dirname(parent)
        for src in opts[1::2]:
            shutil.copy(src, root)
        cmd = [a.replace("@DIR@", root) for a in cmd]
        return subprocess.call(cmd, cwd=root)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
