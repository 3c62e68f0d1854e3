"""Docs that run: every command the contributor docs show is run, and prints what they say.

The convention, for every ```console block of site_src/contributing.md and
CONTRIBUTING.md (a comment at the top of site_src/contributing.md repeats it):

- A line starting with `$ ` is a command. The lines after it, up to the next
  `$ ` line or the end of the block, are what it prints (stdout and stderr, as
  a terminal shows them). Blank lines and trailing spaces are not compared.
- Commands run in order, through `sh`, under a pseudo-terminal (as the reader
  types them), in one fresh copy of the shipped project per document, with
  `.venv/bin/factbase` and `factbase` both the installed command.
- A line the command leaves unfinished while it waits for input is a prompt: it
  is answered with the rest of the stated line (`Title of the document: SMILE`
  answers the prompt `Title of the document: ` with `SMILE`). Prompt lines are
  stated literally.
- `...` in an output line stands for any text on that line (a timing, a count,
  a line number that moves as the base grows); a line that is only `...`
  stands for any number of lines.
- Commands that cannot run in a test (`git push`, `make site`, which installs
  from the network, opening a browser, a server that does not stop) go in a
  ```sh or ```text block instead: the rule stays simple, every ```console
  block runs.
"""

from __future__ import annotations

import os
import re
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import REPO, copy_project

DOCS = [REPO / "site_src" / "contributing.md", REPO / "CONTRIBUTING.md"]
# What a contributor's checkout has besides the code: the fact base and what builds the site.
ELLIPSIS = "..."
PROMPT_WAIT = 0.3     # seconds of silence after which an unfinished line is a prompt
COMMAND_TIMEOUT = 300


@dataclass
class Example:
    path: Path
    line: int                      # the command's line in the document (1-based)
    command: str
    output: list[tuple[int, str]] = field(default_factory=list)  # (line, text), blanks left out

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def examples(path: Path) -> list[Example]:
    """Every command of every ```console block, with the output the document states."""
    found: list[Example] = []
    in_block, in_console, block_start, indent = False, False, 0, ""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        fence = re.match(r"^(\s*)```(\S*)", line)
        if fence:
            in_block, block_start, indent = not in_block, number, fence.group(1)
            in_console = in_block and fence.group(2) == "console"
            continue
        line = line.removeprefix(indent)  # a block inside a list item is indented with it
        if in_console and line.startswith("$ "):
            found.append(Example(path, number, line[2:].strip()))
        elif in_console and line.strip():
            if not found or found[-1].line < block_start:
                raise ValueError(f"{path}:{number}: output before any '$ ' command in the block")
            found[-1].output.append((number, line.rstrip()))
    return found


# ---- running one command as a reader would: at a terminal, answering its prompts ----

def run(example: Example, cwd: Path, env: dict[str, str]) -> tuple[str, str | None]:
    """The command's output as a terminal shows it, and a problem if it asked
    something the document does not answer (or never finished)."""
    master, slave = os.openpty()
    proc = subprocess.Popen(["sh", "-c", example.command], cwd=cwd, env=env, stdin=slave,
                            stdout=slave, stderr=slave, start_new_session=True)
    os.close(slave)
    output, problem, cursor = b"", None, 0
    deadline = time.monotonic() + COMMAND_TIMEOUT
    try:
        while True:
            if time.monotonic() > deadline:
                problem = f"did not finish within {COMMAND_TIMEOUT} s"
                break
            ready, _, _ = select.select([master], [], [], PROMPT_WAIT)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:  # the terminal closed: every process using it has ended
                    break
                if not chunk:
                    break
                output += chunk
                continue
            unfinished = _text(output).rpartition("\n")[2]
            if proc.poll() is not None or not unfinished.strip():
                continue
            answer, cursor = _answer(unfinished, example.output, cursor)
            if answer is None:
                problem = f"waits for an answer to {unfinished.strip()!r}, which the document does not give"
                break
            os.write(master, answer.encode() + b"\n")
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        os.close(master)
    return _text(output), problem


def _text(output: bytes) -> str:
    return output.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _answer(prompt: str, stated: list[tuple[int, str]], cursor: int) -> tuple[str | None, int]:
    """The rest of the first stated line (from `cursor` on) that begins with the prompt."""
    asked = prompt.rstrip()
    for index in range(cursor, len(stated)):
        text = stated[index][1]
        if text.startswith(asked):
            return text[len(asked):].strip(), index + 1
    return None, cursor


# ---- comparing: exact lines, with `...` for the parts that vary ----

def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in text.split(ELLIPSIS)))


