"""`factbase new source|entity|fact`: add one record to the right file.

Values come from flags, or from prompts on a terminal. The record gets a
unique id, is appended with ruamel.yaml's round trip (every comment and the
rest of the file untouched), and the base is checked at once: if the new
record has errors, the file is restored and the errors are shown.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from ..model import FactBase
from ..loading.schema import slugify
if TYPE_CHECKING:
    from ruamel.yaml.comments import CommentedMap

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Prompt:
    name: str            # the record's field
    question: str
    required: bool = True
    choices: str = ""    # what the base declares that answers must be: "types", "source_kinds"

    def options(self, base: FactBase) -> tuple[str, ...]:
        """The declared values to offer (a base declares its own types and kinds)."""
        if self.choices == "types":
            return tuple(base.section_of_type())
        return tuple(getattr(base, self.choices)) if self.choices else ()


PROMPTS: dict[str, tuple[Prompt, ...]] = {
    "source": (
        Prompt("title", "Title of the document"),
        Prompt("publisher", "Publisher (entity id, e.g. esa)"),
        Prompt("url", "Address (https://…)"),
        Prompt("kind", "Kind", choices="source_kinds"),
        Prompt("published", "Publication date (YYYY-MM-DD, YYYY-MM or YYYY)", False),
        Prompt("note", "Note (how you found it)", False),
    ),
    "entity": (
        Prompt("type", "Type", choices="types"),
        Prompt("name", "Name"),
        Prompt("summary", "One-sentence summary in your own words", False),
    ),
    "fact": (
        Prompt("subject", "Subject (entity id)"),
        Prompt("property", "Property (id from facts/properties)"),
        Prompt("object", "Object (entity id; leave empty to give a value instead)", False),
        Prompt("value", "Value (date, number, text or true/false)", False),
        Prompt("statement", "Statement in your own words", False),
        Prompt("as_of", "As of (date the source said it)", False),
        Prompt("source", "Source id"),
        Prompt("locator", "Where in the source (section, paragraph, caption, page)"),
        Prompt("quote", "Short exact quote (optional)", False),
    ),
}


@dataclass
class Draft:
    kind: str
    values: dict[str, Any] = field(default_factory=dict)

    def missing(self) -> list[str]:
        needed = [p.name for p in PROMPTS[self.kind] if p.required]
        if self.kind == "fact" and not self.values.get("object") and not self.values.get("value"):
            needed.append("object or value")
        return [n for n in needed if not self.values.get(n)]


def ask(draft: Draft, read: Callable[[str], str], base: FactBase) -> None:
    """Prompt for every field not given as a flag (empty answers skip optional ones)."""
    for prompt in PROMPTS[draft.kind]:
        if draft.values.get(prompt.name) or (prompt.name == "value" and draft.values.get("object")):
            continue
        options = prompt.options(base)
        hint = f" [{', '.join(options)}]" if options else ""
        answer = read(f"{prompt.question}{hint}: ").strip()
        while prompt.required and not answer:
            answer = read(f"{prompt.question} (required){hint}: ").strip()
        if answer:
            draft.values[prompt.name] = answer


def unique_id(wanted: str, base: FactBase) -> str:
    taken = set(base.sources) | set(base.entities) | set(base.properties) | set(base.facts) \
        | set(base.rules)
    ident, n = wanted, 2
    while ident in taken:
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
                        ("id", "property", "object", "value", "statement", "as_of") if v.get(k))
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


def append(path: Path, draft: Draft, new: CommentedMap) -> str | None:
    """Add the record to the file (created if need be); returns the old text."""
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
    items.append(new)
    if len(items) > 1:
        items.yaml_set_comment_before_after_key(len(items) - 1, before="\n")
    text = yamlwrite.dump(data)
    if old is None:
        text = yamlwrite.SCHEMA_LINE.format(folder=folder) + "\n" + text
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return old


def _file_subject(path: Path) -> str | None:
    if not path.is_file():
        return None
    match = re.search(r"^subject:\s*(\S+)", path.read_text(encoding="utf-8"), re.M)
    return match.group(1) if match else None
