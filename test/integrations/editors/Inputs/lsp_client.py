#!/usr/bin/env python3
"""A minimal LSP client that does what an editor's clangd client does:
starts the server command over stdio (VS Code's clangd.path +
clangd.arguments, Neovim's cmd, eglot-server-programs, lsp-mode's
lsp-clients-clangd-executable + -args), initializes it with the project
root, opens one file, and prints the diagnostics the server publishes for
it, one a line:

  DIAG <line>:<character> <severity> <source> <code> <first line of message>

(0-based positions, as in LSP), or NO-DIAGNOSTICS.

  lsp_client.py --root DIR --file FILE [--timeout S] -- SERVER [ARGS...]
"""

import argparse
import json
import os
import select
import subprocess
import sys
import time


class Server:
    def __init__(self, cmd, cwd, stderr):
        self.p = subprocess.Popen(cmd, cwd=cwd, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=stderr)
        self.buf = b""
        self.next_id = 1

    def send(self, method, params, request=False):
        msg = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            msg["id"] = self.next_id
            self.next_id += 1
        body = json.dumps(msg).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.p.stdin.flush()
        return msg.get("id")

    def _fill(self, deadline):
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no answer from the server")
        ready, _, _ = select.select([self.p.stdout], [], [], left)
        if not ready:
            raise TimeoutError("no answer from the server")
        chunk = os.read(self.p.stdout.fileno(), 65536)
        if not chunk:
            raise EOFError("the server closed its output (exit status %s)" % self.p.poll())
        self.buf += chunk

    def receive(self, deadline):
        while b"\r\n\r\n" not in self.buf:
            self._fill(deadline)
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        length = None
        for line in head.split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        while len(self.buf) < length:
            self._fill(deadline)
        body, self.buf = self.buf[:length], self.buf[length:]
        return json.loads(body)


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit("usage: lsp_client.py --root DIR --file FILE -- SERVER [ARGS...]")
    cut = argv.index("--")
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--stderr", help="file for the server's log")
    args = ap.parse_args(argv[:cut])
    cmd = argv[cut + 1:]

    root = os.path.abspath(args.root)
    path = os.path.abspath(args.file)
    uri = "file://" + path
    deadline = time.monotonic() + args.timeout
    log = open(args.stderr, "w") if args.stderr else subprocess.DEVNULL
    server = Server(cmd, root, log)
    try:
        init = server.send("initialize", {
            "processId": os.getpid(),
            "rootUri": "file://" + root,
            "capabilities": {"textDocument": {"publishDiagnostics": {"relatedInformation": False}}},
        }, request=True)
        while server.receive(deadline).get("id") != init:
            pass
        server.send("initialized", {})
        language = "cpp" if path.endswith((".cpp", ".cc", ".cxx")) else "c"
        with open(path) as f:
            text = f.read()
        server.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}})
        while True:
            msg = server.receive(deadline)
            if msg.get("method") == "textDocument/publishDiagnostics" and \
                    msg["params"]["uri"] == uri:
                diagnostics = msg["params"]["diagnostics"]
                break
        for d in diagnostics:
            start = d["range"]["start"]
            print("DIAG %d:%d %s %s %s %s" % (
                start["line"], start["character"], d.get("severity", "-"),
                d.get("source", "-"), d.get("code", "-"),
                d["message"].splitlines()[0]))
        if not diagnostics:
            print("NO-DIAGNOSTICS")
        shutdown = server.send("shutdown", None, request=True)
        while server.receive(deadline).get("id") != shutdown:
            pass
        server.send("exit", None)
        server.p.wait(timeout=max(1, deadline - time.monotonic()))
    except (TimeoutError, EOFError) as e:
        server.p.kill()
        sys.exit("lsp_client.py: %s" % e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
