"""A batch of JSON Lines deals for the tests of ``--jobs`` and streaming: more than one
work unit (256 deals each), ids ``Q-0000`` … in input order, some non-ASCII text."""

from __future__ import annotations

import json
from pathlib import Path


def jsonl_deals(path: Path, count: int) -> Path:
    """Write ``count`` deals for the sample catalog to ``path``: deal ``n`` has id
    ``Q-{n:04d}``, every 7th a customer named "Café {n} …"."""
    lines = []
    for n in range(count):
        name = f"Café {n} …" if n % 7 == 0 else f"Customer {n}"
        deal = {
            "kind": "Deal",
            "id": f"Q-{n:04d}",
            "customer": {"name": name, "country": "DE" if n % 2 else "US"},
            "currency": "USD",
            "start_date": "2027-01-01",
            "term_months": 12 + n % 36,
            "lines": [{"sku": "AA-PRO-USER-Y", "quantity": 10 + n, "discount": n % 50 / 100}],
        }
        lines.append(json.dumps(deal, ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
