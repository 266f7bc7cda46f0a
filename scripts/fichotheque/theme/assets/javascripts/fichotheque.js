/* Fichothèque: a search box in the header, and the catalogue table sorted by title or
   date, without any library. Without JavaScript, the menu's « Rechercher » entry and the
   catalogue's default order (newest first) remain. */
(function () {
  "use strict";
  var searchPage = document.querySelector('link[rel="search"]');
  var header = document.querySelector(".md-header__inner");
  // The search page is the one with the search form: an element of a fiche with the same
  // id (a « Recherche » heading has it) must not take the header box away.
  if (searchPage && header && !document.querySelector("form#recherche")) {
    var form = document.createElement("form");
    form.className = "entete-recherche";
    form.setAttribute("role", "search");
    form.action = searchPage.href;
    var label = document.createElement("label");
    label.className = "visuellement-cache";
    label.htmlFor = "entete-q";
    label.textContent = "Recherche rapide dans les fiches";
    var input = document.createElement("input");
    input.type = "search";
    input.id = "entete-q";
    input.name = searchPage.getAttribute("data-parametre");
    input.placeholder = "Rechercher";
    form.appendChild(label);
    form.appendChild(input);
    var title = header.querySelector(".md-header__title");
    header.insertBefore(form, title ? title.nextSibling : null);
  }
  function sortTable(table, column, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute("data-tri") || a.cells[column].textContent;
      var y = b.cells[column].getAttribute("data-tri") || b.cells[column].textContent;
      var order = x.localeCompare(y, "fr");
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  document.querySelectorAll("table[data-triable]").forEach(function (table) {
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (th, column) {
      if (!th.hasAttribute("aria-sort")) { return; }
      var button = document.createElement("button");
      button.type = "button";
      button.className = "tri";
      button.textContent = th.textContent;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var descending = th.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (other) {
          if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
        });
        th.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortTable(table, column, descending);
      });
    });
  });
  // The glossary's filter box: typing keeps the entries whose term or expansion matches.
  var glossaryFilter = document.getElementById("glossaire-filtre");
  if (glossaryFilter) {
    var fold = function (text) {
      return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
        .replace(/[^a-z0-9]+/g, " ").trim();
    };
    var entries = Array.prototype.slice.call(document.querySelectorAll(".glossaire-entree"));
    var counted = document.getElementById("glossaire-compte");
    glossaryFilter.parentNode.hidden = false;
    glossaryFilter.addEventListener("input", function () {
      var wanted = fold(glossaryFilter.value);
      var shown = entries.filter(function (entry) {
        entry.hidden = !!wanted && entry.getAttribute("data-cles").indexOf(wanted) === -1;
        return !entry.hidden;
      }).length;
      counted.textContent = wanted ? shown + (shown > 1 ? " entrées" : " entrée") : "";
    });
  }
})();
