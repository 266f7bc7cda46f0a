"""``python -m fichotheque``: the same as the ``fichotheque`` command."""

import sys

from .cli import main

sys.exit(main())
