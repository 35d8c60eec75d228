"""
Small helpers that know nothing of the diary: they import nothing from `diary`, so any layer
may use them.

- clock: wall-clock times <-> aware instants (daylight-saving gaps and overlaps refused), a
  person's "today", ISO weeks;
- dateranges: the one "dated within [first, last]" filter;
- once: saving once when a form is sent twice at once;
- deferred: work run after the response has gone out;
- sessions: ending a user's sessions on every device;
- throttle: the client address behind our proxies, rate limits;
- cache: the database cache with an atomic incr;
- database: the SQLite file readable by its owner only;
- form_wording: our own wording for Django's form errors;
- http: the authenticated request type, htmx partial requests, safe `next` URLs;
- qr: QR codes as SVG;
- typst_compile: what a PDF renderer process runs (no Django in it; see diary/report/renderers.py);
- memory: handing freed memory back to the system after a big piece of work.
"""
