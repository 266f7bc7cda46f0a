"""Deterministic synthetic bases of realistic French fiches, for the benchmark.

A corpus is a function of (size, seed) only: the same call writes the same bytes. Each
fiche has 400–1,500 words under the headings of a real fiche (Contexte, Déroulement,
Résultats), bullet lists, outside links, acronyms of the glossary (with the meaning chosen
where the glossary has several), « Fiche N » references to other fiches, resources,
sources, related fiches, and every facet of the taxonomy with a realistic skew: a few terms
carry most fiches (Zipf), and the first country is on about 80 % of them.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parent.parent
SETTINGS = ("taxonomy.yml", "glossary.yml", "mkdocs.yml")
HEADINGS = ("Contexte", "Déroulement", "Résultats", "Partenaires et moyens", "Et après ?")
WORDS = (  # noqa: SIM905 - a paragraph of words reads better than a list
    "accompagnement intégration logement emploi formation santé citoyenneté réseau association "
    "commune province partenaires personnes migrantes réfugiées jeunes femmes projet atelier "
    "rencontre diagnostic recommandations mémorandum élections droits accès interculturalité "
    "discrimination racisme mobilité justice enseignement quartier permanence insertion plan "
    "local concertation plénière bénévoles animateurs public apprentissage langue français "
    "parcours accueil orientation administration travailleurs sociaux écoles parents enfants "
    "culture exposition théâtre cuisine jardin sport santé mentale soins médecins hôpital "
    "centre régional fédération ministère subvention appel évaluation bilan rapport enquête "
    "questionnaire séance groupe échange témoignage récit mémoire histoire exil frontière "
    "papiers séjour nationalité vote participation conseil consultatif coordination comité "
    "pilotage calendrier budget financement convention charte engagement sensibilisation "
    "campagne affiche brochure vidéo radio presse journalistes formation continue module "
    "stage emploi recherche entreprise employeurs syndicats chômage revenu pauvreté "
    "précarité hébergement urgence famille regroupement mineurs isolés tutelle école devoirs "
    "bibliothèque numérique ordinateurs smartphone démarches en ligne fracture médiation"
).split()
PLACES = (
    "Namur", "Liège", "Charleroi", "Mons", "Bruxelles", "Sambreville", "Dinant", "Ciney",
    "Gembloux", "Andenne", "Lausanne", "Genève", "Neuchâtel", "Fribourg", "Sion", "Lyon",
    "Marseille", "Lille", "Strasbourg", "Rennes", "Montréal", "Québec", "Sherbrooke",
    "Gatineau", "Trois-Rivières", "Ottawa", "Moncton", "Winnipeg", "Verviers", "Tournai",
)  # fmt: skip
PARTNERS = (
    "CPAS", "Forem", "Ville", "Province", "Croix-Rouge", "Ligue des familles", "Maison médicale",
    "Centre culturel", "Bibliothèque communale", "Université", "Haute école", "Mutualité",
    "Mission locale", "Plateforme citoyenne", "Office de l'emploi", "Service social",
)  # fmt: skip


def vocabulary() -> tuple[dict[str, tuple[list[str], bool]], dict[str, list[str]]]:
    """The example's facets (key → terms, multiple) and glossary (acronym → meaning ids)."""
    taxonomy = yaml.safe_load((REPO / "taxonomy.yml").read_text(encoding="utf-8"))
    facets = {}
    for facet in taxonomy["facettes"]:
        groups = facet.get("groupes") or [{"termes": facet["termes"]}]
        terms = [term["slug"] for group in groups for term in group["termes"]]
        facets[facet["cle"]] = (terms, facet.get("multiple", True))
    glossary = yaml.safe_load((REPO / "glossary.yml").read_text(encoding="utf-8"))
    meanings = {key: [m["id"] for m in entries] for key, entries in glossary.items()}
    return facets, meanings


def _zipf(rng: random.Random, terms: list[str], count: int) -> list[str]:
    """``count`` distinct terms, the first ones far more often than the last."""
    weights = [1 / (rank + 1) ** 1.1 for rank in range(len(terms))]
    chosen: list[str] = []
    while len(chosen) < min(count, len(terms)):
        term = rng.choices(terms, weights)[0]
        if term not in chosen:
            chosen.append(term)
    return chosen


