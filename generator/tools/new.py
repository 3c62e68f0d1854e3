"""`factbase new source|entity|fact`: add one record to the right file.

Values come from options, from prompts on a terminal, or one a line from
piped standard input. Each value is checked as it is given, by the readers
the loader uses for the field's kind and against what the base declares (its
types, source kinds, properties, entities and sources): a bad answer is asked
again with the reason, keeping every earlier answer. The record gets a unique
id, is appended with ruamel.yaml's round trip (every comment and the rest of
the file untouched), and the whole base is checked at once: if the new record
brings errors, the file is restored (`writeback`) and the errors are shown.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..config import ConfigError
from ..diagnostics import did_you_mean
from ..model import FactBase, Status
from ..values import typed_value
from ..checks.duplicate_sources import holder
from .writeback import Edit
from ..loading.schema import (
    CITATION_FIELDS, ENTITY_FIELDS, FACT_FIELDS, MAX_QUOTE_CHARS, READERS, SOURCE_FIELDS, FieldError, slugify,
)
if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DATE_FORMAT = "YYYY, YYYY-MM or YYYY-MM-DD"
LISTED = 12          # choices shown in the question itself; longer lists on '?'
TAKES = {"entity": "an entity id", "date": f"a date: {DATE_FORMAT}", "quantity": "a number",
         "text": "text", "boolean": "true or false"}

# The schema's fields of each kind of record: the kinds their answers are read as.
FIELDS = {kind: {f.name: f for f in fields} for kind, fields in (
    ("source", SOURCE_FIELDS), ("entity", ENTITY_FIELDS),
    ("fact", FACT_FIELDS + CITATION_FIELDS), ("cite", CITATION_FIELDS))}


@dataclass(frozen=True)
class Prompt:
    name: str            # the record's field
    question: str        # also the option's help text
    required: bool = True
    metavar: str = "TEXT"
    help: str = ""       # the option's help, where it says more than the question


PROMPTS: dict[str, tuple[Prompt, ...]] = {
    "source": (
        Prompt("title", "Title of the document"),
        Prompt("publisher", "Publisher (entity id, e.g. esa)", metavar="ID"),
        Prompt("url", "Address (https://…)", metavar="URL"),
        Prompt("kind", "Kind", metavar="KIND",
               help="Kind of document: a source kind declared in facts/properties"),
        Prompt("published", f"Publication date ({DATE_FORMAT})", False, "DATE"),
        Prompt("note", "Note (how you found it)", False),
    ),
    "entity": (
        Prompt("type", "Type", metavar="TYPE",
               help="Type: an entity type declared in facts/properties"),
        Prompt("name", "Name", help="Name, as the entity's page shows it"),
        Prompt("summary", "One-sentence summary in your own words", False),
    ),
    "fact": (
        Prompt("subject", "Subject (entity id)", metavar="ID"),
        Prompt("property", "Property (id from facts/properties)", metavar="ID"),
        Prompt("object", "Object (entity id, for properties that link two entities)", False,
               "ID"),
        Prompt("value", "Value (date, number, text or true/false, as the property takes)",
               False, "VALUE"),
        Prompt("statement", "Statement in your own words", False),
        Prompt("as_of", f"As of: the date the source said it ({DATE_FORMAT})", False, "DATE"),
        Prompt("status", "Status", False, "STATUS",
               help="Status: current (the default), superseded or disputed"),
        Prompt("source", "Source id", metavar="ID",
               help="Source id: the document that says it (see facts/sources)"),
        Prompt("locator", "Where in the source (section, paragraph, caption, page)"),
        Prompt("quote", f"Short exact quote (at most {MAX_QUOTE_CHARS} characters)", False),
    ),
}
PROMPTS["cite"] = PROMPTS["fact"][-3:]   # `factbase cite`: source, locator, quote


@dataclass
class Draft:
    kind: str
    values: dict[str, Any] = field(default_factory=dict)
    cited: frozenset[tuple[str, str]] = frozenset()  # `cite`: the fact's (source, locator)s

    def missing(self, base: FactBase | None = None) -> list[str]:
        needed = [p.name for p in PROMPTS[self.kind]
                  if required(self, p, base) and applies(self, p.name, base)]
        if self.kind == "fact" and not self.values.get("object") and not self.values.get("value") \
                and "object" not in needed and "value" not in needed:
            needed.append("object or value")
        return [n for n in needed if not self.values.get(n)]


class Invalid(ValueError):
    """An answer that does not fit its field: the reason, to show before asking again."""


def _prop(draft: Draft, base: FactBase | None):
    return base.properties.get(draft.values.get("property", "")) if base else None


def applies(draft: Draft, name: str, base: FactBase | None) -> bool:
    """Whether a fact's object or value is asked: a property that links two
    entities takes an object, any other a value."""
    prop = _prop(draft, base)
    if name == "object":
        return prop is None or prop.value_type == "entity"
    if name == "value":
        return not draft.values.get("object") and (prop is None or prop.value_type != "entity")
    return True


def required(draft: Draft, prompt: Prompt, base: FactBase | None) -> bool:
    return prompt.required or (prompt.name in ("object", "value") and _prop(draft, base) is not None)


def choices(draft: Draft, name: str, base: FactBase) -> tuple[str, ...] | None:
    """What the base declares an answer must be one of (None: any text)."""
    values, entities = draft.values, base.entities
    if name in ("publisher", "subject"):
        return tuple(entities)
    if name == "object":
        prop = _prop(draft, base)
        wanted = prop.object_types if prop else ()
        return tuple(e.id for e in entities.values() if not wanted or e.type in wanted)
    if name == "property":
        subject = entities.get(values.get("subject", ""))
        return tuple(p.id for p in base.properties.values()
                     if not (subject and p.subject_types) or subject.type in p.subject_types)
    return {"kind": lambda: tuple(base.source_kinds), "type": lambda: tuple(base.section_of_type()),
            "source": lambda: tuple(base.sources), "status": lambda: tuple(s.value for s in Status),
            }.get(name, lambda: None)()


WHAT = {"publisher": "entity", "subject": "entity", "object": "entity", "kind": "source kind",
        "type": "type", "property": "property", "source": "source", "status": "status"}


def check_answer(draft: Draft, name: str, text: str, base: FactBase) -> None:
    """Raise Invalid if `text` cannot be the field's value: read as the
    loader reads the field's kind, then looked up in what the base declares."""
    spec = FIELDS[draft.kind][name]
    try:
        if name == "value":
            prop = _prop(draft, base)
            if prop is not None:
                typed = _typed("value", text, prop)  # as it is written, then read as loaded
                typed_value(typed.isoformat() if isinstance(typed, dt.date) else typed,
                            prop.value_type)
        else:
            READERS[spec.kind](text, spec)
    except FieldError as err:
        raise Invalid(err.message + (f" ({err.hint})" if err.hint else "")) from None
    known = choices(draft, name, base)
    if known is not None and text not in known:
        raise Invalid(_unknown(draft, name, text, known, base))
    if name == "locator" and (draft.values.get("source"), text) in draft.cited:
        raise Invalid(f"the fact already cites '{draft.values['source']}' at {text!r}")
    if name == "url" and (held := holder(text, base.sources.values())):
        raise Invalid(f"source '{held}' already has this address: cite it "
                      f"(factbase cite FACT --source {held} --locator TEXT) rather than adding "
                      "a second record")


