"""``python -m matrix.schemas [--check]``: regenerate (or check) the evidence-format JSON Schemas."""

import sys

from . import main

sys.exit(main())
