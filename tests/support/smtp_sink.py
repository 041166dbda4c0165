#!/usr/bin/env python3
"""A loopback SMTP server for notify_test, on aiosmtpd (Debian: python3-aiosmtpd).

Listens on 127.0.0.1:PORT (0: any free port) and, once listening, writes the port to DIR/ready. Every message
it accepts becomes DIR/msg-N.eml (the DATA bytes after dot-unstuffing) and DIR/msg-N.json (the envelope,
the login used, whether the session ran TLS, and the message as Python's email package parses it), both
complete before the 250 reply to DATA.

Options:
  --auth USER:PASSWORD   require AUTH (PLAIN or LOGIN) with exactly these credentials
  --auth-without-tls     offer AUTH on a plain-text session too
  --tls CERT KEY         offer STARTTLS with this certificate and key (PEM)
  --reject ADDRESS=REPLY answer RCPT TO:<ADDRESS> with REPLY (for example "550 5.1.1 no such user")
Stops on SIGTERM or SIGINT.
"""

import argparse
import asyncio
import email
import email.policy
import email.utils
import json
import os
import signal
import socket
import ssl

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory, rejects):
        self.directory = directory
        self.rejects = rejects
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.rejects:
            return self.rejects[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.directory, "msg-%d" % self.count)
        raw = envelope.original_content or envelope.content
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "login": session.auth_data.login.decode() if session.authenticated else None,
            "tls": session.ssl is not None,
            "helo": session.host_name,
        }
        try:
            msg = email.message_from_bytes(raw, policy=email.policy.default)
            defects = [str(d) for d in msg.defects]
            for name, value in msg.items():
                defects += ["%s: %s" % (name, d) for d in getattr(value, "defects", ())]
            record.update({
                "from": str(msg["From"]),
                "to": str(msg["To"]),
                "subject": str(msg["Subject"]),
                "message_id": str(msg["Message-ID"]),
                "date_epoch": int(email.utils.parsedate_to_datetime(msg["Date"]).timestamp()),
                "content_type": msg.get_content_type(),
                "charset": msg.get_content_charset(),
                "body": msg.get_content(),
                "defects": defects,
            })
        except Exception as e:  # the test reads the reason instead of a missing file
            record["parse_error"] = repr(e)
        write_atomically(base + ".eml", raw)
        write_atomically(base + ".json", json.dumps(record).encode())
        return "250 OK"


def write_atomically(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and \
            auth_data.password.decode() == password
        # handled=False: aiosmtpd itself answers 535 to a failed login.
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)
    return authenticate


async def serve(args):
    rejects = dict(r.split("=", 1) for r in args.reject)
    tls_context = None
    if args.tls:
        tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls_context.load_cert_chain(args.tls[0], args.tls[1])
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)
        options = {"authenticator": make_authenticator(user, password), "auth_required": True,
                   "auth_require_tls": not args.auth_without_tls}
    handler = Sink(args.dir, rejects)
    loop = asyncio.get_running_loop()
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", args.port))
    server = await loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", tls_context=tls_context, loop=loop, **options), sock=sock)
    stop = asyncio.Event()
    for s in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(s, stop.set)
    write_atomically(os.path.join(args.dir, "ready"), str(sock.getsockname()[1]).encode())
    await stop.wait()
    server.close()
    await server.wait_closed()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--auth")
    parser.add_argument("--auth-without-tls", action="store_true")
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--reject", action="append", default=[])
    asyncio.run(serve(parser.parse_args()))


if __name__ == "__main__":
    main()
