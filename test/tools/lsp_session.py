#!/usr/bin/env python3
"""Writes a clangd -lit-test session that opens one C or C++ file.

    lsp_session.py SOURCE [--uri-path PATH] [--framed] > session.jsonrpc

clangd's -lit-test mode reads JSON-RPC messages separated by lines of
'---' (it computes the Content-Length headers itself); --framed writes
them as an editor does, each with its Content-Length header. The session:
initialize (with a client that understands relatedInformation, as VS Code,
Neovim and Emacs do), didOpen of SOURCE with its text, shutdown, exit.
clangd answers the didOpen with textDocument/publishDiagnostics.
"""
import argparse
import json
import pathlib
import sys


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("source")
    ap.add_argument("--uri-path", help="the path the document claims (default: SOURCE)")
    ap.add_argument("--framed", action="store_true",
                    help="Content-Length framing, as an editor sends it")
    args = ap.parse_args()
    source = pathlib.Path(args.source).resolve()
    uri_path = pathlib.Path(args.uri_path).resolve() if args.uri_path else source
    language = "c" if source.suffix == ".c" else "cpp"
    messages = [
        {"jsonrpc": "2.0", "id": 0, "method": "initialize",
         "params": {"processId": None, "rootUri": uri_path.parent.as_uri(),
                    "capabilities": {"textDocument": {"publishDiagnostics": {
                        "relatedInformation": True, "codeDescriptionSupport": True}}},
                    "trace": "off"}},
        {"jsonrpc": "2.0", "method": "initialized", "params": {}},
        {"jsonrpc": "2.0", "method": "textDocument/didOpen",
         "params": {"textDocument": {"uri": uri_path.as_uri(), "languageId": language,
                                     "version": 1, "text": source.read_text()}}},
        {"jsonrpc": "2.0", "id": 1, "method": "shutdown"},
        {"jsonrpc": "2.0", "method": "exit"},
    ]
    if args.framed:
        out = sys.stdout.buffer
        for m in messages:
            body = json.dumps(m).encode()
            out.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    else:
        sys.stdout.write("\n---\n".join(json.dumps(m) for m in messages) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
