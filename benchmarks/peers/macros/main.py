"""mkdocs-macros module of the benchmark peer: load the facts, grouped per entity,
once per build (json is the fastest loader a macros user would pick)."""

import json
from pathlib import Path


def define_env(env):
    data = json.loads((Path(env.project_dir) / "data" / "entities.json").read_text("utf-8"))
    env.variables.update(data)
