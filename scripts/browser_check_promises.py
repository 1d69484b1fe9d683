"""Open dealcheck's HTML promise register in a real browser (headless Chromium), as a
product manager does: render it, print it to PDF, take a screenshot, check what they get.

Run by ``.ci/run`` next to ``scripts/browser_check.py`` (whose browser helpers it uses):

    python scripts/browser_check_promises.py [--keep DIR]

Checks, for ``dealcheck promises examples/deals`` with a what-if ``--move``:

* Chromium loads the page with the network unreachable, and its DOM still holds every
  feature, every customer with a promise, the totals and one timeline (inline SVG) per
  feature; the page names no external resource (self-contained);
* it prints to a PDF whose text has the title, a redline author and the value at risk,
  with no blank page;
* a screenshot is written (look at it with ``--keep``).

Exit 0 when every check holds, 1 with one line per failure, 2 when no browser is found.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_check import REPO, TODAY, browser, dealcheck, run_browser  # noqa: E402

DEALS = "examples/deals"
MOVE = "eu-data-residency=2027-Q4"
# a src or href that is not a fragment (#f0), a CSS url() or @import
EXTERNAL = re.compile(
    r"""\b(?:src|href)\s*=\s*(?:"(?!#)|'(?!#)|[^"'#\s>])|url\(|@import""", re.IGNORECASE
)


def check(exe: str, work: Path) -> list[str]:
    problems: list[str] = []
    args = ("promises", DEALS, "--today", TODAY, "--move", MOVE)
    facts = json.loads(dealcheck(*args, "-f", "json", cwd=REPO).stdout)
    page = work / "promises.html"
    made = dealcheck(*args, "-f", "html", "-o", str(page), "-q", cwd=REPO)
    if made.returncode != 0 or not page.exists():
        return [f"no page written (exit {made.returncode}): {made.stderr.strip()}"]
    html = page.read_text(encoding="utf-8")
    if EXTERNAL.search(html):
        problems.append("the page refers to an external resource")
    url = page.resolve().as_uri()

    dom = run_browser(exe, "--dump-dom", url, cwd=work)
    if dom.returncode != 0 or "<body" not in dom.stdout:
        return [f"Chromium could not load the page: {dom.stderr.strip()[-300:]}"]
    text = dom.stdout
    features = facts["features"]
    if text.count("<svg") != len(features):
        problems.append(f"{text.count('<svg')} timelines for {len(features)} features")
    for feature in features:
        if feature["feature"] not in text:
            problems.append(f"the rendered page lacks feature {feature['feature']}")
        for promise in feature["promises"]:
            customer = promise["customer"].replace("&", "&amp;")
            if customer not in text:
                problems.append(f"the rendered page lacks customer {promise['customer']}")
    at_risk = facts["totals"]["value_at_risk"]["total"]
    shown = f"{float(at_risk):,.2f}"
    if shown not in text:
        problems.append(f"the rendered page lacks the value at risk {shown}")

    pdf = work / "promises.pdf"
    printed = run_browser(exe, f"--print-to-pdf={pdf}", url, cwd=work)
    if printed.returncode != 0 or not pdf.exists():
        return [*problems, f"printing to PDF failed: {printed.stderr.strip()[-300:]}"]
    from pypdf import PdfReader

    pages = [p.extract_text() or "" for p in PdfReader(pdf).pages]
    printed_text = " ".join(" ".join(pages).split())  # table cells wrap lines
    for wanted in ("Promise register", "Casey Counsel", shown):
        if wanted not in printed_text:
            problems.append(f"the printed register lacks {wanted!r}")
    blank = [i + 1 for i, p in enumerate(pages) if not p.strip()]
    if blank:
        problems.append(f"printed page(s) {blank} of {len(pages)} are blank")
    print(f"promises: {len(pages)} printed page(s), {len(features)} feature(s)")

    shot = work / "promises.png"
    run_browser(exe, f"--screenshot={shot}", "--window-size=1280,1800", url, cwd=work)
    if not shot.exists() or shot.stat().st_size < 1000:
        problems.append("no screenshot")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keep", type=Path, help="Keep the page, PDF and screenshot here.")
    args = parser.parse_args()
    exe = browser()
    if exe is None:
        print("browser check: no Chromium found (apt-get install chromium)", file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="dealcheck-promises-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        problems = check(exe, work)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    for problem in problems:
        print(f"browser check (promises): {problem}", file=sys.stderr)
    print("browser check (promises): " + ("FAILED" if problems else "ok"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
