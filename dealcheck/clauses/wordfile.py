"""Word (.docx) contracts: kept for imports; the reader lives in ``dealcheck.clauses.word``."""

from __future__ import annotations

from dealcheck.clauses.word import MAX_PARAGRAPHS, MAX_UNPACKED_BYTES, docx_clauses

__all__ = ["MAX_PARAGRAPHS", "MAX_UNPACKED_BYTES", "docx_clauses"]
