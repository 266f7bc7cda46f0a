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


FOREIGN_INSTRUMENTS = ("cordes", "vents", "percussions", "chant", "claviers")
FOREIGN_LEVELS = ("eveil", "initiation", "perfectionnement")


def foreign_base(root: Path, fiches: int = 40) -> Project:
    """A base that shares no name with the example: a network of music schools.

    Its taxonomy, glossary, settings and fiches are written here from scratch, so that
    whatever of the example shows on its site came from the code.
    """
    import random

    import yaml

    def terms(slugs: tuple[str, ...]) -> list[dict[str, str]]:
        return [
            {"slug": s, "libelle": s.capitalize(), "description": f"Les cours de {s}."}
            for s in slugs
        ]

    taxonomy = {"facettes": [
        {"cle": "instruments", "libelle": "Instruments", "description": "Ce qui se joue.",
         "multiple": True, "obligatoire": True, "termes": terms(FOREIGN_INSTRUMENTS)},
        {"cle": "niveaux", "libelle": "Niveaux", "description": "Pour qui.",
         "multiple": False, "obligatoire": True, "groupes": [
             {"slug": "debuts", "libelle": "Débuts", "termes": terms(FOREIGN_LEVELS[:2])},
             {"slug": "suite", "libelle": "Suite", "termes": terms(FOREIGN_LEVELS[2:])},
         ]},
    ]}  # fmt: skip
    glossary = {
        "EMV": [{"id": "emv", "forme_developpee": "École de musique de Valbrune",
                 "definition": "La plus ancienne école du réseau."}],
        "OSH": [
            {"id": "osh-orchestre", "forme_developpee": "Orchestre symphonique de Hautecombe",
             "contexte": "Concerts", "definition": "L'orchestre des élèves avancés."},
            {"id": "osh-option", "forme_developpee": "Option solfège harmonisée",
             "contexte": "Cursus", "definition": "Un parcours de théorie musicale."},
        ],
    }  # fmt: skip
    project = Project(root)
    project.fiches_dir.mkdir(parents=True)
    (project.docs_dir / "ressources").mkdir(parents=True)
    project.taxonomy_path.write_text(yaml.safe_dump(taxonomy, allow_unicode=True), "utf-8")
    project.glossary_path.write_text(yaml.safe_dump(glossary, allow_unicode=True), "utf-8")
    project.mkdocs_path.write_text(
        "site_name: Répertoire des écoles de musique de Valbrune\n"
        "site_url: https://partitions.valbrune.test/\n"
        "theme:\n  name: material\n  language: fr\n  font: false\n",
        "utf-8",
    )
    (project.docs_dir / "index.md").write_text(
        "# Répertoire des écoles de musique\n\nLes cours, les concerts et les stages du "
        "réseau de Valbrune.\n",
        "utf-8",
    )
    pick = random.Random(11)
    villages = ("Valbrune", "Hautecombe", "Mirefleur", "Combeloup")
    for index in range(fiches):
        meta = {
            "title": f"Stage de {pick.choice(FOREIGN_INSTRUMENTS)} numéro {index}",
            "description": "Une semaine de pratique collective, avec un concert final.",
            "date": 2001 + index % 20,
            "organisation": "Réseau des écoles de musique de Valbrune",
            "lieux": [pick.choice(villages)],
            "partenaires": ["Harmonie de Mirefleur"],
            "instruments": pick.sample(FOREIGN_INSTRUMENTS, 2),
            "niveaux": pick.choice(FOREIGN_LEVELS),
        }
        if index % 4 == 0:
            meta["sigles"] = {"OSH": "osh-orchestre"}
        body = (
            "## Déroulement\n\nLes élèves de l'EMV répètent chaque matin"
            + (" avec l'OSH" if index % 4 == 0 else "")
            + ".\n\n- répétitions par pupitre ;\n- concert du samedi.\n"
        )
        text = "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n\n" + body
        (project.fiches_dir / f"{2001 + index % 20}-stage-{index:03d}.md").write_text(text, "utf-8")
    return project