def _unknown(draft: Draft, name: str, text: str, known: tuple[str, ...], base: FactBase) -> str:
    subject = base.entities.get(draft.values.get("subject", ""))
    if name == "property" and text in base.properties and subject:
        why = f"'{text}' does not apply to {subject.type} '{subject.id}'"
    elif name == "object" and text in base.entities:
        why = f"'{text}' is a {base.entities[text].type}, not one the property links to"
    else:
        hint = did_you_mean(text, known)
        why = f"unknown {WHAT[name]} '{text}'" + (f"; {hint}" if hint else "")
        if hint and len(known) > LISTED:   # the likely answer is named: no count to wade through
            return why
    return why + ("" if why.endswith("?") else ";") + " " + listing(known)


def listing(known: tuple[str, ...]) -> str:
    if not known:
        return "the base has none that fits"
    if len(known) <= LISTED:
        return "choose from: " + ", ".join(known)
    return f"one of {len(known)} known ids (at a prompt, ? lists them)"


def question(draft: Draft, prompt: Prompt, base: FactBase) -> str:
    text = prompt.question
    prop = _prop(draft, base)
    if prompt.name == "value" and prop is not None:
        unit = f" in {prop.unit}" if prop.unit and prop.value_type == "quantity" else ""
        text = f"Value ({TAKES[prop.value_type]}{unit})"
    known = choices(draft, prompt.name, base)
    if known and len(known) <= LISTED:
        text += f" [{', '.join(known)}]"
    return text + ("" if required(draft, prompt, base) else " (optional)") + ": "


