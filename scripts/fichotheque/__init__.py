"""Fichothèque: turn a folder of Markdown activity sheets into a searchable static site.

The package is a pipeline; each module does one stage:

    load       project (where files live), limits (sizes), files (safe reading and
               writing), yamlnodes (YAML with positions), taxonomy, glossary, fiches,
               sitesettings (what mkdocs.yml puts on pages)
    declare    schema (the one declaration of fields) and kinds (what each kind of field
               reads, describes, shows and exports), setupschema (of every key of
               taxonomy.yml, glossary.yml and the settings), routes (every generated
               address), htmlpolicy (the HTML a body may hold, and its sanitiser),
               jsonschemas (the JSON Schemas of the set-up files and of a fiche)
    validate   reading and fields (typed readers), references (« Fiche N »),
               bodycheck (a body against the HTML policy), validate (one fiche),
               links and crosscheck (the collection), check (everything, in one run)
               selection (what ``build --skip-invalid`` may still publish), review
               (review dates)
    model      model (the catalogue and its relations), history (dates from git)
    render     render/ (pages, exports, charts, search page: plain files)
    engine     siteconfig and safe_attrs (the staged mkdocs.yml), staging (the staged
               files, the last ones written by a worker), engine (MkDocs, Pagefind),
               mkdocsbuild (MkDocs over every core) and navcache (its navigation,
               rendered once for the pages outside it), searchindex (Pagefind in parts),
               harden (sanitised bodies and a CSP on every built page), publish (atomic
               publication, one build at a time), serve (local preview), workers (how
               worker processes start)
    staff      scaffold (``init``: a new base from starter/), newfiche (``new``), legacy
               and spreadsheet (``import``: a legacy site's export, a CSV file)
    cli        the ``fichotheque`` command
"""

__version__ = "0.1.0"
