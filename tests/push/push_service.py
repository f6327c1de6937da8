"""A local Web Push service for the integration tests (RFC 8030, 8291, 8292).

It checks every push on its own, with http_ece and cryptography rather than
the app's Rust code, so that a push with a wrong encryption or VAPID
signature cannot pass.

Usage: push_service.py [--port PORT] [--exit-on-stdin-eof]

Binds 127.0.0.1 (PORT 0, the default, picks a free one), prints one line
`Serving http://127.0.0.1:PORT` once it listens, and serves until it is
killed (SIGTERM and SIGINT end it cleanly); with --exit-on-stdin-eof it also
ends when its standard input closes, so that a test that holds the other end
of a pipe never leaves it behind.

HTTP, all bodies JSON (an error is {"error": "..."}):

  POST /subscriptions {"application_server_key": B64URL 65-byte P-256 point}
      201 {"endpoint": "http://127.0.0.1:PORT/push/ID", "expirationTime": null,
           "keys": {"p256dh": B64URL 65 bytes, "auth": B64URL 16 bytes}}
      A fresh key pair and auth secret per subscription.
  POST /push/ID          a push message (RFC 8030 §5), see check_push()
      201 with Location  delivered, recorded in the messages
      400                a check failed, the reason recorded in the errors
      404                no such subscription
      410                the subscription is gone (a scripted 404 or 410 made it so)
      413                body over 4096 octets (RFC 8291 §4), recorded in the errors
      or a scripted answer (POST /behaviour)
  POST /behaviour {"endpoint": ENDPOINT, "answers": [{"status": 410, "delay_ms": 0}, ...]}
      200 {"endpoint": ENDPOINT, "queued": N}; 404 for an unknown endpoint.
      Appends answers to that subscription's queue: each push to it pops one,
      is checked in full all the same, waits delay_ms, and is answered with
      the scripted status (400 instead if a check failed). Only a 2xx one is
      recorded as delivered. A scripted 404 or 410 leaves the subscription
      gone: every later push to it is answered 410 unchecked.
  GET /messages   200 {"messages": [...], "errors": [...], "attempts": N}
      attempts counts every POST /push/... received, whatever it was answered.
  DELETE /messages  200 {"cleared": true}: empties messages, errors, attempts.
  Anything else   404.

A message: {"endpoint", "subscription_id", "payload" (the plaintext parsed as
JSON, or the text when it is not JSON), "ttl" (int), "urgency" (or null),
"topic" (or null), "received_at" (epoch seconds, float)}.
"""

import argparse
import base64
import binascii
import json
import re
import secrets
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

HOST = "127.0.0.1"
# RFC 8291 §4: a push service need not accept a payload body over 4096 octets.
MAX_PUSH_BODY = 4096
# Larger request bodies are refused before they are read in full.
MAX_REQUEST_BODY = 1 << 20
MAX_JWT_LIFETIME = 24 * 60 * 60
URGENCIES = ("very-low", "low", "normal", "high")
# RFC 8030 §5.4: at most 32 characters of the base64url alphabet.
TOPIC = re.compile(r"[A-Za-z0-9_-]{1,32}")
TOKEN_CHARS = re.compile(r"[A-Za-z0-9_-]+")


