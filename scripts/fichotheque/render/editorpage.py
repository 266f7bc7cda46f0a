"""The staff page « L'éditeur en ligne »: what /admin/ is, how to connect it, how to update it.

The versions, the settings and the form's fields come from their declarations
(editor.PACKAGES, setupschema.EDITOR, cmsconfig), so the page says what this build
installs.
"""

from __future__ import annotations

from ..cmsconfig import fields
from ..editor import PACKAGES
from ..glossary import Glossary
from ..routes import CONFIGURATION, EDITOR_DIR, EDITOR_PAGE, REFERENCE
from ..setupschema import EDITOR, EDITOR_KEY
from ..taxonomy import Taxonomy
from .html import Page, esc, href
from .reference import code, html_block


def _versions() -> str:
    return "".join(
        f"<li>{esc(p.label)} : paquet npm {code(p.name)}, version {code(p.version)}, "
        f"empreinte {code(p.integrity[:20] + '…')}"
        + "".join(
            f" ; avec {esc(a.package.label)} ({code(a.package.name)} {code(a.package.version)})"
            for a in p.assets
        )
        + "</li>"
        for p in PACKAGES.values()
    )


def render_editor_page(taxonomy: Taxonomy, glossary: Glossary, enabled: bool) -> Page:
    """The page, for a base whose settings ask (``enabled``) or not for an editor."""
    form = ", ".join(esc(field["label"]) for field in fields(taxonomy, glossary))
    keys = "".join(
        f"<li>{code(key.name)}{' (obligatoire)' if key.required else ''} : {esc(key.help)}"
        + (f" Par défaut : {code(key.default)}." if key.default else "")
        + "</li>"
        for key in EDITOR.keys
    )
    state = (
        "Cette base a un éditeur : il est à l'adresse "
        f'<a href="../{EDITOR_DIR}/">/{EDITOR_DIR}/</a> du site.'
        if enabled
        else "Cette base n'a pas encore d'éditeur en ligne : son mkdocs.yml ne le demande pas."
    )
    example = (
        f"extra:\n  {EDITOR_KEY}:\n    forge: github\n    depot: mon-organisation/fiches\n"
        "    proxy: https://auth.mon-organisation.org"
    )
    body = f"""<h1>L'éditeur en ligne</h1>

<p>Les collègues qui n'utilisent pas git écrivent et corrigent les fiches dans un formulaire,
à l'adresse <code>/{EDITOR_DIR}/</code> du site. Chaque enregistrement devient un commit du
dépôt, vérifié et publié comme les autres. {state}</p>

<h2>Ce que propose le formulaire</h2>

<p>Il est produit à chaque construction à partir de la déclaration des champs et de
<code>taxonomy.yml</code> : un champ par champ de la fiche, une liste de choix par catégorie qui
offre exactement ses termes, sous leur libellé, et le texte. Les champs obligatoires le sont
aussi dans le formulaire. Dans l'ordre : {form}.</p>

<ul>
<li>Une nouvelle fiche est rangée dans <code>fiches/</code>, sous le nom
<code>&lt;année&gt;-&lt;titre&gt;.md</code> (l'année de sa création ; renommez le fichier dans
le dépôt si l'activité est plus ancienne, en gardant l'ancien nom dans
<code>anciennes_adresses</code>).</li>
<li>Elle commence en <strong>brouillon</strong> : elle est vérifiée mais pas publiée tant que
son statut ne passe pas à « publié ». Le filtre « Brouillons » de la liste les montre.</li>
<li>Les documents envoyés vont dans <code>docs/ressources/</code>, le seul dossier dont une
ressource peut venir.</li>
<li>Le texte passe par le même nettoyage que toute fiche : un script, un attribut
d'événement ou un contenu d'un autre site n'arrive jamais sur le site public.</li>
<li>Le formulaire ne sait pas tout : <code>fichotheque check</code> reste le juge (un numéro
en double, une fiche liée qui n'existe pas). Les erreurs s'affichent dans la vérification
du dépôt (voir la <a href="{href(EDITOR_PAGE, REFERENCE)}">Référence des champs</a>).</li>
</ul>

<h2>L'activer</h2>

<p>Ajoutez un bloc <code>{EDITOR_KEY}</code> sous <code>extra</code> dans
<code>mkdocs.yml</code>, puis construisez le site :</p>

<pre><code>{html_block(example)}</code></pre>

<ul>{keys}</ul>

<p>Chaque clé est aussi décrite dans la
<a href="{href(EDITOR_PAGE, CONFIGURATION)}">Référence de la configuration</a>.</p>

<h2>Se connecter à la forge</h2>

<p>L'éditeur lit et écrit le dépôt au nom de la personne connectée ; il lui faut donc un
droit d'écriture sur le dépôt.</p>

<ul>
<li><strong>GitHub</strong> : GitHub ne connecte un site statique qu'à travers un petit service
d'authentification (un « proxy OAuth »). Déclarez une application OAuth dans les réglages
de l'organisation GitHub, installez un proxy (par exemple Sveltia CMS Authenticator, un
Worker Cloudflare libre, ou tout proxy compatible avec Decap CMS) avec l'identifiant et le
secret de l'application, et indiquez son adresse dans <code>proxy</code>. Sans proxy, chacun
peut encore se connecter avec un jeton d'accès personnel (Sveltia CMS).</li>
<li><strong>GitLab</strong> (gitlab.com ou une instance de l'organisation) : déclarez une
application OAuth dans GitLab, avec l'adresse <code>…/{EDITOR_DIR}/</code> du site comme
adresse de retour, sans secret (PKCE), et la portée <code>api</code> ; indiquez son
identifiant dans <code>application</code>, et pour une instance propre son API dans
<code>api</code> (<code>https://git.exemple.org/api/v4</code>). Aucun proxy n'est
nécessaire.</li>
<li><strong>Gitea ou Forgejo</strong> : déclarez une application OAuth2 dans les réglages
de l'instance, avec la même adresse de retour ; indiquez son identifiant dans
<code>application</code> et l'API dans <code>api</code>
(<code>https://git.exemple.org/api/v1</code>).</li>
<li><strong>Des personnes sans compte sur la forge</strong> : un proxy OAuth qui les
authentifie autrement (l'annuaire de l'organisation) et écrit avec un compte de service
leur ouvre l'éditeur ; c'est ce proxy qui décide qui peut écrire.</li>
</ul>

<p>La page <code>/{EDITOR_DIR}/</code> a sa propre politique de sécurité : elle ne peut joindre
que le site, l'API de la forge et le proxy déclarés. Le fichier <code>site/_headers</code>
(Netlify, Cloudflare Pages) le redit pour <code>/{EDITOR_DIR}/*</code> ; sur Netlify, qui
additionne les règles, retirez la ligne <code>Content-Security-Policy</code> de la règle
<code>/*</code> pour que l'éditeur fonctionne, chaque page gardant la sienne.</p>

<h2>L'essayer sur son ordinateur</h2>

<p>Avec <code>logiciel: decap</code>, l'éditeur sait écrire directement dans le dossier de
la base, sans forge : lancez <code>npx decap-server</code> à la racine de la base, puis
<code>fichotheque serve</code>, et ouvrez <code>http://localhost:8000/{EDITOR_DIR}/</code>
(« ?port_local=8082 » si decap-server écoute ailleurs). Sveltia CMS propose, dans Chrome ou
Edge, « Travailler avec un dépôt local » : choisissez le dossier de la base.</p>

<h2>Sa version, et comment la mettre à jour</h2>

<p>Le code de l'éditeur est servi par le site lui-même, jamais par un CDN. La construction le
télécharge une fois depuis le registre npm, vérifie son empreinte SHA-512 (celle que le
registre publie) et le garde en cache (<code>~/.cache/fichotheque</code>, ou le dossier que
donne <code>FICHOTHEQUE_CACHE</code>). Un fichier dont l'empreinte diffère est refusé et la
construction s'arrête, en laissant le site publié tel qu'il était. Les polices d'icônes que
Sveltia irait chercher ailleurs sont servies par le site ; ses polices de texte laissent la
place à celles de l'appareil.</p>

<ul>{_versions()}</ul>

<p>Pour mettre à jour : dans <code>scripts/fichotheque/editor.py</code>, changez la version
et l'empreinte que donne <code>npm view NOM@VERSION dist.integrity</code>, construisez,
puis lancez les tests de l'éditeur (<code>pytest tests/test_editor.py</code>), qui valident
la configuration contre le schéma publié par Sveltia et créent une fiche dans Chromium.</p>"""
    return Page(
        EDITOR_PAGE,
        "L'éditeur en ligne",
        "Écrire les fiches dans le navigateur, sans git : l'activer, le connecter, "
        "le mettre à jour.",
        body,
    )
