"""The templates Factbase adds to the site's theme, through the theme's
documented extension points only.

- `theme/` (every theme: MkDocs' own, Material, Zensical): `main.html`, which
  extends the theme's `base.html` and fills its `extrahead` block with
  `factbase/head.html` (link previews and JSON-LD from the page's front matter).
- `theme/material/` (Material for MkDocs only): partials overridden the way
  Material documents ("Overriding partials"), for accessibility fixes and to
  unplug the repository widget's third-party request.

Under MkDocs and ProperDocs the plugin puts these folders on the theme's
search path after the project's own `custom_dir` (so a project's main.html
still wins). Zensical runs no plugins: `factbase render` writes the common
part to `factbase-theme/` beside the docs folder, which its `custom_dir` names.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

THEME = Path(str(files("factbase") / "data" / "theme"))
MATERIAL = THEME / "material"
FOLDER = "factbase-theme"  # beside docs_dir: what `factbase render` writes, for custom_dir


def template_dirs(theme_name: str | None) -> list[Path]:
    """The folders to search before the theme's own, most specific first."""
    return ([MATERIAL] if theme_name == "material" else []) + [THEME]


def with_factbase_dirs(dirs: list[str], theme_name: str | None, custom_dir: str | None) -> list[str]:
    """The theme's search path with Factbase's folders after `custom_dir`."""
    ours = [str(d) for d in template_dirs(theme_name) if str(d) not in dirs]
    at = 1 if custom_dir and dirs and Path(dirs[0]) == Path(custom_dir) else 0
    return dirs[:at] + ours + dirs[at:]


def common_files() -> dict[str, bytes]:
    """The templates every theme gets, by their path in the theme folder."""
    return {p.relative_to(THEME).as_posix(): p.read_bytes()
            for p in sorted(THEME.rglob("*.html")) if MATERIAL not in p.parents}
