"""Two source records for one document.

W760: two sources with the same address
    Two sources give the same `url` once the parts that do not change the
    document are set aside: http or https, a leading `www.`, a trailing
    slash and the case of the host. Citations of one document are then split
    between two records (and two entries in every bibliography). The warning
    points at the second record's `url:` and names the first.

    Fails:

        - id: esa-smile-solar-arrays-2025
          url: https://www.esa.int/Smile/Solar_arrays
        - id: esa-testing-smile-s-solar-arrays
          url: http://esa.int/Smile/Solar_arrays/

    Passes:

        - id: esa-smile-solar-arrays-2025
          url: https://www.esa.int/Smile/Solar_arrays

    Fix: keep one record, point the other's citations at it
    (`factbase cite FACT --source ID --locator TEXT` adds a citation) and
    delete the second record.
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from ..diagnostics import Diagnostic, place
from .context import Context


def address_key(url: str) -> str:
    """The address with what does not name another document set aside."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{host}{parts.path.rstrip('/')}{query}{fragment}"


def holder(url: str, sources) -> str | None:
    """The id of a source that already holds this address, if any."""
    key = address_key(url)
    return next((s.id for s in sources if address_key(s.url) == key), None)


def check(context: Context) -> Iterator[Diagnostic]:
    first: dict[str, object] = {}
    for source in context.base.sources.values():
        earlier = first.setdefault(address_key(source.url), source)
        if earlier is not source:
            here, there = source.spans.get("url", source.span), earlier.spans.get("url", earlier.span)
            yield Diagnostic.at(here, "W760",
                                f"source '{source.id}' has the same address as "
                                f"'{earlier.id}' ({place(there, here)})",
                                f"cite '{earlier.id}' instead and remove this record",
                                related=(there,))
