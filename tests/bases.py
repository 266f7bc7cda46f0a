"""Generated knowledge bases, larger and stranger than the example."""

from __future__ import annotations

from pathlib import Path

from fichotheque.project import Project


def wide_base(root: Path, terms: int = 170, fiches: int = 40, *, position: int = -1) -> Project:
    """The example with one more facet of ``terms`` terms and ``fiches`` fiches using them."""
    import random

    import frontmatter
    import yaml

    from conftest import copy_example

    project = copy_example(root)
    taxonomy = yaml.safe_load(project.taxonomy_path.read_text(encoding="utf-8"))
    slugs = [f"quartier-{i:03d}" for i in range(terms)]
    facets = taxonomy["facettes"]
    facets.insert(position if position >= 0 else len(facets), {
        "cle": "quartiers", "libelle": "Quartiers", "description": "Une facette générée.",
        "multiple": True, "obligatoire": False,
        "termes": [
            {"slug": s, "libelle": f"Quartier {i}", "description": f"Le quartier {i}."}
            for i, s in enumerate(slugs)
        ],
    })  # fmt: skip
    project.taxonomy_path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), "utf-8")
    sources = sorted(project.fiches_dir.glob("*.md"))
    pick = random.Random(7)
    for index in range(fiches):
        post = frontmatter.load(sources[index % len(sources)])
        meta = {k: v for k, v in post.metadata.items() if k not in ("numero", "fiches_liees")}
        meta["title"] = f"{meta['title']} ({index})"
        meta["quartiers"] = pick.sample(slugs, 3)
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + post.content
        (project.fiches_dir / f"genere-{index:03d}.md").write_text(text + "\n", "utf-8")
    return project