def matches(stated: list[str], actual: list[str]) -> bool:
    if not stated:
        return not actual
    if stated[0] == ELLIPSIS:  # any number of lines
        return any(matches(stated[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and bool(_pattern(stated[0]).fullmatch(actual[0])) \
        and matches(stated[1:], actual[1:])


def mismatch(example: Example, actual_text: str) -> str | None:
    """None if the output is what the document states; else where and how it differs."""
    actual = [line.rstrip() for line in actual_text.splitlines() if line.strip()]
    stated = [text for _, text in example.output]
    if matches(stated, actual):
        return None
    where = _first_difference(example, actual)
    return (f"{where}: `{example.command}` prints something else than the document says\n"
            "--- the document says:\n" + "\n".join(stated) +
            "\n--- the command printed:\n" + "\n".join(actual))


def _first_difference(example: Example, actual: list[str]) -> str:
    """The document line where the output stops matching (line by line, for the message)."""
    position = 0
    for line, text in example.output:
        if text == ELLIPSIS:
            return f"{example.path}:{line}"  # past a free run of lines: no single culprit
        if position >= len(actual) or not _pattern(text).fullmatch(actual[position]):
            return f"{example.path}:{line}"
        position += 1
    return f"{example.path}:{example.output[-1][0] + 1 if example.output else example.line}"


# ---- a fresh project, and running a whole document in it ----

def fresh_project(target: Path) -> Path:
    """A copy of the shipped project, with `.venv/bin/factbase` the installed command."""
    copy_project(target)
    installed = Path(sys.executable).with_name("factbase")
    assert installed.exists(), f"{installed} is missing: install the package (make .venv/bin/factbase)"
    (target / ".venv" / "bin").mkdir(parents=True)
    (target / ".venv" / "bin" / "factbase").symlink_to(installed)
    return target


def run_document(path: Path, project: Path) -> list[str]:
    """Run every command of the document in order; one message per wrong output."""
    env = dict(os.environ, PATH=f"{project / '.venv' / 'bin'}{os.pathsep}{os.environ['PATH']}",
               TERM="dumb", NO_COLOR="1", COLUMNS="200")
    env.pop("CI", None)
    problems = []
    for example in examples(path):
        output, problem = run(example, project, env)
        if problem:
            problems.append(f"{example.where}: `{example.command}` {problem}\n{output}")
            break  # the rest of the document builds on this command
        wrong = mismatch(example, output)
        if wrong:
            problems.append(wrong)
    return problems


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_console_command_prints_what_the_doc_says(doc, tmp_path):
    assert examples(doc), f"{doc} shows no ```console commands"
    problems = run_document(doc, fresh_project(tmp_path / "project"))
    assert not problems, "\n\n".join(problems)


# ---- the runner itself: it finds wrong output, and says where ----

SNIPPET = """\
# A page

```sh
git push   # not run: not a console block
```

```console
$ factbase explain E302
E302 (error): unknown source
...
$ factbase check
All checks passed (1000 files).
```
"""


def test_runner_reports_a_wrong_output_with_the_docs_file_and_line(tmp_path):
    doc = tmp_path / "snippet.md"
    doc.write_text(SNIPPET, encoding="utf-8")
    assert [(e.line, e.command) for e in examples(doc)] == [
        (8, "factbase explain E302"), (11, "factbase check")]
    problems = run_document(doc, fresh_project(tmp_path / "project"))
    assert len(problems) == 1, problems  # explain's first line and the ellipsis are right
    assert problems[0].startswith(f"{doc}:12: `factbase check` prints something else")
    assert "All checks passed (" in problems[0].split("--- the command printed:")[1]


def test_runner_answers_prompts_from_the_doc_and_stops_at_an_unanswered_one(tmp_path):
    doc = tmp_path / "prompts.md"
    doc.write_text("```console\n"
                   "$ read -p 'Name: ' name; echo \"hello $name\"\n"
                   "Name: Ada\nhello Ada\n"
                   "$ read -p 'Other: ' x; echo done\n"
                   "done\n```\n", encoding="utf-8")
    problems = run_document(doc, fresh_project(tmp_path / "project"))
    assert len(problems) == 1 and problems[0].startswith(f"{doc}:5: ")
    assert "waits for an answer to 'Other:'" in problems[0]


@pytest.mark.parametrize(("stated", "actual", "same"), [
    (["a ... c"], ["a b c"], True),
    (["a ... c"], ["a b d"], False),
    (["x", "...", "y"], ["x", "1", "2", "y"], True),
    (["x", "...", "y"], ["x", "y"], True),
    (["x", "...", "y"], ["x", "1"], False),
    (["x"], ["x", "extra"], False),
    (["a.b"], ["axb"], False),       # only `...` is special: the rest is literal
])
def test_ellipsis(stated, actual, same):
    assert matches(stated, actual) is same


# ---- the commands the docs mention in their prose exist, with the options they name ----

MENTION = re.compile(r"factbase ([a-z]+)((?: [^`\n]*)?)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_commands_the_prose_mentions_exist_with_their_options(doc):
    """`factbase explain CODE`, `factbase new fact --subject …` in running text: each
    command has a --help, and each --option named after it is in that help."""
    from factbase.cli import build_parser
    commands = {name: parser for action in build_parser()._subparsers._group_actions
                for name, parser in action.choices.items()}
    mentions = [m for m in MENTION.finditer(doc.read_text(encoding="utf-8"))]
    assert mentions
    for m in mentions:
        assert m.group(1) in commands, f"{doc}: `factbase {m.group(1)}` is not a command"
        parser, words = commands[m.group(1)], m.group(2).split()
        if parser._subparsers and words:   # `factbase new fact --subject …`: its own options
            kinds = {name: sub for action in parser._subparsers._group_actions
                     for name, sub in action.choices.items()}
            parser = kinds.get(words[0], parser)
        helped = parser.format_help()
        for option in re.findall(r"(?<![\w-])--[a-z][a-z-]*", m.group(2)):
            assert option in helped, f"{doc}: `factbase {m.group(0)[:40]}…` has no {option}"
