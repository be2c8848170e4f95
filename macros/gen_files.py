"""mkdocs-gen-files script: writes the files the engine generated for this build.

``macros.define_env`` (mkdocs-macros' ``on_config``, which runs before any ``on_files``) asks the
engine for ``{path under docs/: content}`` (family pages, their nav, the JSON exports) and puts
it in ``config.extra.agno_files``; this script writes each one into the build. Nav files are
read by mkdocs-literate-nav and excluded from the published pages.
"""

from __future__ import annotations

import mkdocs_gen_files
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import InclusionLevel

from matrix.render.site import NAV_FILES

files = mkdocs_gen_files.config.extra.get("agno_files")
if files is None:
    raise PluginError("agno-docs: no generated files: list the `macros` plugin (module_name: macros) "
                      "before `gen-files` in mkdocs.yml")
for path, content in files.items():
    with mkdocs_gen_files.open(path, "w") as f:
        f.write(content)
for path in NAV_FILES:
    mkdocs_gen_files.files.get_file_from_path(path).inclusion = InclusionLevel.EXCLUDED
