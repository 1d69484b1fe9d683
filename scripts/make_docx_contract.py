"""Write a realistic example contract (.docx) for Acme Analytics, for dealcheck's clause analysis.

Usage: python scripts/make_docx_contract.py OUTPUT.docx

The contract mixes what dealcheck must tell apart: a dated commitment to a
planned feature (EU data residency by 31 March 2027), a relative one (SCIM
within 90 days), a discretionary mention, a disclaimer, customer obligations,
uptime commitments, a discount, a heading-led section, and Word-numbered list
items whose numbers are not in their text.
"""

from __future__ import annotations

import sys
from pathlib import Path

import docx

# (Word style, text). Headings start sections; "List Number" paragraphs are
# numbered by Word itself, so their numbers are not part of the text.
CLAUSES: list[tuple[str, str]] = [
    ("Title", "Order Form AA-2026-0142 under the Acme Analytics Master Subscription Agreement"),
    (
        "Normal",
        'This Order Form is entered into between Acme Analytics Ltd ("Provider") and Wallaby '
        'Logistics Pty Ltd ("Customer") and forms part of the Master Subscription Agreement.',
    ),
    ("Heading 1", "1. Definitions"),
    ("Normal", '1.1 "Effective Date" means 1 January 2027.'),
    (
        "Normal",
        '1.2 "Authorised Users" means the employees and contractors of Customer who are '
        "permitted to use the Services.",
    ),
    ("Heading 1", "2. Subscription"),
    (
        "Normal",
        "2.1 The Subscription includes dashboards, CSV export, SAML single sign-on and the "
        "audit log for up to 250 Authorised Users.",
    ),
    ("Normal", "2.2 Customer shall configure SAML SSO with its own identity provider."),
    ("Heading 1", "3. Feature commitments"),
    (
        "Normal",
        "3.1 Provider shall make EU data residency available to Customer no later than "
        "31 March 2027.",
    ),
    (
        "Normal",
        "3.2 Provider will deliver SCIM provisioning within ninety (90) days of the Effective "
        "Date.",
    ),
    (
        "Normal",
        "3.3 Provider may, at its sole discretion, make the AI assistant available to Customer. "
        "Nothing in this clause commits Provider to deliver offline mode.",
    ),
    ("Heading 1", "4. Service levels"),
    (
        "Normal",
        "4.1 Provider shall make the Services available 99.9% of the time in each calendar "
        "month, excluding Scheduled Maintenance.",
    ),
    (
        "Normal",
        "4.2 If Monthly Availability falls below 99.9%, Customer shall be entitled to a service "
        "credit equal to 10% of the monthly fee.",
    ),
    ("Heading 1", "5. Fees and payment"),
    (
        "Normal",
        "5.1 Customer shall pay all invoices within forty-five (45) days of the invoice date.",
    ),
    (
        "Normal",
        "5.2 Provider grants Customer a 20% discount on the first year of the Subscription.",
    ),
    ("Heading 2", "Legacy reports API"),
    (
        "Normal",
        "Provider shall continue to provide the legacy reports API to Customer until "
        "30 June 2027, after which Customer will use the current reporting API.",
    ),
    ("Heading 1", "Schedule 1 - Product roadmap (for information only)"),
    ("List Number", "Offline mode for the mobile app is planned for Q3 2027."),
    ("List Number", "Customer-managed keys are planned for the second half of 2027."),
    ("Heading 1", "6. General"),
    ("Normal", "6.1 This Order Form is governed by the laws of England and Wales."),
]


def write_contract(path: Path) -> None:
    """Write the example contract to ``path``."""
    document = docx.Document()
    for style, text in CLAUSES:
        document.add_paragraph(text, style=style)
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] in ("-h", "--help"):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    write_contract(Path(argv[0]))
    print(f"wrote {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
