"""Output escaped for the program that reads it.

Fact text, file names and what remote servers send arrive in pull requests
and web pages, and factbase's output is read by a terminal, by GitHub's
runner (every line of a job's log), by Markdown (job summaries, the link
check's pull request body) and by spreadsheets (the CSV exports). Each
reader obeys something the others only show, so each has one function here,
and every command's output passes through the right one:

- `terminal`: no control character reaches a terminal (an ESC sequence
  could rewrite the screen, a line break start a forged diagnostic line),
  nor one that reorders or hides text (bidi controls, zero-width spaces).
  Each is shown as an escape such as \\x1b or \\u202e.
- `log`: a line of a GitHub Actions log. The runner obeys `::command::` at
  the start of a line (after spaces) and the older `##[command]` anywhere in
  it (actions/runner, ActionCommand.TryParseV2 and TryParse), so both are
  broken up, visibly: the colon or hash that would start one is written as
  \\x3a or \\x23. A line that would close a Markdown code fence (``` or ~~~
  at its start) is broken up the same way, so a report shown in a fenced
  block of a job summary or pull request body stays inside it, and nothing
  in it can open a link, an image or HTML.
- `csv_cell`: a cell a spreadsheet would run as a formula (starting with
  `=`, `+`, `-`, `@`, tab or carriage return) gets a leading `'`, as the
  OWASP guidance on CSV injection describes.
"""

from __future__ import annotations

import re

# What a terminal would obey rather than show, what reorders or hides text,
# and what cannot be encoded at all (lone surrogates, as in an undecodable
# file name).
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e"
                         "\u2060-\u2069\ufeff\ud800-\udfff]")
_UNSHOWABLE_KEEPING_LINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f"
                                       "\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")
# `::` opening a line (after spaces: the runner trims them), and a code fence
# (up to three spaces, then three backticks or tildes) closing a fenced block.
_LINE_COMMAND = re.compile(r"^([ \t]*):(?=:)", re.MULTILINE)
_FENCE = re.compile(r"^( {0,3})([`~])(?=\2\2)", re.MULTILINE)
_OLD_COMMAND = "##["
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _escaped(match: re.Match) -> str:
    return ascii(match[0])[1:-1]


def terminal(text: str) -> str:
    """One line safe to print: every unshowable character (line breaks
    included) as an escape like \\x1b, \\n or \\u202e."""
    return _UNSHOWABLE.sub(_escaped, text)


def log(text: str) -> str:
    """Text safe as lines of a GitHub Actions log and inside a Markdown code
    fence: `terminal` within each line (the line breaks kept), and no
    workflow command nor fence the runner or Markdown would obey."""
    text = _UNSHOWABLE_KEEPING_LINES.sub(_escaped, text)
    text = text.replace(_OLD_COMMAND, "#\\x23[")
    text = _LINE_COMMAND.sub(lambda m: m[1] + "\\x3a", text)
    return _FENCE.sub(lambda m: m[1] + ("\\x60" if m[2] == "`" else "\\x7e"), text)


def line(text: str) -> str:
    """One line of output read by people and by the runner: `terminal`, then `log`."""
    return log(terminal(text))


def csv_cell(value: str) -> str:
    """A CSV cell no spreadsheet runs as a formula (OWASP, CSV injection)."""
    return "'" + value if value.startswith(FORMULA_START) else value
