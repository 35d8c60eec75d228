"""
The PDF renderers (diary/report/renderers.py): Typst runs in spawned processes, never in the
web process; they are started on first use, recycled after a number of documents or once one
has grown too big, replaced when one dies; a renderer that dies or takes too long while making
someone's PDF gives them a calm page with a way to try again, and the next PDF works.

Most tests use a pool of their own and the probes in tests/pdf_renderer_probes.py; the view
tests use the real pool with the real compile function swapped for one that dies.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import threading
import time
from datetime import UTC, datetime

import psutil
import pytest
import time_machine
import typst

from diary import report
from diary.report import pdfs, renderers
from diary.sharing import links
from tests import pdf_renderer_probes as probes
from tests.factories import EpisodeFactory, UserFactory
from tests.test_html_valid import VNU_JAR
from tests.test_pdf import PERIOD, TODAY, at, pages_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool():
    pool = renderers.RendererPool()
    yield pool
    pool.shutdown()


def gone(pid: int, seconds: float = 10) -> bool:
    """Whether process `pid` has ended (waiting up to `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
            return True
        time.sleep(0.05)
    return False


def test_pdf_renderer_is_a_spawned_child_not_a_fork(pool):
    """A fork of a process that has used Typst can hang: the renderer is a fresh interpreter."""
    me = pool.run(probes.whoami)
    assert me["ppid"] == os.getpid()
    assert me["pid"] != os.getpid()
    assert "multiprocessing.spawn" in me["command"]  # a fork would run pytest's command line


def test_pdf_renderer_starts_on_first_use_and_serves_many_threads(pool, settings):
    settings.PDF_RENDERERS = 1
    assert pool._executor is None  # nothing started at import
    with_threads = []

    def ask() -> None:
        with_threads.append(pool.run(probes.whoami)["pid"])

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # Four threads, one renderer (the bound), never more.
    assert len(with_threads) == 4
    assert len(set(with_threads)) == 1


def test_pdf_renderers_start_before_any_document_and_each_is_prepared(pool, settings, tmp_path):
    """start() spawns the renderer now; every renderer, a recycled one's successor too, runs
    what prepare_each named before its first document."""
    settings.PDF_RENDERER_DOCUMENTS = 2  # `ready` and one document, then a fresh renderer
    pool.prepare_each(probes.mark, str(tmp_path))
    pool.start(probes.ready)
    deadline = time.monotonic() + 30
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    started = [int(path.name) for path in tmp_path.iterdir()]
    assert len(started) == 1  # before any document was asked for
    pids = [pool.run(probes.whoami)["pid"] for _ in range(2)]
    assert pids[0] == started[0]
    assert pids[1] != pids[0]
    assert {int(path.name) for path in tmp_path.iterdir()} == set(pids)


def test_pdf_renderer_is_recycled_after_its_documents(pool, settings):
    settings.PDF_RENDERER_DOCUMENTS = 2
    pids = [pool.run(probes.whoami)["pid"] for _ in range(5)]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4]
    assert gone(pids[0])
    assert gone(pids[2])


def test_pdf_renderer_is_retired_once_it_grew_past_its_limit(pool, settings):
    settings.PDF_RENDERER_MAX_MB = 300
    first = pool.run(probes.grown, 100)
    assert pool.run(probes.grown, 100) == first  # under the limit: kept warm
    assert pool.run(probes.grown, 400) == first  # this one grew past it: then retired
    second = pool.run(probes.grown, 100)
    assert second != first
    assert gone(first)


def test_pdf_renderer_that_dies_gives_render_failed_and_the_next_works(pool):
    first = pool.run(probes.whoami)["pid"]
    with pytest.raises(renderers.RenderFailed):
        pool.run(probes.die)
    again = pool.run(probes.whoami)["pid"]
    assert again != first


def test_pdf_renderer_killed_between_documents_is_replaced_unnoticed(pool):
    first = pool.run(probes.whoami)["pid"]
    psutil.Process(first).kill()
    assert gone(first)
    assert pool.run(probes.whoami)["pid"] != first  # no error for whoever asks next


def test_pdf_renderer_killed_while_working_fails_that_document_only(pool):
    """Killed from outside in the middle of a document: that one fails, the next one works."""
    outcome = {}

    def slow() -> None:
        try:
            outcome["result"] = pool.run(probes.sleep, 30)
        except renderers.RenderFailed as error:
            outcome["error"] = error

    worker = pool.run(probes.whoami)["pid"]
    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)  # it is sleeping in the renderer now
    psutil.Process(worker).kill()
    thread.join(timeout=20)
    assert "error" in outcome
    assert pool.run(probes.whoami)["pid"] != worker


def test_pdf_no_answer_in_time_is_render_failed(pool, settings):
    settings.PDF_RENDER_TIMEOUT = 1
    started = time.monotonic()
    with pytest.raises(renderers.RenderFailed):
        pool.run(probes.sleep, 4)
    assert time.monotonic() - started < 3


def test_pdf_compile_that_never_ends_ends_its_renderer(pool, tmp_path):
    """A layout that would run for minutes is stopped at the time limit by the kernel."""
    template = tmp_path / "endless.typ"
    template.write_text("#for i in range(1000000000) { }\n")
    started = time.monotonic()
    with pytest.raises(renderers.RenderFailed):
        pool.run(
            pdfs.compile_pdf,
            str(template),
            str(report.text.FONT_DIR),
            {},
            standards=[],
            timestamp=0,
            time_limit=1,
        )
    assert time.monotonic() - started < 10


def test_pdf_renderers_end_at_shutdown(pool):
    pid = pool.run(probes.whoami)["pid"]
    pool.shutdown()
    assert gone(pid)


def test_pdf_renderer_started_by_another_process_is_never_used(pool):
    """After a fork (gunicorn --preload) the child starts renderers of its own."""
    first = pool.run(probes.whoami)["pid"]
    pool._owner = -1  # as seen from a forked child: someone else's executor
    assert pool.run(probes.whoami)["pid"] != first


def test_pdf_is_never_compiled_in_the_web_process(monkeypatch):
    """With Typst broken in this process, PDFs are still made: they are made elsewhere."""

    def refuse(*args, **kwargs):
        raise AssertionError("Typst was used in the web process")

    monkeypatch.setattr(typst, "Compiler", refuse)
    monkeypatch.setattr(typst, "compile", refuse)
    user = UserFactory(timezone="Europe/London")
    EpisodeFactory(user=user, started_at=at("2026-03-03 10:00"))
    pages = pages_text(report.build_pdf(user, PERIOD, today=TODAY))
    assert "1\nepisode logged" in pages[0]


# --- what a person sees ---


def test_pdf_view_gives_a_calm_page_when_the_renderer_dies(owner_client, user, monkeypatch):
    url = "/report.pdf?from=2026-03-02&to=2026-03-29"
    monkeypatch.setattr(pdfs, "compile_pdf", probes.die)
    response = owner_client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The PDF could not be made just now" in page
    assert "Nothing in your diary has changed." in page
    assert f'<a class="button" href="{url.replace("&", "&amp;")}">Try again</a>' in page
    assert "Traceback" not in page

    monkeypatch.undo()  # the renderer works again: the same link now gives the PDF
    response = owner_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_share_pdf_gives_a_calm_page_when_the_renderer_dies(client, user, monkeypatch):
    _, token = links.create(user, first=PERIOD.first, last=PERIOD.last, days=7)
    url = f"/s/{token}/report.pdf"
    monkeypatch.setattr(pdfs, "compile_pdf", probes.die)
    response = client.get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert "Nothing in the diary has changed." in page
    assert f'href="{url}">Try again</a>' in page
    assert 'class="main-nav"' not in page  # the share pages' own frame, not the app's

    monkeypatch.undo()
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_share_link_with_a_pdf_is_kept_when_the_pdf_fails(owner_client, user, monkeypatch):
    """The link was made: it is shown once to copy, like a link made without the PDF."""
    monkeypatch.setattr(pdfs, "compile_pdf", probes.die)
    with time_machine.travel(datetime(2026, 4, 2, 12, tzinfo=UTC), tick=False):
        data = {
            "pdf": "1",
            "days": "7",
            "from": PERIOD.first.isoformat(),
            "to": PERIOD.last.isoformat(),
        }
        response = owner_client.post("/report/share/", data, follow=True)
        link = user.share_links.get()
        assert link.is_open()
    assert response.status_code == 200
    page = response.content.decode()
    assert "its PDF could not be made just now" in page
    shown = re.search(r'id="share-new-url" type="url" value="([^"]+)"', page).group(1)
    assert links.find(shown.rsplit("/s/", 1)[1].strip("/")) == link


def test_pdf_unavailable_pages_are_valid_html(owner_client, client, user, monkeypatch, tmp_path):
    """Both frames of the page (the app's, a share link's), by the W3C checker."""
    java = shutil.which("java")
    assert java, "the HTML check needs Java (scripts/install-deps installs it)"
    assert VNU_JAR.is_file(), f"{VNU_JAR} is missing: run `npm ci`"
    monkeypatch.setattr(pdfs, "compile_pdf", probes.die)
    _, token = links.create(user, first=PERIOD.first, last=PERIOD.last, days=7)
    pages = {
        "own.html": owner_client.get("/report.pdf?from=2026-03-02&to=2026-03-29"),
        "shared.html": client.get(f"/s/{token}/report.pdf"),
    }
    for name, response in pages.items():
        assert response.status_code == 503
        (tmp_path / name).write_bytes(response.content)
    result = subprocess.run(
        [java, "-jar", str(VNU_JAR), "--errors-only", *(str(tmp_path / n) for n in pages)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
