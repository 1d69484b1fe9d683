"""Open dealcheck's HTML approval packet in a real browser (headless Chromium), as a deal
desk does: render it, print it to PDF, take a screenshot, and check what a person gets.

Run by ``.ci/run`` (which installs Chromium from Debian's packages when it is missing):

    python scripts/browser_check.py [--keep DIR]

Checks, for typical one-deal packets (blocked, needs approval, a partner deal with a
free month in a foreign currency):

* Chromium loads the packet with the network unreachable, and its DOM
  still holds the deal id, the verdict and every finding (self-contained: no request);
* it prints to a PDF whose text has the deal id, on exactly ONE page on A4 and on US
  Letter paper (a one-deal packet of up to ~6 findings and 5 lines fits one page);
* a screenshot is written (look at it with ``--keep``).

And for a multi-deal packet (several examples): every deal starts a page, and no printed
page is blank or holds only the packet's header or only its footer.

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
DEALS = (
    "examples/deals/wallaby-logistics.yaml",
    "examples/deals/alpine-chemie.yaml",
    "examples/deals/kea-energy.yaml",
    "examples/deals/ridgeway-retail.yaml",
)
# The upper end of "typical": 5 lines in a foreign currency, a partner, free months and
# 6 findings (2 blockers, 4 approvals) must still print on one page.
BUSY_DEAL = """\
kind: Deal
id: Q-BUSY-1
customer: {name: Busy Test Co, country: US}
currency: EUR
start_date: 2027-01-01
term_months: 24
payment_terms_days: 30
free_months: 2
partner: {name: Channel Co, country: US, margin: 0.20}
lines:
  - {sku: AA-ENT-USER-Y, quantity: 100, discount: 0.10}
  - {sku: AA-PRO-USER-Y, quantity: 50, discount: 0.25}
  - {sku: AA-STD-USER-Y, quantity: 500, discount: 0.05}
  - {sku: AA-FORECAST-USER-Y, quantity: 100, discount: 0.0}
  - {sku: AA-EMBED-Y, quantity: 1, discount: 0.35}
"""
BUSY_FINDINGS = 6
MULTI = (
    "examples/deals/kea-energy.yaml",
    "examples/deals/thames-valley-logistics.yaml",
    "examples/deals/banque-lumiere.yaml",
    "examples/deals/ridgeway-retail.yaml",
)
PAPERS = {"A4": "A4", "Letter": "letter"}
# Words only a deal's section prints (its headings, a finding's fix and fingerprint, a
# waterfall row): a page with none of them holds only the packet's header or footer.
DEAL_MARKERS = (
    "Terms",
    "Quote",
    "Totals",
    "Findings",
    "Fix:",
    "ngerprint",  # "fingerprint" may be set with an "fi" ligature
    "Price waterfall",
    "list price",
    "Sign-o",
    "Approvals recorded",
)
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
    if name == "busy-deal" and len(facts["findings"]) != BUSY_FINDINGS:
        problems.append(f"{deal}: {len(facts['findings'])} findings, expected {BUSY_FINDINGS}")
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

    for paper, size in PAPERS.items():
        sized = work / f"{name}-{paper}.html"
        page_css = "@page { size: auto;"
        source = packet.read_text(encoding="utf-8")
        if page_css not in source:
            problems.append(f"{deal}: the packet has no '@page {{ size: auto' rule")
        sized.write_text(source.replace(page_css, f"@page {{ size: {size};"), encoding="utf-8")
        pdf = work / f"{name}-{paper}.pdf"
        printed = run_browser(exe, f"--print-to-pdf={pdf}", sized.resolve().as_uri(), cwd=work)
        if printed.returncode != 0 or not pdf.exists():
            problems.append(f"{deal}: printing to PDF failed: {printed.stderr.strip()[-300:]}")
            continue
        pages = pdf_pages(pdf)
        if facts["id"] not in "\n".join(pages):
            problems.append(f"{deal}: the printed packet ({paper}) lacks the deal id")
        if len(pages) != 1:
            problems.append(
                f"{deal}: a one-deal packet printed on {len(pages)} {paper} pages, not 1"
            )
        print(
            f"{deal}: {len(pages)} printed {paper} page(s), {len(facts['findings'])} "
            f"finding(s), {len(facts.get('lines', []))} line(s)"
        )

    shot = work / f"{name}.png"
    run_browser(exe, f"--screenshot={shot}", "--window-size=1280,1600", url, cwd=work)
    if not shot.exists() or shot.stat().st_size < 1000:
        problems.append(f"{deal}: no screenshot")
    return problems


def pdf_pages(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(pdf).pages]


def check_multi(exe: str, work: Path) -> list[str]:
    """A packet of several deals: a page per deal at least, none blank, none with only
    the packet's header or only its footer."""
    packet = work / "multi.html"
    made = dealcheck(
        "check", *MULTI, "--today", TODAY, "-f", "html", "-o", str(packet), "-q", cwd=REPO
    )
    if made.returncode == 2 or not packet.exists():
        return [f"multi-deal packet not written: {made.stderr.strip()}"]
    pdf = work / "multi.pdf"
    printed = run_browser(exe, f"--print-to-pdf={pdf}", packet.resolve().as_uri(), cwd=work)
    if printed.returncode != 0 or not pdf.exists():
        return [f"multi-deal packet: printing failed: {printed.stderr.strip()[-300:]}"]
    pages = pdf_pages(pdf)
    problems = []
    if len(pages) < len(MULTI):
        problems.append(f"multi-deal packet: {len(pages)} pages for {len(MULTI)} deals")
    for number, page in enumerate(pages, 1):
        if not any(marker in page for marker in DEAL_MARKERS):
            what = "blank" if not page.strip() else f"only header/footer: {page.strip()[:80]!r}"
            problems.append(f"multi-deal packet: page {number} of {len(pages)} is {what}")
    print(f"multi-deal packet ({len(MULTI)} deals): {len(pages)} printed page(s)")
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
        busy = work / "busy-deal.yaml"
        busy.write_text(BUSY_DEAL, encoding="utf-8")
        problems = [p for deal in (*DEALS, str(busy)) for p in check_deal(exe, deal, work)]
        problems += check_multi(exe, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"browser check: {problem}", file=sys.stderr)
    print("browser check: " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
