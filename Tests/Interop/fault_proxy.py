"""A small fault-injecting HTTP proxy in front of the S3 server: it forwards requests unchanged (Host
included, so SigV4 signatures still verify) or, while a fault is set, answers them itself the way a
struggling S3 does (500 InternalError, 503 SlowDown, 403 AccessDenied for writes)."""
import http.client
import http.server
import threading

FAULTS = {
    "500": (500, "InternalError", "We encountered an internal error. Please try again."),
    "503": (503, "SlowDown", "Please reduce your request rate."),
    "refuse-writes": (403, "AccessDenied", "Access Denied (bucket is read-only)"),
}


class FaultProxy:
    """`fault` is None (pass through), "500", "503", "500/503" (alternating) or "refuse-writes"."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.fault = None
        self.injected = 0
        self.forwarded = 0
        self.lost_statuses = []  # what the server really answered to the conditional PUTs whose answer was lost
        self._lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                answer = proxy._injected_answer(self.command, self.headers)
                if answer is not None:
                    status, code, message = answer
                    payload = (f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{code}</Code>"
                               f"<Message>{message}</Message></Error>").encode()
                    self.send_response(status)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(payload)
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=60)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("connection", "expect")}
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                data = response.read()
                if (proxy.fault == "lose-commit-answers" and self.command == "PUT"
                        and self.headers.get("If-None-Match") == "*"):
                    upstream.close()
                    with proxy._lock:
                        proxy.forwarded += 1
                        proxy.injected += 1
                        proxy.lost_statuses.append(response.status)
                    status, code, message = FAULTS["500"]
                    payload = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>".encode()
                    self.send_response(status)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(response.status, response.reason)
                for key, value in response.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(data)
                upstream.close()
                with proxy._lock:
                    proxy.forwarded += 1

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _injected_answer(self, method: str, headers):
        with self._lock:
            fault = self.fault
            if fault is None or fault == "lose-commit-answers":
                return None
            if fault == "refuse-writes":
                if method in ("GET", "HEAD"):
                    return None
                answer = FAULTS[fault]
            elif fault == "500/503":
                answer = FAULTS["500" if self.injected % 2 == 0 else "503"]
            else:
                answer = FAULTS[fault]
            self.injected += 1
            return answer

    def start(self) -> "FaultProxy":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
