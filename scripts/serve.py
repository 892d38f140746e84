#!/usr/bin/env python3
"""serve.py: a tiny static file server on the loopback interface, for wasmlab's pages.

Usage: python3 scripts/serve.py [--port N] [--quiet] [DIR]

Serves DIR (default: build/examples/hello) at http://127.0.0.1:PORT/ and
prints that URL as its first line of stdout. --port 0 (the default) lets the
system pick a free port. It binds 127.0.0.1 only, never another interface.
.wasm is served as application/wasm (WebAssembly.instantiateStreaming
refuses any other type) and .mjs/.js as text/javascript (module scripts
need a JavaScript type). Responses carry Cache-Control: no-store, so a
rebuilt module is never served stale.

Exit status: 0 on Ctrl-C or SIGTERM, 2 for a usage error (bad DIR, port in use).
"""
import argparse
import functools
import http.server
import os
import signal
import sys

HOST = "127.0.0.1"
TYPES = {
    ".wasm": "application/wasm",
    ".mjs": "text/javascript",
    ".js": "text/javascript",
    ".html": "text/html",
    ".css": "text/css",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
}


class Handler(http.server.SimpleHTTPRequestHandler):
    # One fixed table rather than the platform's mime.types, which may lack .wasm.
    extensions_map = {"": "application/octet-stream", **TYPES}

    def __init__(self, *args, quiet=False, **kwargs):
        self.quiet = quiet
        super().__init__(*args, **kwargs)

    def guess_type(self, path):
        return TYPES.get(os.path.splitext(path)[1].lower(), "application/octet-stream")

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format, *args):  # noqa: A002 (the base class's name)
        if not self.quiet:
            sys.stderr.write("serve: %s\n" % (format % args))


def stop(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description="Serve a directory on http://127.0.0.1:PORT/.")
    ap.add_argument("dir", nargs="?", default=os.path.join(root, "build", "examples", "hello"),
                    help="directory to serve (default: build/examples/hello)")
    ap.add_argument("--port", type=int, default=0, help="port; 0 (default) picks a free one")
    ap.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    args = ap.parse_args(argv)
    if not os.path.isdir(args.dir):
        sys.stderr.write("serve: %s: not a directory (run `make examples` first?)\n" % args.dir)
        return 2
    if not 0 <= args.port <= 65535:
        sys.stderr.write("serve: bad port %d\n" % args.port)
        return 2
    handler = functools.partial(Handler, directory=os.path.abspath(args.dir), quiet=args.quiet)
    try:
        httpd = http.server.ThreadingHTTPServer((HOST, args.port), handler)
    except OSError as e:
        sys.stderr.write("serve: cannot listen on %s:%d: %s\n" % (HOST, args.port, e.strerror))
        return 2
    httpd.daemon_threads = True
    signal.signal(signal.SIGTERM, stop)
    try:
        print("http://%s:%d/" % (HOST, httpd.server_address[1]), flush=True)
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
