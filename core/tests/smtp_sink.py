"""A real SMTP server for tests, in a thread: it keeps what it receives, answers what a test
tells it to, and can fall silent at a chosen point of the conversation (to kill the sender
there).

    with SmtpSink() as sink:
        settings.EMAIL_PORT = sink.port  # with smtp_delivery(settings, sink)
        ...
        sink.messages  # email.message.Message objects, in the order received
"""

import email
import socketserver
import threading

# Where the sink can fall silent: before its greeting (the sender has connected, nothing is
# sent yet), after a message's data (the server has it, the sender has no answer), or at QUIT
# (the server accepted the message; the sender has not closed the connection yet).
SILENT_AT = ("greeting", "data", "quit")


class SmtpSink:
    def __init__(self):
        self.messages: list[email.message.Message] = []
        self.silent_at: str | None = None
        self.rcpt_reply = "250 OK"
        self.data_reply = "250 OK queued"
        self.fallen_silent = threading.Event()
        self._stop = threading.Event()
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Conversation)
        self._server.daemon_threads = True
        self._server.sink = self
        self.port = self._server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]

    def fall_silent(self, point: str) -> bool:
        """Hang here when told to, until the test ends; whether it did."""
        if self.silent_at != point:
            return False
        self.fallen_silent.set()
        self._stop.wait()
        return True


class _Conversation(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        sink = self.server.sink
        if sink.fall_silent("greeting"):
            return
        self.reply("220 sink ESMTP")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif verb == b"RCPT":
                self.reply(sink.rcpt_reply)
            elif verb == b"DATA":
                self.reply("354 go ahead")
                sink.messages.append(email.message_from_bytes(self._data()))
                if sink.fall_silent("data"):
                    return
                self.reply(sink.data_reply)
            elif verb == b"QUIT":
                if sink.fall_silent("quit"):
                    return
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RSET, NOOP
                self.reply("250 OK")

    def _data(self) -> bytes:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line[1:] if line.startswith(b"..") else line)
        return b"".join(lines)


def smtp_delivery(settings, sink: SmtpSink) -> None:
    """Deliver mail by SMTP to `sink` (`settings`: pytest-django's fixture)."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = sink.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 10


def message_fields(**overrides) -> dict:
    """What an OutgoingEmail keeps of a message (its `message`), with `overrides`."""
    return {
        "subject": "Subject",
        "body": "Body",
        "from_email": "hub@example.org",
        "to": ["a@example.org"],
        "cc": [],
        "bcc": [],
        "reply_to": [],
        "headers": {},
        "alternatives": [],
        "attachments": [],
    } | overrides
