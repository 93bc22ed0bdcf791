"""A test SMTP server for Loam's SMTP client: AUTH PLAIN/LOGIN behind TLS, mail into a Maildir.

Started by scripts/smtp.sh, never in production. Two modes:
  --mode starttls  plain TCP that offers STARTTLS and refuses everything but EHLO/NOOP/QUIT before it (530),
                   and AUTH before TLS (538 from aiosmtpd's auth_require_tls);
  --mode implicit  TLS from the first byte (smtps).
Either way MAIL FROM before AUTH gets 530 and a wrong password 535. Recipients at reject.invalid get 550 and
at tempfail.invalid 451 (slow.invalid is accepted after a pause), so tests can check how the client classifies permanent and transient refusals.

The password comes from the environment (LOAM_SMTP_PASSWORD), not argv, so `ps` does not show it.
Mail is stored byte for byte as received (after SMTP dot-unstuffing), with X-Peer, X-MailFrom, X-RcptTo and
X-Loam-Auth (the mechanism the client used) prepended, like aiosmtpd's Mailbox handler adds its headers.
"""

import argparse
import asyncio
import mailbox
import os
import signal
import ssl
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

REJECT_DOMAIN = "@reject.invalid"
TEMPFAIL_DOMAIN = "@tempfail.invalid"
# Recipients at slow.invalid are accepted after a pause, so a test can kill a worker mid-delivery.
SLOW_DOMAIN = "@slow.invalid"
SLOW_SECONDS = 4


class MaildirHandler:
    def __init__(self, maildir: str):
        self.mailbox = mailbox.Maildir(maildir, create=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        lowered = address.lower()
        if lowered.endswith(REJECT_DOMAIN):
            return "550 5.1.1 Mailbox unavailable"
        if lowered.endswith(TEMPFAIL_DOMAIN):
            return "451 4.3.0 Try again later"
        if lowered.endswith(SLOW_DOMAIN):
            await asyncio.sleep(SLOW_SECONDS)
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        headers = [
            f"X-Peer: {session.peer}",
            f"X-MailFrom: {envelope.mail_from}",
            f"X-RcptTo: {', '.join(envelope.rcpt_tos)}",
            f"X-Loam-Auth: {getattr(session, 'loam_mechanism', 'none')}",
            f"X-Loam-Mail-Options: {' '.join(envelope.mail_options)}",
        ]
        prefix = "".join(h + "\r\n" for h in headers).encode("utf-8")
        # Maildir.add keeps bytes as they are (it only rewrites "\n" into os.linesep, which is "\n" here).
        self.mailbox.add(prefix + raw)
        return "250 OK"


def make_authenticator(username: bytes, password: bytes):
    def authenticator(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login == username and auth_data.password == password:
            session.loam_mechanism = mechanism
            return AuthResult(success=True)
        return AuthResult(success=False, handled=False)

    return authenticator


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", required=True)
    parser.add_argument("--cert", required=True, help="server certificate chain (PEM)")
    parser.add_argument("--key", required=True, help="server private key (PEM)")
    parser.add_argument("--mode", choices=["starttls", "implicit"], default="starttls")
    parser.add_argument("--username", default="loam")
    args = parser.parse_args()

    password = os.environ.get("LOAM_SMTP_PASSWORD")
    if not password:
        print("smtp_server.py: set LOAM_SMTP_PASSWORD", file=sys.stderr)
        return 2

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)

    handler = MaildirHandler(args.maildir)
    authenticator = make_authenticator(args.username.encode("utf-8"), password.encode("utf-8"))
    common = dict(
        hostname=args.host,
        port=args.port,
        server_hostname="loam-test-smtp",
        authenticator=authenticator,
        auth_required=True,
        enable_SMTPUTF8=True,
    )
    if args.mode == "starttls":
        controller = Controller(
            handler, tls_context=context, require_starttls=True, auth_require_tls=True, **common
        )
    else:
        # aiosmtpd only counts STARTTLS as "TLS" for auth_require_tls; with implicit TLS every byte is already
        # encrypted, so the check is off and aiosmtpd's warning about it is noise.
        warnings.simplefilter("ignore")
        controller = Controller(handler, ssl_context=context, auth_require_tls=False, **common)

    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    controller.start()
    print(f"smtp_server.py: {args.mode} on {args.host}:{args.port}", flush=True)
    stopped.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
