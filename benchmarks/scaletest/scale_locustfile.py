"""Load for ``make scaletest``: the load test's workers and supervisors (every
main page, through nginx) plus writers who log sessions, so lost writes can be
counted: each session's text carries a marker, and every marker the app
acknowledged (answered the POST with a redirect to the saved session) is
appended to ``$SCALETEST_OUT/acked.txt``. Every fifth form is sent twice with
the same submission token (a double click; nginx sends the two to different
instances): it must still make one session.
"""

import datetime
import os
import re
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from locust import task

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "loadtest"))

from locustfile import WORKERS, LoopOverPages, Supervisor, Worker  # noqa: E402, F401

HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
SELECT = re.compile(r'<select name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"( selected)?')
RUN = os.environ.get("SCALETEST_RUN", "run")
ACKED = Path(os.environ.get("SCALETEST_OUT", "."), "acked.txt")
DOUBLE = Path(os.environ.get("SCALETEST_OUT", "."), "double.txt")


class Writer(LoopOverPages):
    """Logs a session for one of their people, over and over."""

    weight = 1
    accounts = WORKERS
    own_page = "/board/"
    counter = 0

    @task
    def loop(self):
        person = self.people[0] if self.people else self.pick_person()
        if not person:
            return
        url = f"/people/{person}/sessions/new/"
        form = self.client.get(url, name="session form")
        if form.status_code != 200:
            return
        data = dict(HIDDEN.findall(form.text))
        for name, options in SELECT.findall(form.text):
            values = OPTION.findall(options)
            chosen = [value for value, selected in values if selected] or [v for v, _ in values]
            if chosen:
                data[name] = chosen[0]
        Writer.counter += 1
        marker = f"scaletest-{RUN}-{self.username}-{Writer.counter}-{uuid.uuid4().hex[:8]}"
        data.update(
            date=datetime.date.today().isoformat(),
            duration_minutes="30",
            kind="phone",
            what_we_did=marker,
        )
        data.pop("resources_used", None)
        twice = Writer.counter % 5 == 0
        for _attempt in range(2 if twice else 1):
            with self.client.post(
                url,
                data=data,
                headers={"Referer": f"{self.host}{url}"},
                name="log a session",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                saved = (
                    response.status_code == 302
                    and "/sessions/" in urlsplit(response.headers.get("Location", "")).path
                    and not response.headers.get("Location", "").endswith("/new/")
                )
                if saved:
                    with ACKED.open("a", encoding="utf-8") as handle:
                        handle.write(marker + "\n")
                else:
                    response.failure(f"session not saved: {response.status_code}")
        if twice:
            with DOUBLE.open("a", encoding="utf-8") as handle:
                handle.write(marker + "\n")
        self.wait()
