"""A small port of how GitHub's runner finds workflow commands in a job's log
(actions/runner, src/Runner.Common/ActionCommand.cs: TryParseV2, then the
older TryParse), so tests can ask what a log line would make the runner do.

- `::name props::data`: the line, with its leading white space trimmed,
  starts with `::`; the name runs to the first space or to the next `::`.
- `##[name props]data`: anywhere in the line; the name runs from the first
  `##[` to a space or to the first `]` after it.

A name counts only if the runner knows it (COMMANDS)."""

from __future__ import annotations

from dataclasses import dataclass

COMMANDS = {"error", "warning", "notice", "debug", "group", "endgroup", "add-mask",
            "stop-commands", "set-output", "set-env", "add-path", "save-state", "echo",
            "add-matcher", "remove-matcher", "internal-set-repo-path"}


@dataclass(frozen=True)
class Command:
    name: str
    properties: dict
    data: str
    legacy: bool        # the `##[` form


def parse(line: str) -> Command | None:
    return _v2(line) or _v1(line)


def commands(log: str) -> list[Command]:
    """Every command the runner would obey in this output, line by line."""
    return [c for line in log.splitlines() if (c := parse(line)) is not None]


def _v2(line: str) -> Command | None:
    message = line.lstrip()
    if not message.startswith("::"):
        return None
    end = message.find("::", 2)
    if end < 0:
        return None
    info = message[2:end]
    name, _, props = info.partition(" ")
    if name.lower() not in COMMANDS:
        return None
    properties = {}
    for pair in filter(None, props.strip().split(",")):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            properties[key] = _unescape(value)
    return Command(name.lower(), properties, _unescape(message[end + 2:]), legacy=False)


def _v1(line: str) -> Command | None:
    start = line.find("##[")
    if start < 0:
        return None
    close = line.find("]", start)
    if close < 0:
        return None
    info = line[start + 3:close]
    name, _, props = info.partition(" ")
    if name.lower() not in COMMANDS:
        return None
    properties = {}
    for pair in filter(None, props.strip().split(";")):
        key, sep, value = pair.partition("=")
        if sep and key and value:
            properties[key] = value
    return Command(name.lower(), properties, line[close + 1:], legacy=True)


def _unescape(value: str) -> str:
    for token, text in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(token, text)
    return value