class Answers:
    """Answers typed at a terminal (Tab completes the choices) or piped, one a line."""

    def __init__(self, stdin: TextIO | None = None, err: TextIO | None = None):
        self.stdin, self.err = stdin or sys.stdin, err or sys.stderr
        self.tty = self.stdin is not None and self.stdin.isatty()

    def read(self, question: str, options: tuple[str, ...] = ()) -> str:
        """One answer; EOFError when the input ends (Ctrl-D, or the end of a pipe)."""
        if self.tty:
            _complete(options)
            return input(question)
        self.err.write(question)
        self.err.flush()
        try:
            line = self.stdin.readline() if self.stdin is not None else ""
        except (OSError, ValueError):  # stdin closed or not readable: no answers
            line = ""
        if not line:
            self.err.write("\n")
            raise EOFError
        self.err.write(line if line.endswith("\n") else line + "\n")  # the transcript reads whole
        return line.rstrip("\r\n")

    def say(self, text: str) -> None:
        print(text, file=self.err)


def _complete(options: tuple[str, ...]) -> None:
    try:
        import readline  # not on every platform; completion is a convenience
    except ImportError:
        return
    readline.set_completer(lambda text, state: (
        [o for o in options if o.startswith(text)] + [None])[state])
    readline.set_completer_delims(" \t\n")
    bind = "bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete"
    readline.parse_and_bind(bind)


def ask(draft: Draft, answers: Answers, base: FactBase) -> None:
    """Ask for every field not given as an option, checking each answer as
    it comes; an empty answer skips an optional field. Input that ends
    before the required fields are answered writes nothing."""
    if answers.tty:
        answers.say("Tab completes ids, ? lists the choices, Ctrl-D stops without writing.")
    try:
        for prompt in PROMPTS[draft.kind]:
            if prompt.name not in draft.values and applies(draft, prompt.name, base):
                _ask_one(draft, prompt, answers, base)
    except EOFError:
        raise ConfigError("missing " + ", ".join(draft.missing(base)) + ": the input ended "
                          "before they were answered (give them as options, pipe one answer "
                          "a line, or run in a terminal); nothing was written") from None


def _ask_one(draft: Draft, prompt: Prompt, answers: Answers, base: FactBase) -> None:
    while True:
        known = choices(draft, prompt.name, base) or ()
        text = answers.read(question(draft, prompt, base), known).strip()
        if text == "?" and known:
            answers.say("  " + ", ".join(known))
            continue
        if not text:
            if not required(draft, prompt, base):
                return
            answers.say(f"  {prompt.name} is required")
            continue
        try:
            check_answer(draft, prompt.name, text, base)
        except Invalid as err:
            answers.say(f"  {err}")
            continue
        draft.values[prompt.name] = text
        return


def check_options(draft: Draft, base: FactBase) -> list[str]:
    """What is wrong with the values given as options, one line per option."""
    problems = []
    for name, text in draft.values.items():
        if name in FIELDS[draft.kind] and name != "id":
            try:
                check_answer(draft, name, text, base)
            except Invalid as err:
                problems.append(f"--{name.replace('_', '-')} {text!r}: {err}")
    ident = draft.values.get("id")
    if ident and (ident in taken(base) or _not_an_id(ident)):
        problems.append(f"--id {ident!r}: " + (_not_an_id(ident) or "that id is taken"))
    return problems


def _not_an_id(ident: str) -> str | None:
    try:
        READERS["id"](ident, FIELDS["source"]["id"])
    except FieldError as err:
        return err.message + (f" ({err.hint})" if err.hint else "")
    return None


def taken(base: FactBase) -> set[str]:
    return set(base.sources) | set(base.entities) | set(base.properties) | set(base.facts) \
        | set(base.rules)


def unique_id(wanted: str, base: FactBase) -> str:
    used = taken(base)
    ident, n = wanted, 2
    while ident in used:
        ident, n = f"{wanted}-{n}", n + 1
    return ident


