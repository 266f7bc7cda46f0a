"""Fichothèque: turn a folder of Markdown activity sheets into a searchable static site.

The package is a pipeline, one module per stage:

    project   where the files of a knowledge base live
    yamlnodes YAML parsed into nodes that keep their line and column
    schema    the one declaration of the fiche's front-matter fields
    taxonomy  load and validate taxonomy.yml
    glossary  load and validate glossary.yml
    fiches    read fiche files and split their front matter
    validate  turn raw fiches into typed ``Fiche`` values and problems
    check     run every loader and validator over a project
    model     the catalogue: published fiches, terms and their relations
    render    plain Markdown pages for any Material-compatible engine
    engine    the MkDocs build and the atomic publication of ``site/``
    cli       the ``fichotheque`` command
"""

__version__ = "0.1.0"
