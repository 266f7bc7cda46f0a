"""Fichothèque: turn a folder of Markdown activity sheets into a searchable static site.

The package is a pipeline; each module does one stage:

    load       project (where files live), files (safe reading and writing),
               yamlnodes (YAML with positions), taxonomy, glossary, fiches
    validate   schema (the one declaration of fields), reading and fields (typed
               readers), references (« Fiche N »), validate (one fiche),
               crosscheck (the collection), check (everything, in one run)
    model      model (the catalogue and its relations), history (dates from git)
    render     render/ (pages, exports, charts, search page: plain files)
    engine     siteconfig (the staged mkdocs.yml), engine (MkDocs, Pagefind),
               publish (atomic publication, one build at a time), serve (local preview)
    cli        the ``fichotheque`` command
"""

__version__ = "0.1.0"
