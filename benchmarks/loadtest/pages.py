"""The pages of the load test, named the same way in locust's statistics and in
the server's access log: :func:`page_name` names a request from its path and
query string."""

import re

FLOOR = "floor (home)"
SIGN_IN = "sign in"
PERSON = r"/people/[0-9a-f-]{36}/"

# (name, path pattern, with a query string or not (None: either)), in the order
# of the report; the first match names the request.
PAGES = [
    (FLOOR, r"/", None),
    ("caseload list", r"/people/", False),
    ("caseload search", r"/people/", True),
    ("person page", PERSON, None),
    ("sessions", PERSON + "sessions/", None),
    ("network map", PERSON + "network/", None),
    ("goals", PERSON + "goals/", None),
    ("journey", PERSON + "journey/", None),
    ("board", r"/board/", None),
    ("dashboard", r"/dashboard/", None),
    ("toolkit search", r"/toolkit/", None),
    ("directory search", r"/toolkit/directory/", None),
    ("ORUK feed", r"/api/oruk/services", None),
    (SIGN_IN, r"/login/", None),
    (SIGN_IN, r"/account/mfa/authenticate/", None),
]
MAIN_PAGES = list(
    dict.fromkeys(name for name, _path, _query in PAGES if name not in (FLOOR, SIGN_IN))
)
_COMPILED = [(name, re.compile(path + r"\Z"), query) for name, path, query in PAGES]


def page_name(path, query=""):
    """The page a request is for, or "other"."""
    for name, pattern, with_query in _COMPILED:
        if pattern.match(path) and (with_query is None or with_query == bool(query)):
            return name
    return "other"
