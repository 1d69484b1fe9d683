"""The one bounded read behind every file dealcheck opens: bytes and text.

A regular file of at most :data:`~dealcheck.yamlio.limits.MAX_FILE_BYTES` is read;
a directory, pipe, device, refused symlink, missing file or bad UTF-8 byte is a located
:class:`~dealcheck.errors.InputError`. Text is UTF-8 (a BOM allowed), or UTF-16 or
UTF-32 when a byte-order mark says so: YAML 1.2 reads those too (§5.2), and they are what
Windows PowerShell's ``>`` and Excel's "Unicode text" write.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from stat import S_ISREG

from dealcheck.errors import InputError, Location
from dealcheck.yamlio.limits import MAX_FILE_BYTES

SYMLINK_REFUSED = (
    "is a symlink to a file outside the folder being read and its repository; "
    "not read (pass --follow-symlinks to read it)"
)


def read_text(path: Path, display: str | None = None) -> str:
    """Read a text file (see :func:`decode_text`) within the size limit, or raise a
    located error."""
    name = display if display is not None else str(path)
    return decode_text(read_bytes(path, name), name)


def read_bytes(path: Path, name: str, expected: str = "a file") -> bytes:
    """The bytes of a regular file within the 10 MiB limit, or a located error: the one
    bounded read behind every file dealcheck opens (YAML, CSV quotes)."""
    from dealcheck.catalog.files import RefusedPath

    if isinstance(path, RefusedPath):
        raise InputError(Location(name), SYMLINK_REFUSED)
    try:
        if path.is_dir():
            raise InputError(Location(name), f"is a directory, expected {expected}")
        status = path.stat()
        if not S_ISREG(status.st_mode):
            # a pipe or a device (a symlink to /dev/stdin or /dev/tty) could block for ever
            raise InputError(Location(name), "is not a regular file (a pipe or a device)")
        size = status.st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                Location(name), f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} (10 MiB)"
            )
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except InputError:
        raise
    except FileNotFoundError:
        raise InputError(Location(name), "no such file") from None
    except OSError as exc:
        raise InputError(Location(name), f"cannot read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError(Location(name), "file is larger than the 10 MiB limit")
    return raw


#: byte-order marks other than UTF-8's, longest first (UTF-32 LE starts as UTF-16 LE does)
_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(raw: bytes, name: str) -> str:
    """UTF-16 or UTF-32 when ``raw`` starts with its byte-order mark, else UTF-8
    (:func:`decode_utf8`). JSON is UTF-8 only (RFC 8259): a JSON Lines line is read with
    :func:`decode_utf8`."""
    for bom, encoding in _WIDE_BOMS:
        if raw.startswith(bom):
            try:
                return raw.decode(encoding)
            except UnicodeDecodeError:
                label = encoding.upper()
                raise InputError(
                    Location(name), f"not valid {label} (it starts with a {label} byte-order mark)"
                ) from None
    return decode_utf8(raw, name)


def decode_utf8(raw: bytes, name: str) -> str:
    """Decode UTF-8 (with or without BOM); a bad byte is reported at its line and column."""
    # Strip the BOM ourselves: with "utf-8-sig", the error offsets would count from after it.
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        raise InputError(
            Location(name, line, column),
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}); save the file as UTF-8",
        ) from None
