"""Compressed responses: brotli for browsers that accept it, gzip for the others, none for files already packed.

Why in the application and not only in a reverse proxy: Capacity also runs on its embedded server
(``make run``) and behind gunicorn alone, where nothing else would compress, and a questionnaire
page is 48 KB of HTML (Georgian letters are three bytes each) that brotli sends in about 7 KB.

Why Flask-Compress: a kept library (brotli, gzip, quality values in Accept-Encoding, ``Vary``,
ETags that name the encoding, conditional requests) instead of our own middleware. Its hook is
not registered as it comes (``COMPRESS_REGISTER = False``): ours below decides what goes through
it, because three things it would do are wrong here:

- it leaves every response outside 2xx alone, but this site's error pages (404, 403, a 409 with
  both answers, the login page that carries a form's answers, 401) are full pages;
- it would compress a 206, one byte range of a static file, which is a range of the file as it is,
  not of a compressed copy. File streams are never compressed (``COMPRESS_STREAMS = False``); the
  static view reads a whole file into memory so that it *is* compressed (capacity/caching.py);
- a download (``Content-Disposition: attachment``: evidence files, CSV and print-all ZIPs, XLSX,
  PDFs) is sent byte for byte as stored, whatever its type says: PDFs, ZIPs and XLSX are
  compressed already, and an evidence file that happens to be text stays exactly the file.

Only text types are listed; PDFs, ZIPs, XLSX, images and fonts are not, so nothing else is ever
compressed. zstd and deflate are not offered: every browser that sends zstd also sends br, and
deflate has two incompatible readings.

BREACH: a compressed page's size tells an eavesdropper whether text it made the browser send
(every page repeats its own address, query string included, in the language form) matches a
secret on the same page (the CSRF token, an organisation's answers). The attack needs another
site to make the browser load the page thousands of times. Browsers say where a request comes
from (``Sec-Fetch-Site``), so a page asked for by another site (``cross-site``, or ``same-site``:
another host under the same domain) is sent uncompressed: no size to measure. Requests from
this site's own pages, typed addresses and bookmarks (``same-origin``, ``none``) and clients
that do not send the header are compressed. Static files hold no secret and are always
compressed. README.md, "Compression and caching", has the rest of the reasoning.
"""
from __future__ import annotations

from functools import partial

from flask import Flask, Response, request
from flask_compress import Compress

SETTINGS = {
    "COMPRESS_MIMETYPES": [
        "text/html",
        "application/json",
        "text/css",
        "application/javascript",
        "text/javascript",
        "image/svg+xml",
    ],
    "COMPRESS_ALGORITHM": ["br", "gzip"],  # br first: chosen when the browser accepts both equally
    # Brotli 5: a questionnaire page in about a millisecond, 13% larger than level 11, which takes 100 times longer.
    "COMPRESS_BR_LEVEL": 5,
    "COMPRESS_LEVEL": 6,  # gzip: zlib's own default, the usual balance
    # Under 500 bytes (a short JSON reply, a redirect) the saving is smaller than one network packet.
    "COMPRESS_MIN_SIZE": 500,
    "COMPRESS_STREAMS": False,
}
# Where a request may come from and still get a compressed page (see BREACH above).
COMPRESSED_FROM = frozenset({"same-origin", "none"})


def _compress(compressor: Compress, response: Response) -> Response:
    if response.status_code == 206 or "Content-Range" in response.headers:
        return response  # a byte range of the file as it is
    if response.headers.get("Content-Disposition", "").lower().startswith("attachment"):
        return response  # a download: the file as stored
    static_file = request.endpoint == "static" and response.status_code < 400  # not its 404 page
    if not static_file:
        response.vary.update(("Accept-Encoding", "Sec-Fetch-Site"))
        if request.headers.get("Sec-Fetch-Site", "none") not in COMPRESSED_FROM:
            return response  # asked for by another site: BREACH
    status = response.status_code
    if status < 400 or "ETag" in response.headers or "Last-Modified" in response.headers:
        return compressor.after_request(response)
    # An error page or an error reply in JSON: Flask-Compress compresses 2xx only, so it is shown
    # the response as a 200 and the status is put back. It has no validator (checked above), so its
    # conditional-request step cannot turn it into a 304.
    response.status_code = 200
    try:
        return compressor.after_request(response)
    finally:
        response.status_code = status


def register_compression(app: Flask) -> None:
    """Compress what leaves the application; registered before the other header hooks, so it runs after them."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    app.config["COMPRESS_REGISTER"] = False  # _compress decides which responses go through
    compressor = Compress()
    compressor.init_app(app)
    app.after_request(partial(_compress, compressor))
