"""Checks that need the whole collection: unique numbers and slugs, references that resolve."""

from __future__ import annotations

from .fiches import Fiche
from .links import Targets, check_links
from .problems import Problem, Severity
from .references import reference_number
from .routes import FICHES_DIR, RESERVED_FICHE_SLUGS
from .schema import OLD_ADDRESSES_KEY
from .text import suggest
from .validate import Checked
from .yamlnodes import Node


def validate_catalogue(checked: list[Checked], targets: Targets | None = None) -> list[Problem]:
    """Check what needs the whole collection, over every file, typed or not.

    With ``targets`` (the site's other pages and files), body links are resolved too.
    """
    problems: list[Problem] = []
    if targets is not None:
        for item in checked:
            targets.add_fiche(item.slug, item.anchors)
        for item in checked:
            problems += check_links(item.file, item.slug, item.body_links, targets)
    by_number: dict[int, Checked] = {}
    by_slug: dict[str, Checked] = {}
    for item in checked:
        if item.number is not None:
            first = by_number.setdefault(item.number, item)
            if first is not item:
                problems.append(_problem(
                    item.file, item.number_node, "numero-duplique", "numero",
                    f"Le numéro {item.number} est déjà celui de « {first.file} ».",
                    "Donnez un autre numéro à l'une des deux fiches.",
                ))  # fmt: skip
        if not item.slug:
            continue
        first = by_slug.setdefault(item.slug, item)
        if first is not item:
            problems.append(_problem(
                item.file, item.slug_node, "slug-duplique", "slug",
                f"L'adresse « {item.slug} » est déjà celle de « {first.file} ».",
                "Renommez le fichier ou donnez un « slug: » différent à l'une des deux fiches.",
            ))  # fmt: skip
    problems += _check_old_addresses(checked, by_slug, targets)
    slugs = {slug: slug for slug in by_slug}
    moved = {node.value.strip(): item.slug for item in checked for node in item.old_address_nodes}
    for item in checked:
        for node in item.related_nodes:
            ref = node.value.strip()
            number = reference_number(ref)
            target = by_number.get(number) if number is not None else by_slug.get(ref)
            if target is None:
                guess = suggest(ref, slugs)
                hint = (
                    f"« {ref} » est l'ancien nom de « {moved[ref]} » : écrivez « {moved[ref]} »."
                    if ref in moved
                    else f"Vouliez-vous dire « {guess} » ?"
                    if guess
                    else "Indiquez le nom d'un fichier de fiches/ sans « .md », ou un numéro."
                )
                problems.append(_problem(
                    item.file, node, "fiche-liee-inconnue", "fiches_liees",
                    f"« {ref} » ne correspond à aucune fiche (ni nom de fichier, ni numéro).",
                    hint,
                ))  # fmt: skip
            elif target is item:
                problems.append(_problem(
                    item.file, node, "fiche-liee-elle-meme", "fiches_liees",
                    f"« {ref} » est cette fiche elle-même.", "Retirez ce lien.", Severity.WARNING,
                ))  # fmt: skip
            elif target.is_draft and not item.is_draft:
                problems.append(_problem(
                    item.file, node, "fiche-liee-brouillon", "fiches_liees",
                    f"« {ref} » est un brouillon : le lien ne sera pas publié.",
                    "Publiez l'autre fiche ou retirez le lien.", Severity.WARNING,
                ))  # fmt: skip
        for reference in item.body_references:
            if reference.number not in by_number:
                problems.append(Problem(
                    item.file, reference.mark.line, reference.mark.column,
                    "reference-fiche-inconnue", Severity.WARNING, "corps",
                    f"Le texte cite « Fiche {reference.number} », mais aucune fiche ne porte "
                    "ce numéro.",
                    f"Corrigez le numéro, ou donnez « numero: {reference.number} » à la fiche "
                    "citée.",
                ))  # fmt: skip
    return problems


def _check_old_addresses(
    checked: list[Checked], by_slug: dict[str, Checked], targets: Targets | None
) -> list[Problem]:
    """Each old address leads to one fiche: no fiche, page or other redirect is there."""
    problems: list[Problem] = []
    owners: dict[str, Checked] = {}
    for item in checked:
        for node in item.old_address_nodes:
            old = node.value.strip()
            address = f"{FICHES_DIR}/{old}/"
            holder, first = by_slug.get(old), owners.setdefault(old, item)
            if holder is item:
                message = f"« {old} » est l'adresse actuelle de cette fiche, pas une ancienne."
                hint = f"Retirez « {old} » de « {OLD_ADDRESSES_KEY} »."
            elif holder is not None:
                message = (
                    f"L'ancienne adresse « {old} » est aujourd'hui celle de « {holder.file} »."
                )
                hint = (
                    f"Retirez « {old} » de « {OLD_ADDRESSES_KEY} » : cette adresse mène "
                    "désormais à l'autre fiche."
                )
            elif first is not item:
                message = f"L'ancienne adresse « {old} » est déjà déclarée par « {first.file} »."
                hint = f"Une adresse ne mène qu'à une fiche : retirez « {old} » de l'une des deux."
            elif old in RESERVED_FICHE_SLUGS or (targets is not None and targets.serves(address)):
                message = f"L'adresse « {address} » est celle d'une page du site."
                hint = f"Retirez « {old} » de « {OLD_ADDRESSES_KEY} »."
            else:
                continue
            problems.append(
                _problem(
                    item.file, node, "ancienne-adresse-prise", OLD_ADDRESSES_KEY, message, hint
                )
            )
    return problems


def resolve_related(fiches: list[Fiche]) -> dict[str, tuple[str, ...]]:
    """For each fiche slug, the slugs its ``fiches_liees`` point to (numbers resolved)."""
    by_number = {f.number: f.slug for f in fiches if f.number is not None}
    slugs = {f.slug for f in fiches}
    result = {}
    for fiche in fiches:
        targets = []
        for ref in fiche.related:
            number = reference_number(ref)
            slug = by_number.get(number) if number is not None else ref
            if slug in slugs and slug != fiche.slug and slug not in targets:
                targets.append(slug)
        result[fiche.slug] = tuple(targets)
    return result


def _problem(
    file: str, node: Node | None, code: str, field: str, message: str, hint: str,
    severity: Severity = Severity.ERROR,
) -> Problem:  # fmt: skip
    line, column = (node.mark.line, node.mark.column) if node else (0, 0)
    return Problem(file, line, column, code, severity, field, message, hint)