class Refused(Exception):
    """A push failed a check: answered with `status`, recorded as an error."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def b64url_decode(text, what):
    if not isinstance(text, str) or not TOKEN_CHARS.fullmatch(text.rstrip("=")):
        raise Refused(f"{what} is not base64url: {text!r:.80}")
    stripped = text.rstrip("=")
    try:
        return base64.urlsafe_b64decode(stripped + "=" * (-len(stripped) % 4))
    except (binascii.Error, ValueError) as error:
        raise Refused(f"{what} is not base64url: {error}") from None


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def p256_point(raw, what):
    if len(raw) != 65 or raw[0] != 4:
        raise Refused(f"{what} is not an uncompressed P-256 point (65 octets starting 0x04): {len(raw)} octets")
    try:
        return ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as error:
        raise Refused(f"{what} is not a point on P-256: {error}") from None


class Subscription:
    def __init__(self, sub_id, endpoint, application_server_key):
        self.id = sub_id
        self.endpoint = endpoint
        self.application_server_key = application_server_key  # raw 65 octets
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.p256dh = self.private_key.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
        self.auth = secrets.token_bytes(16)
        self.answers = []  # scripted (status, delay_ms), oldest first
        self.gone = False


class State:
    def __init__(self):
        self.lock = threading.Lock()
        self.origin = None  # http://127.0.0.1:PORT, set once bound
        self.subscriptions = {}
        self.messages = []
        self.errors = []
        self.attempts = 0


STATE = State()


def parse_authorization(header):
    """`vapid t=JWT, k=KEY` (RFC 8292 §3) into (jwt, key)."""
    if header is None:
        raise Refused("no Authorization header")
    scheme, _, rest = header.strip().partition(" ")
    if scheme.lower() != "vapid":
        raise Refused(f"Authorization scheme is {scheme!r}, not 'vapid'")
    params = {}
    for part in rest.split(","):
        name, eq, value = part.strip().partition("=")
        name = name.strip().lower()
        if not eq or not name:
            raise Refused(f"Authorization parameter {part.strip()!r} is not name=value")
        if name in params:
            raise Refused(f"Authorization parameter {name!r} appears twice")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        params[name] = value
    for name in ("t", "k"):
        if not params.get(name):
            raise Refused(f"Authorization has no {name}= parameter")
    return params["t"], params["k"]


def check_vapid(header, subscription, origin):
    token, key_text = parse_authorization(header)
    key_raw = b64url_decode(key_text, "VAPID k")
    if key_raw != subscription.application_server_key:
        raise Refused(
            f"VAPID k {key_text!r} is not the subscription's application server key "
            f"{b64url(subscription.application_server_key)!r}"
        )
    public_key = p256_point(key_raw, "VAPID k")
    parts = token.split(".")
    if len(parts) != 3:
        raise Refused(f"VAPID t is not a JWS compact serialization of 3 parts: {len(parts)} parts")
    try:
        header_json = json.loads(b64url_decode(parts[0], "JWT header"))
        claims = json.loads(b64url_decode(parts[1], "JWT claims"))
    except (ValueError, UnicodeDecodeError) as error:
        raise Refused(f"JWT header or claims are not JSON: {error}") from None
    if not isinstance(header_json, dict) or not isinstance(claims, dict):
        raise Refused("JWT header or claims are not JSON objects")
    if header_json.get("alg") != "ES256":
        raise Refused(f"JWT alg is {header_json.get('alg')!r}, not 'ES256'")
    if "typ" in header_json and header_json["typ"] != "JWT":
        raise Refused(f"JWT typ is {header_json['typ']!r}, not 'JWT'")
    signature = b64url_decode(parts[2], "JWT signature")
    if len(signature) != 64:
        raise Refused(f"JWT signature is {len(signature)} octets, not the 64 of ES256's r||s")
    der = encode_dss_signature(int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big"))
    try:
        public_key.verify(der, f"{parts[0]}.{parts[1]}".encode("ascii"), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        raise Refused("JWT signature does not verify with VAPID k (ES256)") from None
    if claims.get("aud") != origin:
        raise Refused(f"JWT aud is {claims.get('aud')!r}, not the endpoint's origin {origin!r}")
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        raise Refused(f"JWT exp is {exp!r}, not a NumericDate")
    now = time.time()
    if exp <= now:
        raise Refused(f"JWT exp {exp} is not in the future (now {now:.0f})")
    if exp > now + MAX_JWT_LIFETIME:
        raise Refused(f"JWT exp {exp} is more than 24 h ahead (now {now:.0f})")
    sub = claims.get("sub")
    if not isinstance(sub, str) or not (sub.startswith("mailto:") or sub.startswith("https://")):
        raise Refused(f"JWT sub is {sub!r}, not a mailto: or https: URI")


def check_push(headers, body, subscription, origin):
    """Every check of one push; returns the message to record or raises Refused."""
    encoding = headers.get("Content-Encoding")
    if encoding is None or encoding.strip().lower() != "aes128gcm":
        raise Refused(f"Content-Encoding is {encoding!r}, not 'aes128gcm'")
    ttl_text = headers.get("TTL")
    if ttl_text is None:
        raise Refused("no TTL header")
    if not re.fullmatch(r"[0-9]+", ttl_text.strip()):
        raise Refused(f"TTL {ttl_text!r} is not a non-negative integer")
    ttl = int(ttl_text.strip())
    urgency = headers.get("Urgency")
    if urgency is not None and urgency.strip() not in URGENCIES:
        raise Refused(f"Urgency {urgency!r} is none of {', '.join(URGENCIES)}")
    topic = headers.get("Topic")
    if topic is not None and not TOPIC.fullmatch(topic.strip()):
        raise Refused(f"Topic {topic!r} is not 1-32 characters of the base64url alphabet")
    check_vapid(headers.get("Authorization"), subscription, origin)
    if len(body) > MAX_PUSH_BODY:
        raise Refused(f"body is {len(body)} octets, over the {MAX_PUSH_BODY} a push service must take", 413)
    # RFC 8291 §4: salt(16) rs(4) idlen(1) keyid = the sender's 65-octet point, one record.
    if len(body) < 21 + 65 + 17:
        raise Refused(f"body of {len(body)} octets is too short for an aes128gcm header and one record")
    rs = int.from_bytes(body[16:20], "big")
    if body[20] != 65:
        raise Refused(f"aes128gcm keyid is {body[20]} octets, not the sender's 65-octet P-256 point")
    p256_point(body[21:86], "aes128gcm keyid (the application server's ephemeral key)")
    if len(body) - 86 > rs:
        raise Refused(f"ciphertext of {len(body) - 86} octets is more than one record of rs={rs}")
    try:
        plaintext = http_ece.decrypt(
            body, private_key=subscription.private_key, auth_secret=subscription.auth, version="aes128gcm"
        )
    except Exception as error:  # http_ece raises ECEException, ValueError and others
        message = getattr(error, "message", None) or str(error) or type(error).__name__
        raise Refused(f"aes128gcm decryption failed: {message}") from None
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(f"decrypted payload is not UTF-8: {plaintext[:40]!r}") from None
    try:
        payload = json.loads(text)
    except ValueError:
        payload = text
    return {
        "endpoint": subscription.endpoint,
        "subscription_id": subscription.id,
        "payload": payload,
        "ttl": ttl,
        "urgency": urgency.strip() if urgency is not None else None,
        "topic": topic.strip() if topic is not None else None,
        "received_at": time.time(),
    }


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "TaskspinTestPush/1"

    def log_message(self, format, *args):
        sys.stderr.write(f"push_service: {self.address_string()} {format % args}\n")

    def answer(self, status, document=None, headers=()):
        body = b"" if document is None else json.dumps(document).encode("utf-8")
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        if document is not None:
            self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def read_body(self):
        """The request body (Content-Length or chunked); None once answered."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks, total = [], 0
            while True:
                line = self.rfile.readline(1024)
                try:
                    size = int(line.split(b";")[0].strip(), 16)
                except ValueError:
                    self.close_connection = True
                    self.answer(400, {"error": "bad chunked encoding"})
                    return None
                if size == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                total += size
                if total > MAX_REQUEST_BODY:
                    self.close_connection = True
                    self.answer(413, {"error": "body too large"})
                    return None
                chunks.append(self.rfile.read(size))
                self.rfile.readline(1024)
        length_text = self.headers.get("Content-Length", "0")
        try:
            length = int(length_text)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self.answer(400, {"error": f"bad Content-Length {length_text!r}"})
            return None
        if length > MAX_REQUEST_BODY:
            self.close_connection = True
            self.answer(413, {"error": "body too large"})
            return None
        return self.rfile.read(length)

    def read_json(self):
        body = self.read_body()
        if body is None:
            return None
        try:
            document = json.loads(body)
        except ValueError as error:
            self.answer(400, {"error": f"body is not JSON: {error}"})
            return None
        if not isinstance(document, dict):
            self.answer(400, {"error": "body is not a JSON object"})
            return None
        return document

    def dispatch(self):
        path = self.path.split("?", 1)[0]
        try:
            if self.command == "POST" and path == "/subscriptions":
                return self.subscribe()
            if self.command == "POST" and path.startswith("/push/"):
                return self.push(path[len("/push/"):])
            if self.command == "POST" and path == "/behaviour":
                return self.behaviour()
            if path == "/messages" and self.command in ("GET", "HEAD"):
                self.read_body()
                with STATE.lock:
                    document = {"messages": list(STATE.messages), "errors": list(STATE.errors), "attempts": STATE.attempts}
                return self.answer(200, document)
            if path == "/messages" and self.command == "DELETE":
                self.read_body()
                with STATE.lock:
                    STATE.messages.clear()
                    STATE.errors.clear()
                    STATE.attempts = 0
                return self.answer(200, {"cleared": True})
            if self.read_body() is not None:
                self.answer(404, {"error": f"no {self.command} {path}"})
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True
        except Exception as error:  # never let one request take the server down
            sys.stderr.write(f"push_service: internal error on {self.command} {path}: {error!r}\n")
            self.close_connection = True
            try:
                self.answer(500, {"error": f"internal error: {error!r}"})
            except OSError:
                pass

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = dispatch

    def subscribe(self):
        document = self.read_json()
        if document is None:
            return
        try:
            key = b64url_decode(document.get("application_server_key"), "application_server_key")
            p256_point(key, "application_server_key")
        except Refused as error:
            return self.answer(400, {"error": str(error)})
        sub_id = secrets.token_urlsafe(16)
        endpoint = f"{STATE.origin}/push/{sub_id}"
        subscription = Subscription(sub_id, endpoint, key)
        with STATE.lock:
            STATE.subscriptions[sub_id] = subscription
        self.answer(
            201,
            {
                "endpoint": endpoint,
                "expirationTime": None,
                "keys": {"p256dh": b64url(subscription.p256dh), "auth": b64url(subscription.auth)},
            },
        )

    def behaviour(self):
        document = self.read_json()
        if document is None:
            return
        endpoint, answers = document.get("endpoint"), document.get("answers")
        if not isinstance(answers, list):
            return self.answer(400, {"error": "answers is not a list"})
        queued = []
        for item in answers:
            status = item.get("status") if isinstance(item, dict) else None
            delay = item.get("delay_ms", 0) if isinstance(item, dict) else None
            if isinstance(status, bool) or not isinstance(status, int) or not 200 <= status <= 599:
                return self.answer(400, {"error": f"answer {item!r}: status is not an int in 200..599"})
            if isinstance(delay, bool) or not isinstance(delay, (int, float)) or delay < 0:
                return self.answer(400, {"error": f"answer {item!r}: delay_ms is not a non-negative number"})
            queued.append((status, delay))
        with STATE.lock:
            subscription = next((s for s in STATE.subscriptions.values() if s.endpoint == endpoint), None)
            if subscription is None:
                return self.answer(404, {"error": f"no subscription with endpoint {endpoint!r}"})
            subscription.answers.extend(queued)
            count = len(subscription.answers)
        self.answer(200, {"endpoint": endpoint, "queued": count})

    def push(self, sub_id):
        body = self.read_body()
        with STATE.lock:
            STATE.attempts += 1
            subscription = STATE.subscriptions.get(sub_id)
            gone = subscription is not None and subscription.gone
            scripted = subscription.answers.pop(0) if subscription is not None and not gone and subscription.answers else None
        if body is None:
            return
        if subscription is None:
            return self.answer(404, {"error": f"no subscription {sub_id!r}"})
        if gone:
            return self.answer(410, {"error": "subscription is gone"})
        where = f"POST /push/{sub_id}"
        try:
            message = check_push(self.headers, body, subscription, STATE.origin)
            failure = None
        except Refused as error:
            message, failure = None, error
        if scripted is not None and scripted[1]:
            # Not time.sleep: under libfaketime (make test-shifted-clock) its
            # clock_nanosleep fails with EINVAL; a condition wait does not.
            threading.Event().wait(scripted[1] / 1000)
        if failure is not None:
            with STATE.lock:
                STATE.errors.append(f"{where}: {failure}")
            sys.stderr.write(f"push_service: refused {where}: {failure}\n")
            return self.answer(failure.status, {"error": str(failure)})
        status = scripted[0] if scripted is not None else 201
        with STATE.lock:
            if 200 <= status < 300:
                STATE.messages.append(message)
            if status in (404, 410):
                subscription.gone = True
        if status == 201:
            return self.answer(201, None, [("Location", f"{STATE.origin}/message/{secrets.token_urlsafe(12)}")])
        if 200 <= status < 300:
            return self.answer(status)
        return self.answer(status, {"error": f"scripted answer {status}"})


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    parser = argparse.ArgumentParser(description="A local Web Push service for the integration tests.")
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1; 0 (default) picks a free one")
    parser.add_argument(
        "--exit-on-stdin-eof", action="store_true", help="also stop when standard input reaches its end"
    )
    args = parser.parse_args()
    server = Server((HOST, args.port), Handler)
    STATE.origin = f"http://{HOST}:{server.server_address[1]}"

    def stop(*_):
        # shutdown() waits for serve_forever(), so not from its own thread.
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    if args.exit_on_stdin_eof:

        def watch():
            while sys.stdin.buffer.read(4096):
                pass
            stop()

        threading.Thread(target=watch, daemon=True).start()
    print(f"Serving {STATE.origin}", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
