"""A small ORUK feed served from 127.0.0.1 for tests (never the outside network).

``FeedServer`` runs ``http.server`` in a thread. Each path answers what the test
put in ``routes``: JSON (with an ETag, honouring If-None-Match with a 304), raw
bytes, a status code, or a delay. ``requests`` records what was asked for.
"""

import contextlib
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class Route:
    def __init__(self, body=b"", *, status=200, delay=0, content_type="application/json"):
        if not isinstance(body, bytes):
            body = json.dumps(body).encode()
        self.body = body
        self.status = status
        self.delay = delay
        self.content_type = content_type

    @property
    def etag(self):
        return '"' + hashlib.sha256(self.body).hexdigest()[:16] + '"'


class FeedServer:
    def __init__(self):
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                key = parts.path + (f"?{parts.query}" if parts.query else "")
                route = server.routes.get(key) or server.routes.get(parts.path)
                server.requests.append((key, self.headers.get("If-None-Match")))
                if route is None:
                    self.send_response(404)
                    self.end_headers()
                    return
                if route.delay:
                    time.sleep(route.delay)
                if route.status == 200 and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.status == 200:
                    self.send_header("ETag", route.etag)
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def url(self, path):
        return self.base + path

    def serve_pages(self, path, services, *, per_page):
        """Serve ``services`` as an ORUK paginated list at ``path`` (?page=N)."""
        pages = [services[i : i + per_page] for i in range(0, len(services), per_page)] or [[]]
        for number, contents in enumerate(pages, start=1):
            document = {
                "total_items": len(services),
                "total_pages": len(pages),
                "page_number": number,
                "size": per_page,
                "first_page": number == 1,
                "last_page": number == len(pages),
                "empty": not contents,
                "contents": contents,
            }
            key = path if number == 1 else f"{path}?page={number}"
            self.routes[key] = Route(document)
        return self.url(path)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