def _sentence(rng: random.Random, acronyms: list[str], count: int) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 22))
    if acronyms and rng.random() < 0.25:
        words.insert(rng.randrange(len(words)), rng.choice(acronyms))
    if count > 1 and rng.random() < 0.06:
        words.append(f"(voir Fiche {rng.randint(1, count)})")
    if rng.random() < 0.05:
        place = rng.randrange(len(words))
        words[place] = f"[{words[place]}](https://www.exemple-{rng.randint(1, 400)}.org/)"
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def _body(rng: random.Random, acronyms: list[str], count: int) -> str:
    target = rng.randint(400, 1500)
    parts: list[str] = []
    words = 0
    headings = iter(HEADINGS)
    while words < target:
        heading = next(headings, None)
        if heading is not None:
            parts.append(f"## {heading}")
        for _ in range(rng.randint(2, 4)):
            paragraph = " ".join(_sentence(rng, acronyms, count) for _ in range(rng.randint(3, 6)))
            parts.append(paragraph)
            words += len(paragraph.split())
        if rng.random() < 0.5:
            items = [_sentence(rng, acronyms, count) for _ in range(rng.randint(3, 6))]
            parts.append("\n".join(f"- {item}" for item in items))
            words += sum(len(item.split()) for item in items)
    return "\n\n".join(parts)


def fiche(index: int, count: int, rng: random.Random, facets: Any, meanings: Any) -> str:
    """The text of fiche number ``index + 1`` of a corpus of ``count``."""
    used = rng.sample(sorted(meanings), k=min(4, len(meanings)))
    year = min(2025, int(1995 + 31 * rng.random() ** 0.6))
    front: dict[str, Any] = {
        "title": " ".join(rng.sample(WORDS, rng.randint(4, 9))).capitalize(),
        "description": " ".join(_sentence(rng, used, 0) for _ in range(2)),
        "date": year if rng.random() < 0.6 else f"{year}-{rng.randint(1, 12):02d}",
        "numero": index + 1,
        "statut": "publié",
        "organisation": f"Centre d'essai n° {rng.randint(1, 12)}",
        "lieux": rng.sample(PLACES, rng.randint(1, 3)),
        "partenaires": rng.sample(PARTNERS, rng.randint(1, 4)),
        "ressources": [
            {"titre": f"Dossier {word}", "url": f"https://www.exemple-{rng.randint(1, 400)}.org/"}
            for word in rng.sample(WORDS, rng.randint(0, 2))
        ],
        "sources": [{"titre": f"Rapport {rng.choice(WORDS)} {year}"}],
        "fiches_liees": [],
    }
    ambiguous = {key: ids[0] for key, ids in meanings.items() if key in used and len(ids) > 1}
    if ambiguous:
        front["sigles"] = ambiguous
    for key, (terms, multiple) in facets.items():
        if key == "pays":
            chosen = [terms[0]] if rng.random() < 0.8 else _zipf(rng, terms[1:], 1)
            front[key] = chosen if multiple else chosen[0]
        elif multiple:
            front[key] = _zipf(rng, terms, rng.randint(1, max(1, min(4, len(terms) - 1))))
        else:
            front[key] = _zipf(rng, terms, 1)[0]
    if not front["ressources"]:
        del front["ressources"]
    body = _body(rng, used, count)
    header = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{header}---\n\n{body}\n"


def slug_of(index: int) -> str:
    return f"fiche-{index + 1:05d}"


def write_corpus(folder: Path, count: int, seed: int = 2026) -> Path:
    """A base in ``folder``: the example's settings, ``count`` fiches, nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in SETTINGS:
        shutil.copyfile(REPO / name, folder / name)
    (folder / "docs").mkdir(exist_ok=True)
    (folder / "docs" / "index.md").write_text(
        "# Banc d'essai\n\nDes fiches écrites par une machine.\n", encoding="utf-8"
    )
    facets, meanings = vocabulary()
    rng = random.Random(seed)
    fiches = folder / "fiches"
    fiches.mkdir(exist_ok=True)
    stems: list[str] = []
    for index in range(count):
        text = fiche(index, count, rng, facets, meanings)
        if index and rng.random() < 0.3:  # a few related fiches, always earlier ones
            related = sorted({rng.choice(stems) for _ in range(rng.randint(1, 3))})
            text = text.replace("fiches_liees: []", f"fiches_liees: [{', '.join(related)}]", 1)
        year = text.split("\ndate: ", 1)[1].strip("'\"")[:4]
        stems.append(f"{year}-{slug_of(index)}")
        (fiches / f"{stems[-1]}.md").write_text(text, encoding="utf-8")
    return folder
