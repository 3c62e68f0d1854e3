"""The site adapter: the engine (MkDocs) run on the rendered tree, the MkDocs plugin, its
parallel Markdown conversion, page hardening and the internal link check."""
