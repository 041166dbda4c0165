#!/usr/bin/env python3
"""An OAuth 2.0 token endpoint for tests (RFC 6749 §4.4, client credentials), on the standard library only.

Listens on 127.0.0.1:PORT (0: any free port) and, once listening, writes the port to DIR/ready. A POST with
grant_type=client_credentials and the client authenticated by HTTP Basic (RFC 6749 §2.3.1) as
--client-id/--client-secret gets the next of --tokens (the last one repeats) with --expires-in; the number
of tokens issued so far is kept in DIR/issued. A wrong client is 401 invalid_client, another grant 400
unsupported_grant_type.
"""
import argparse
import base64
import json
import os
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer


def write_atomically(path, data):
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--expires-in", type=int, default=3600)
    parser.add_argument("--tokens", nargs="+", required=True)
    args = parser.parse_args()
    issued = [0]
    quote = lambda s: urllib.parse.quote(s, safe="")
    expected = "Basic " + base64.b64encode(
        (quote(args.client_id) + ":" + quote(args.client_secret)).encode()).decode()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            form = urllib.parse.parse_qs(self.rfile.read(length).decode())
            if form.get("grant_type") != ["client_credentials"]:
                return self.answer(400, {"error": "unsupported_grant_type"})
            if self.headers.get("Authorization") != expected:
                return self.answer(401, {"error": "invalid_client"})
            token = args.tokens[min(issued[0], len(args.tokens) - 1)]
            issued[0] += 1
            write_atomically(os.path.join(args.dir, "issued"), str(issued[0]).encode())
            self.answer(200, {"access_token": token, "token_type": "Bearer", "expires_in": args.expires_in})

        def answer(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format, *values):
            pass

    server = HTTPServer(("127.0.0.1", args.port), Handler)
    write_atomically(os.path.join(args.dir, "ready"), str(server.server_address[1]).encode())
    server.serve_forever()


if __name__ == "__main__":
    main()
