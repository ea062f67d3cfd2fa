#!/usr/bin/env python3
"""Reads a language server's output (stdin) and prints each message.

    pipe-clangd < session | lsp_frames.py

Checks the framing as an editor does: every message is a header with a
Content-Length, a blank line, and exactly that many bytes of JSON. Prints
one message per line (compact JSON, keys sorted) for FileCheck, and exits 1
with the offset of the first malformed frame.
"""
import json
import sys


def main():
    data = sys.stdin.buffer.read()
    at = 0
    while at < len(data):
        end = data.find(b"\r\n\r\n", at)
        if end < 0:
            sys.exit("lsp_frames: offset %d: header without a blank line" % at)
        length = None
        for line in data[at:end].split(b"\r\n"):
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value)
        if length is None:
            sys.exit("lsp_frames: offset %d: no Content-Length" % at)
        body = data[end + 4:end + 4 + length]
        if len(body) != length:
            sys.exit("lsp_frames: offset %d: %d bytes announced, %d left"
                     % (at, length, len(body)))
        try:
            message = json.loads(body)
        except ValueError as e:
            sys.exit("lsp_frames: offset %d: body is not JSON: %s" % (at, e))
        print(json.dumps(message, sort_keys=True))
        at = end + 4 + length
    return 0


if __name__ == "__main__":
    sys.exit(main())
