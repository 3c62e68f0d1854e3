"""The report stage of `factbase links`: outcomes and quote verdicts become
diagnostics at the line to change (a source's `url:`/`archive_url:` line, or a
citation's `quote:` line). Codes:

E801: source address is gone
    The address answered 404 or 410, or the server refused the connection: a
    reader following the citation finds nothing. (A host name that does not
    resolve is W819, not this: the fault may be the checking machine's DNS.)

    Fails:

        url: https://www.esa.int/Smile/page-that-was-removed   # HTTP 404

    Passes:

        url: https://www.esa.int/Science_Exploration/Space_Science/Smile

    Fix: find where the document moved and update `url`; if it is gone for good,
    keep an `archive_url` and list the address in links.yaml under `exclude:`
    with the reason.

E802: redirect loop
    Following the address's redirects comes back to an address already
    visited (or takes more than ten redirects), so no page is ever reached.

    Fails:

        url: https://example.org/a      # /a -> /b -> /a

    Passes:

        url: https://example.org/final-page

    Fix: open the address in a browser, find the document's real address and
    use it.

E803: quote not found on the page
    The page was read, but the citation's `quote` is not in its text (compared
    ignoring case, spacing, curly quotes and dash styles), and the lock has no
    record of it ever being there.

    Fails:

        quote: Smile will launch in 2023     # the page says something else

    Passes:

        quote: Smile is a joint mission between ESA and CAS

    Fix: copy the words exactly as the page has them, or cite the document
    that does say them.

W811: address could not be confirmed
    A soft failure: the request timed out, the name lookup failed for a
    temporary reason (the resolver did not answer), the server kept answering
    429 or 5xx after every retry, or it refused the check (e.g. HTTP 403 to
    robots). The document may be fine; this run could not tell, and nothing
    of it is cached: the next run asks again.

    Fails:

        url: https://slow.example.org/report     # timed out

    Passes:

        url: https://www.esa.int/Science_Exploration/Space_Science/Smile

    Fix: run again later; if it persists, open the address in a browser, and
    exclude it in links.yaml with the reason if the server blocks checkers.

W812: address moved permanently
    The address answers with a permanent redirect (301 or 308), so the
    document now lives at another address. (Temporary redirects, 302 and
    307, are only noted.)

    Fails:

        url: http://www.esa.int/Smile     # 301 -> https://www.esa.int/Smile

    Passes:

        url: https://www.esa.int/Smile

    Fix: replace the address with the one the warning gives.

W813: quoted page changed (drift)
    The quote was on the page when the lock was written, but the page's text
    has changed since (its content hash differs) and the quote is no longer
    there. The page was edited, not removed.

    Fails:

        quote: launch is planned for 2025   # found in the lock, gone from the page

    Passes:

        quote: launch is planned for 2025   # still on the page

    Fix: check that the page still supports the fact; cite an archived copy
    of the version you quoted (`archive_url`), or update the fact and quote.

W814: dead source without an archive copy
    The source's address is gone (E801 or E802) and the source has no
    `archive_url`, so nobody can read what the fact cites.

    Fails:

        url: https://example.org/removed
        # no archive_url

    Passes:

        url: https://example.org/removed
        archive_url: https://web.archive.org/web/2024/https://example.org/removed

    Fix: find a copy in the Internet Archive (https://web.archive.org/) and
    add it as `archive_url`.

W815: address or quote never checked
    There is no result for this address (or this quote) to report: the run
    was `--offline` and neither the cache nor the lock has one, or the lock
    records the address as never checked (it was written without network
    access). This is not a pass.

    Fails:

        # citations.lock.json: "status": "unchecked"

    Passes:

        # citations.lock.json: "status": "ok", "content_hash": "sha256:..."

    Fix: run `factbase links --update-lock` with network access (or let the
    scheduled links workflow do it) and commit citations.lock.json.

W816: quote cannot be verified
    The page was fetched, but its text could not be read: an image, a scanned
    PDF with no text layer, or a PDF refused by the reader's limits (a
    damaged file, more pages than it reads, or streams that inflate past its
    cap, as a decompression bomb does). The message gives the reason.

    Fails:

        url: https://example.org/scan.pdf
        quote: any words                  # on a scanned PDF

    Passes:

        url: https://example.org/page.html
        quote: any words                  # in the page's text

    Fix: check the quote by hand; cite an HTML version of the document if
    there is one.

W819: host name could not be resolved: not checked
    The resolver answered that the address's host name does not exist (or
    has no address), so no request was sent. That may be the source's fault
    (a domain that lapsed) or the checking machine's (a broken or filtering
    DNS), so it is a warning and nothing is cached; the lock keeps what an
    earlier run found.

    Fails:

        url: https://www.esa-old-domain.example/Smile     # no such host

    Passes:

        url: https://www.esa.int/Science_Exploration/Space_Science/Smile

    Fix: open the address in a browser; if the domain is gone, update `url`
    or add an `archive_url` and exclude the address in links.yaml with the
    reason; if it opens, the checking machine's DNS failed: run again.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..diagnostics import Diagnostic, sort_key
from .run import Quoted, Results, Use


def diagnose(uses: list[Use], quotes: list[Quoted], results: Results) -> list[Diagnostic]:
    found = [d for use in uses for d in _address(use, results)]
    found += [d for item in quotes for d in _quote(item, results)]
    return sorted(found, key=sort_key)


def _address(use: Use, results: Results) -> Iterator[Diagnostic]:
    outcome = results.outcomes[use.url]
    span = use.source.spans.get(use.field, use.source.span)
    what = f"{use.field} of '{use.source.id}'"
    if outcome.status in ("gone", "loop"):
        yield from _dead(use, span, what, outcome.status, outcome.reason)
    elif outcome.status == "soft":
        yield Diagnostic.at(span, "W811", f"could not confirm the {what}: {use.url} "
                            f"({outcome.reason})", "run again later; open it in a browser")
    elif outcome.status == "unresolved":
        yield Diagnostic.at(span, "W819", f"{outcome.reason}: the {what} was not checked "
                            f"({use.url})", "open it in a browser; if the domain is gone, "
                            "update the address or exclude it in links.yaml")
    elif outcome.status == "unchecked":
        yield Diagnostic.at(span, "W815", f"{what} has not been checked ({outcome.reason})",
                            "run 'factbase links --update-lock' with network access")
    elif outcome.status == "ok" and outcome.moved_to:
        yield Diagnostic.at(span, "W812", f"{what} moved permanently: {use.url}",
                            f"write {outcome.moved_to} instead")


def _dead(use: Use, span, what: str, status: str, reason: str) -> Iterator[Diagnostic]:
    code = "E801" if status == "gone" else "E802"
    yield Diagnostic.at(span, code, f"{what} is dead: {use.url} ({reason})",
                        "find where the document moved, or exclude it in links.yaml "
                        "with the reason")
    if use.field == "url" and not use.source.archive_url:
        yield Diagnostic.at(span, "W814", f"'{use.source.id}' is dead and has no archive_url",
                            "add an archive_url; look for copies at "
                            f"https://web.archive.org/web/*/{use.url}")


def _quote(item: Quoted, results: Results) -> Iterator[Diagnostic]:
    short = item.quote if len(item.quote) <= 60 else item.quote[:57] + "..."
    outcome = results.outcomes.get(item.page) if item.page else None
    if item.verdict == "missing":
        yield Diagnostic.at(item.span, "E803", f"quote not found on {item.page}: '{short}'",
                            "copy the words exactly as the page has them")
    elif item.verdict == "drifted":
        yield Diagnostic.at(item.span, "W813", f"{item.page} changed since it was locked and "
                            f"no longer has the quote '{short}'",
                            "check the page still supports the fact; cite an archive_url copy")
    elif item.verdict == "unverifiable":
        yield Diagnostic.at(item.span, "W816", f"cannot read the text of {item.page} "
                            f"({outcome.reason}) to find '{short}'", "check the quote by hand")
    elif item.verdict == "unknown":
        yield Diagnostic.at(item.span, "W815", f"quote '{short}' has not been checked on "
                            f"{item.page}", "run 'factbase links' with network access")


def notes(uses: list[Use], results: Results) -> list[str]:
    """Information that is not a problem: temporary redirects and exclusions."""
    lines = []
    for url in sorted({use.url for use in uses}):
        outcome = results.outcomes[url]
        if outcome.status == "excluded":
            lines.append(f"excluded: {url} ({outcome.reason})")
        elif outcome.status == "ok" and outcome.final_url not in (url, outcome.moved_to):
            lines.append(f"temporary redirect: {url} -> {outcome.final_url}")
    return lines


def tally(results: Results) -> str:
    counts: dict[str, int] = {}
    for outcome in results.outcomes.values():
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    states = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    return (f"Checked {len(results.outcomes)} addresses ({states}): {results.fetched} "
            f"fetched, {results.cached} from the cache.")
