"""Every limit on what a knowledge base may hold, declared once.

The checks and their messages read these constants; the guide and the README state
them, and a test compares the two, so that the docs never promise another number.
"""

from __future__ import annotations

# A fiche file is stat-ed before it is read: a larger one is reported, never read or
# parsed, so that checking a 20 MB file costs no more than checking a small one.
MAX_FICHE_BYTES = 1_000_000

# The summary is repeated in every list, the search results, the page's description
# for search engines and the open data: a long one would be copied many times.
MAX_SUMMARY_CHARS = 1_000

# Any other single text of a front matter or of taxonomy.yml and glossary.yml: a title,
# an organisation, one partner…
MAX_TEXT_CHARS = 3_000

# Limits by field of a fiche, where a field has its own.
FIELD_MAX_CHARS = {"description": MAX_SUMMARY_CHARS}

# How many problems of one file the text output prints before counting the rest.
MAX_PROBLEMS_SHOWN = 20