def propose_id(draft: Draft, base: FactBase) -> str:
    v = draft.values
    wanted = {"source": lambda: f"{v['publisher']} {_first_words(v['title'], 4)}",
              "entity": lambda: v["name"],
              "fact": lambda: f"{v['subject']} {v['property']}"}[draft.kind]()
    return unique_id(_short(slugify(wanted), 48) or draft.kind, base)


def _first_words(text: str, n: int) -> str:
    return " ".join(re.findall(r"[A-Za-z0-9]+", text)[:n])


def _short(slug: str, limit: int) -> str:
    """At most `limit` characters, cut at a hyphen rather than inside a word."""
    return slug if len(slug) <= limit else slug[:limit].rsplit("-", 1)[0]


def target_file(draft: Draft, base: FactBase, facts_dir: Path, root: Path) -> Path:
    """The file a record of this kind belongs in, by the base's own conventions:
    the subject's claims file, the publisher's sources file, the file that
    already holds most entities of the type."""
    v = draft.values
    if draft.kind == "fact":
        known = {f.subject: f.span.path for f in base.facts.values()}.get(v["subject"])
        if known and _file_subject(root / known) == v["subject"]:
            return root / known
        return facts_dir / "claims" / f"{v['subject']}.yaml"
    if draft.kind == "source":
        same = [s.span.path for s in base.sources.values() if s.publisher == v["publisher"]]
        if same:
            return root / max(sorted(set(same)), key=same.count)
        return facts_dir / "sources" / f"{v['publisher']}.yaml"
    same_type = [e.span.path for e in base.entities.values() if e.type == v["type"]]
    if same_type:
        return root / max(sorted(set(same_type)), key=same_type.count)
    return facts_dir / "entities" / f"{v['type']}.yaml"


def record(draft: Draft, base: FactBase) -> CommentedMap:
    """The new record, keys in the canonical order, values typed for YAML."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq  # only when writing
    v = draft.values
    if draft.kind != "fact":
        keys = ("id", "title", "publisher", "url", "kind", "published", "note") \
            if draft.kind == "source" else ("id", "type", "name", "summary")
        return CommentedMap((k, _typed(k, v[k], None)) for k in keys if v.get(k))
    prop = base.properties.get(v["property"])
    fact = CommentedMap((k, _typed(k, v[k], prop)) for k in
                        ("id", "property", "object", "value", "statement", "as_of", "status")
                        if v.get(k))
    citation = CommentedMap((k, v[k]) for k in ("source", "locator", "quote") if v.get(k))
    fact["cite"] = CommentedSeq([citation])
    return fact


def _typed(name: str, value: Any, prop) -> Any:
    text = str(value)
    if name in ("published", "as_of") or (name == "value" and prop and prop.value_type == "date"):
        if _FULL_DATE.match(text):
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return text
        return int(text) if text.isdigit() and str(int(text)) == text else text
    if name == "value" and prop and prop.value_type == "quantity":
        try:
            number = int(text) if text.lstrip("-").isdigit() else float(text)
            return number if str(number) == text else text  # '007' stays as written
        except ValueError:
            return text
    if name == "value" and prop and prop.value_type == "boolean":
        return {"true": True, "false": False}.get(text.lower(), text)
    return text


def append(path: Path, draft: Draft, new: CommentedMap) -> Edit:
    """The file with the record added (created if need be), not yet written."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from . import yamlwrite  # ruamel.yaml: imported on use, so `check` starts fast
    folder = {"source": "sources", "entity": "entities", "fact": "claims"}[draft.kind]
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    data = yamlwrite.load(old) if old else None
    if data is None:
        data = CommentedMap()
        if draft.kind == "fact":
            data["subject"] = draft.values["subject"]
        data[yamlwrite.list_key(folder)] = CommentedSeq()
    items = data[yamlwrite.list_key(folder)]
    yamlwrite.append_item(items, new)
    if len(items) > 1:
        items.yaml_set_comment_before_after_key(len(items) - 1, before="\n")
    text = yamlwrite.dump(data)
    if old is None:
        text = yamlwrite.SCHEMA_LINE.format(folder=folder) + "\n" + text
    return Edit(path, old, text)


def _file_subject(path: Path) -> str | None:
    if not path.is_file():
        return None
    match = re.search(r"^subject:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None
