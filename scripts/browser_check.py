"""Open dealcheck's HTML approval packet in a real browser (headless Chromium), as a deal
desk does: render it, print it to PDF, take a screenshot, and check what a person gets.

Run by ``.ci/run`` (which installs Chromium from Debian's packages when it is missing):

    python scripts/browser_check.py [--keep DIR]

Checks, for a blocked and a needs-approval example deal:

* Chromium loads the packet with the network unreachable, and its DOM
  still holds the deal id, the verdict and every finding (self-contained: no request);
* it prints to a PDF whose text has the deal id and verdict, on no more pages than the
  packet has content for, and no page that is blank;
* a screenshot is written (look at it with ``--keep``).

Exit 0 when every check holds, 1 with one line per failure, 2 when no browser is found.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2026-11-22"
DEALS = ("examples/deals/wallaby-logistics.yaml", "examples/deals/alpine-chemie.yaml")
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# no network (a proxy that does not exist), no GPU or sandbox in a CI container
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--proxy-server=127.0.0.1:9",
    "--no-pdf-header-footer",
    "--hide-scrollbars",
)


def browser() -> str | None:
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def run_browser(exe: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    profile = tempfile.mkdtemp(prefix="dealcheck-chromium-")
    try:
        return subprocess.run(
            [exe, *FLAGS, f"--user-data-dir={profile}", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def dealcheck(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dealcheck", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def check_deal(exe: str, deal: str, work: Path) -> list[str]:
    problems: list[str] = []
    name = Path(deal).stem
    packet = work / f"{name}.html"
    report = dealcheck("check", deal, "--today", TODAY, "-f", "json", cwd=REPO)
    facts = json.loads(report.stdout)["deals"][0]
    made = dealcheck(
        "check", deal, "--today", TODAY, "-f", "html", "-o", str(packet), "-q", cwd=REPO
    )
    if made.returncode == 2 or not packet.exists():
        return [f"{deal}: no packet written: {made.stderr.strip()}"]
    url = packet.resolve().as_uri()

    dom = run_browser(exe, "--dump-dom", url, cwd=work)
    if dom.returncode != 0 or "<body" not in dom.stdout:
        return [f"{deal}: Chromium could not load the packet: {dom.stderr.strip()[-300:]}"]
    verdict = facts["verdict"].replace("-", " ")
    for what, text in (("deal id", facts["id"]), ("verdict", verdict)):
        if text.lower() not in dom.stdout.lower():
            problems.append(f"{deal}: the rendered page lacks the {what} {text!r}")
    for finding in facts["findings"]:
        if finding["rule"] not in dom.stdout:
            problems.append(f"{deal}: the rendered page lacks finding {finding['rule']}")

    pdf = work / f"{name}.pdf"
    printed = run_browser(exe, f"--print-to-pdf={pdf}", url, cwd=work)
    if printed.returncode != 0 or not pdf.exists():
        return [*problems, f"{deal}: printing to PDF failed: {printed.stderr.strip()[-300:]}"]
    from pypdf import PdfReader

    pages = [page.extract_text() or "" for page in PdfReader(pdf).pages]
    text = "\n".join(pages)
    if facts["id"] not in text:
        problems.append(f"{deal}: the printed packet lacks the deal id")
    blank = [i + 1 for i, page in enumerate(pages) if not page.strip()]
    if blank:
        problems.append(f"{deal}: printed page(s) {blank} of {len(pages)} are blank")
    print(f"{deal}: {len(pages)} printed page(s), {len(facts['findings'])} finding(s)")

    shot = work / f"{name}.png"
    run_browser(exe, f"--screenshot={shot}", "--window-size=1280,1600", url, cwd=work)
    if not shot.exists() or shot.stat().st_size < 1000:
        problems.append(f"{deal}: no screenshot")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Keep the packets, PDFs and screenshots here.")
    args = parser.parse_args()
    exe = browser()
    if exe is None:
        print("browser check: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="dealcheck-browser-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        problems = [p for deal in DEALS for p in check_deal(exe, deal, work)]
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"browser check: {problem}", file=sys.stderr)
    print("browser check: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
