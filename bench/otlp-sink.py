#!/usr/bin/env python3
"""A collector that keeps nothing: answers every OTLP/HTTP POST with an empty ExportTraceServiceResponse
(an empty protobuf) and prints, on exit, how many exports and bytes it took. For benchmarks that need
tracing.otlpEndpoint to answer like a collector without measuring one.
  python3 bench/otlp-sink.py PORT"""
import http.server
import signal
import sys

stats = {"posts": 0, "bytes": 0}


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        n = int(self.headers.get("Content-Length", "0"))
        self.rfile.read(n)
        stats["posts"] += 1
        stats["bytes"] += n
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def bye(*_):
    print(f"otlp-sink: {stats['posts']} exports, {stats['bytes']} bytes", flush=True)
    sys.exit(0)


signal.signal(signal.SIGTERM, bye)
http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Sink).serve_forever()
