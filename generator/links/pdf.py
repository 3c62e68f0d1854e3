"""The text of a PDF, read with pypdf within limits.

pypdf reads what a hand-written reader could not (object streams and
cross-reference streams, CID fonts and ToUnicode maps, font encodings). A
fetched PDF is hostile input, so the reading is bounded: the file's size, the
pages read, and how far any one stream may inflate (a few hundred kilobytes
of Flate data can inflate to gigabytes: a decompression bomb). Anything past a
limit makes the PDF unreadable, with the reason, never half-read.
"""

from __future__ import annotations

import io
import logging

import pypdf
from pypdf.errors import LimitReachedError

MIB = 1024 * 1024
MAX_BYTES = 20 * MIB        # a bigger file is not parsed (fetch caps bodies lower by default)
MAX_PAGES = 500             # a longer document is not read
MAX_INFLATED = 16 * MIB     # the most one stream may decode to

# pypdf's own limits (pypdf.Configuration), lowered from its 75 MB defaults.
_LIMITS = {name: MAX_INFLATED for name in (
    "maximum_declared_stream_length", "array_based_stream_maximum_output_length",
    "jbig2_maximum_output_length", "lzw_maximum_output_length",
    "run_length_maximum_output_length", "zlib_maximum_output_length",
    "brotli_maximum_output_length", "image_maximum_buffer_size")}
_LIMITS |= {"stream_decoding_work_maximum_length": 4 * MAX_INFLATED,
            "jbig2dec_binary": None}   # never run an external decoder on fetched data

# pypdf logs each oddity of a damaged file; the reason returned says what matters.
logging.getLogger("pypdf").addHandler(logging.NullHandler())
logging.getLogger("pypdf").propagate = False


def pdf_text(data: bytes) -> tuple[str, str]:
    """The text drawn on a PDF's pages and "", or "" and why it cannot be read."""
    if len(data) > MAX_BYTES:
        return "", f"a PDF larger than {MAX_BYTES} bytes, not read"
    try:
        with pypdf.apply_configuration(**_LIMITS):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PAGES:
                return "", f"a PDF of more than {MAX_PAGES} pages, not read"
            return "\n".join(page.extract_text() for page in reader.pages), ""
    except LimitReachedError:
        return "", (f"a PDF whose streams inflate past {MAX_INFLATED // MIB} MB "
                    "(a decompression bomb?), not read")
    except RecursionError:
        return "", "a PDF nested too deeply to read"
    except Exception as err:  # noqa: BLE001 - a damaged file may fail anywhere inside pypdf
        return "", f"a damaged PDF ({type(err).__name__}: {err})"[:200]
