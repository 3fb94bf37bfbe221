"""The W3C Nu HTML checker (vnu.jar from the `vnu-jar` npm package) as a local service.

Starting the checker's Java takes seconds, so the suite starts it once, as an HTTP service
bound to the loopback address, and sends it each page; `make test` installs the jar into
node_modules/ (`npm ci`, package-lock.json).
"""

import json
import os
import shutil
import socket
import subprocess  # nosec B404 - runs the fixed java command below, never user input
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

VNU_JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
START_TIMEOUT = 120  # seconds; loading the schemas is slow on a busy two-core machine


def missing_reason() -> str | None:
    """Return why the checker cannot run here, or None when it can."""
    if not shutil.which("java"):
        return "Java is not installed (apt-get install -y default-jre-headless)"
    if not VNU_JAR.is_file():
        return f"The Nu HTML checker is not at {VNU_JAR} (run `make test`, or `npm ci`)"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NuChecker:
    """A running vnu.jar service: `errors(html)` returns the checker's error messages."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/?out=json"
        self.process = subprocess.Popen(  # nosec B603 - fixed arguments, no shell
            [
                shutil.which("java") or "java",
                "-Xss16m",
                "-Dnu.validator.servlet.bind-address=127.0.0.1",
                "-cp",
                str(VNU_JAR),
                "nu.validator.servlet.Main",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the Nu HTML checker stopped while starting")
            try:
                self._post("<!DOCTYPE html><html lang=en><title>t</title></html>")
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"the Nu HTML checker did not start within {START_TIMEOUT} s")

    def _post(self, html: str) -> list[dict]:
        request = urllib.request.Request(  # noqa: S310 - a loopback http URL built above
            self.url,
            data=html.encode(),
            headers={"Content-Type": "text/html; charset=utf-8"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310  # nosec B310
            return json.load(response)["messages"]

    def errors(self, html: str) -> list[dict]:
        """Return the errors (not the warnings) the checker finds in `html`."""
        return [m for m in self._post(html) if m.get("type") in ("error", "non-document-error")]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def describe(errors: list[dict], html: str) -> str:
    """Format the checker's errors with the line each one points at."""
    lines = html.splitlines()
    out = []
    for error in errors[:20]:
        number = error.get("lastLine") or error.get("firstLine") or 0
        source = lines[number - 1].strip()[:160] if 0 < number <= len(lines) else ""
        out.append(f"line {number}: {error['message']}\n    {source}")
    return "\n".join(out)
