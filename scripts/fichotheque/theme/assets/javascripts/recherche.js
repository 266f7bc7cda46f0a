/* Fichothèque: the search page, on Pagefind's JavaScript API.
   Terms checked within one facet combine with OR, facets combine with AND; a year range
   narrows by date. The query and the filters live in the address, so that a search can be
   bookmarked, shared, and walked back with the browser's back button.
   Nothing of the word index is downloaded before a word is typed or a filter chosen: the
   counts shown meanwhile come from Pagefind's filter index alone.
   A large site's index comes in parts of whole years (data-lots, searchindex.py), merged
   by Pagefind's mergeIndex: relevance and counts span the parts, and the date order is
   asked one start year at a time, since one year sorted by date is one part's order. */
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  if (!form) { return; }
  form.hidden = false;  // without JavaScript the form would do nothing: it stays hidden
  function $(selector) { return form.querySelector(selector); }
  function all(selector, root) {
    return Array.prototype.slice.call((root || form).querySelectorAll(selector));
  }
  var query = $("#recherche-q");
  var sort = $("#recherche-tri");
  var from = $("#recherche-de");
  var to = $("#recherche-a");
  var heading = $("#recherche-titre");
  var explanation = $(".recherche-explication");
  var list = $("#recherche-resultats");
  var panel = $("#recherche-panneau");
  var opener = $(".recherche-ouvrir");
  var active = $(".recherche-actifs");
  var chips = $(".recherche-puces");
  var definitions = $("#recherche-definitions");
  var boxes = all("input[type=checkbox]");
  var blocks = all("details[data-facette]");
  var facets = blocks.map(function (block) { return block.getAttribute("data-facette"); });
  var facetLabels = {};
  blocks.forEach(function (block) {
    facetLabels[block.getAttribute("data-facette")] = block.querySelector("legend").textContent;
  });
  var labels = {};
  boxes.forEach(function (box) { labels[box.name + ":" + box.value] = box.getAttribute("data-libelle"); });
  var EVERY_FICHE = form.getAttribute("data-toutes");
  var HIDDEN_END = form.getAttribute("data-fin-cache");
  var YEARS = form.getAttribute("data-filtre-annee");
  var START = form.getAttribute("data-filtre-debut");
  var PARTS = (form.getAttribute("data-lots") || "").split(" ").filter(Boolean);
  var LEXICON = form.getAttribute("data-lexique");  // the page that gives each part every word
  var FIRST = parseInt(form.getAttribute("data-debut"), 10);
  var LAST = parseInt(form.getAttribute("data-fin"), 10);
  var PAGE_SIZE = 10;  // results are fetched ten at a time: each one costs a download
  var pagefind = null;
  var totals = null;  // counts of the whole collection, from the filter index
  var pending = 0;
  var baseTitle = document.title;

  function element(tag, content, className) {
    var node = document.createElement(tag);
    if (content) { node.textContent = content; }
    if (className) { node.className = className; }
    return node;
  }
  function plural(n, one, many) { return n + " " + (n > 1 ? many : one); }
  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, " ").trim();
  }

  /* ---- State: what is asked, read from the controls and kept in the address. ---- */

  // A number field drops what is not a number: its raw text is kept, to be explained.
  function typed(field) { return field.value || field.getAttribute("data-brut") || ""; }

  function selection() {
    var chosen = {};
    boxes.forEach(function (box) {
      if (box.checked) { (chosen[box.name] = chosen[box.name] || []).push(box.value); }
    });
    return chosen;
  }

  function writeAddress(push) {
    var params = new URLSearchParams();
    if (query.value.trim()) { params.set(query.name, query.value.trim()); }
    var chosen = selection();
    facets.forEach(function (facet) {
      (chosen[facet] || []).forEach(function (value) { params.append(facet, value); });
    });
    // What was typed stays in the address, even when it is no year: the page explains it.
    if (typed(from)) { params.set(from.name, typed(from)); }
    if (typed(to)) { params.set(to.name, typed(to)); }
    if (sort.value) { params.set(sort.name, sort.value); }
    var address = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (address !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", address);
    }
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    query.value = params.get(query.name) || "";
    sort.value = params.get(sort.name) === "date" ? "date" : "";
    from.value = params.get(from.name) || "";
    to.value = params.get(to.name) || "";
    from.setAttribute("data-brut", params.get(from.name) || "");
    to.setAttribute("data-brut", params.get(to.name) || "");
    boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) !== -1; });
  }

  /* The years asked: null when none, else the years to keep or the reason there are none. */
  function yearRange() {
    var rawFrom = typed(from);
    var rawTo = typed(to);
    if (!rawFrom && !rawTo) { return null; }
    var bad = [rawFrom, rawTo].filter(function (v) { return v && !/^\d{1,4}$/.test(v.trim()); });
    if (bad.length) {
      return { text: bad[0], problem: "« " + bad[0] + " » n'est pas une année : écrivez-la en chiffres, par exemple " + LAST + "." };
    }
    var first = rawFrom ? parseInt(rawFrom, 10) : FIRST;
    var last = rawTo ? parseInt(rawTo, 10) : LAST;
    var text = !rawTo ? "depuis " + first : !rawFrom ? "jusqu'à " + last :
      first === last ? String(first) : first + " – " + last;
    var span = "Les fiches couvrent les années " + FIRST + " à " + LAST + ".";
    if (rawFrom && rawTo && first > last) {
      return { text: text, swap: true,
        problem: "L'année de début (" + first + ") vient après l'année de fin (" + last + ")." };
    }
    if (first > LAST || last < FIRST) {
      return { text: text, problem: "Aucune fiche ne porte sur les années demandées (" + text + "). " + span };
    }
    var years = [];
    for (var year = Math.max(first, FIRST); year <= Math.min(last, LAST); year++) { years.push(String(year)); }
    return { years: years, text: text };
  }

  function filtersFor(chosen, range, except) {
    var result = {};
    Object.keys(chosen).forEach(function (facet) {
      if (facet !== except) { result[facet] = { any: chosen[facet] }; }
    });
    if (range && range.years) { result[YEARS] = { any: range.years }; }
    if (PARTS.length) { result[START] = { none: [LEXICON] }; }
    return result;
  }

  /* ---- Counts: each term says how many fiches ticking it would give. ---- */

  function showCounts(main, extras, chosen) {
    var total = main ? main.results.length : 0;
    boxes.forEach(function (box) {
      var checked = box.checked;
      var mine = chosen[box.name];
      var count;
      if (!main) {  // nothing asked yet: the whole collection
        count = ((totals || {})[box.name] || {})[box.value] || 0;
      } else if (checked || !mine) {  // ticked, or a facet not yet used: narrowing (AND)
        count = ((main.filters || {})[box.name] || {})[box.value] || 0;
      } else {  // another term of a facet in use: adding it widens the results (OR)
        var more = (((extras[box.name] || {}).filters || {})[box.name] || {})[box.value] || 0;
        count = more ? total + more : 0;
      }
      box.parentNode.querySelector("[data-compte]").textContent = "(" + count + ")";
      // A term that would give nothing, or nothing more, cannot be ticked into a dead end.
      box.disabled = !checked && count === 0;
      box.parentNode.classList.toggle("recherche-terme-vide", box.disabled);
    });
    blocks.forEach(function (block) {
      var n = (chosen[block.getAttribute("data-facette")] || []).length;
      block.querySelector("[data-choisis]").textContent = n ? "(" + plural(n, "choisi", "choisis") + ")" : "";
    });
  }

  /* ---- The chips of the active filters, each removable, and « Tout effacer ». ---- */

  function renderChips(chosen, range) {
    var focused = document.activeElement && document.activeElement.closest(".recherche-puces") ?
      all(".recherche-puces button").indexOf(document.activeElement) : -1;
    chips.textContent = "";
    var count = 0;
    function chip(text, name, remove) {
      var item = element("li");
      var button = element("button", text, "recherche-puce");
      button.type = "button";
      button.setAttribute("aria-label", "Retirer le filtre " + name);
      button.addEventListener("click", function () { remove(); run(true); });
      item.appendChild(button);
      chips.appendChild(item);
      count++;
    }
    facets.forEach(function (facet) {
      (chosen[facet] || []).forEach(function (value) {
        var label = labels[facet + ":" + value];
        chip(label, facetLabels[facet] + " : " + label, function () {
          boxes.forEach(function (box) { if (box.name === facet && box.value === value) { box.checked = false; } });
        });
      });
    });
    if (typed(from) || typed(to)) {
      var years = "Années " + (range && range.text ? range.text : "");
      chip(years, years, clearYears);
    }
    active.hidden = count === 0;
    opener.textContent = count ? "Filtres (" + count + ")" : "Filtres";
    if (focused >= 0) {  // a chip was removed: the focus moves to its neighbour
      var buttons = all(".recherche-puces button");
      (buttons[Math.min(focused, buttons.length - 1)] || heading).focus();
    }
  }

  function clearYears() {
    from.value = ""; to.value = "";
    from.setAttribute("data-brut", ""); to.setAttribute("data-brut", "");
  }

  function clearFilters() {
    boxes.forEach(function (box) { box.checked = false; });
    clearYears();
    run(true);
    heading.focus();
  }

  /* ---- The glossary's definitions of what is searched, shown above the results. ---- */

  function showDefinitions(asked) {
    if (!definitions) { return; }
    var folded = fold(asked);
    var words = folded.split(" ");
    var found = 0;
    all(".recherche-definition", definitions).forEach(function (entry) {
      var keys = entry.getAttribute("data-cles").split("|");
      var match = !!folded && (keys.indexOf(folded) !== -1 || words.indexOf(keys[0]) !== -1);
      entry.hidden = !match;
      if (match) { found++; }
    });
    definitions.hidden = found === 0;
  }

  /* ---- Results: a heading, then cards ten at a time. ---- */

  /* Thirty words around the first match, as Pagefind quotes them, but never from the
     hidden words (the acronyms' expansions): they find a fiche, they are not its text.
     Null when only hidden words matched: the card shows the summary instead. */
  function excerpt(result) {
    var words = (result.content || "").split(/[\r\n\s]+/g);
    // Pagefind ends a block with a full stop: « qxj….».
    var find = function (token) {
      for (var i = 0; i < words.length; i++) { if (words[i].indexOf(token) === 0) { return i; } }
      return -1;
    };
    var start = find(EVERY_FICHE);
    var end = find(HIDDEN_END);
    var hidden = function (i) { return start !== -1 && i >= start && i <= Math.max(end, start); };
    var hits = (result.locations || []).filter(function (i) { return !hidden(i); });
    if (!hits.length) { return null; }
    var shown = [];
    words.forEach(function (word, i) { if (!hidden(i)) { shown.push(i); } });
    var at = shown.indexOf(hits[0]);
    var first = Math.max(0, Math.min(at - 15, shown.length - 30));
    var quote = element("p", "", "recherche-extrait");
    shown.slice(first, first + 30).forEach(function (i, n) {
      if (n) { quote.appendChild(document.createTextNode(" ")); }
      quote.appendChild(hits.indexOf(i) !== -1 ? element("mark", words[i]) : document.createTextNode(words[i]));
    });
    return quote;
  }

  function card(result, filtersOnly) {
    var item = element("li", "", "recherche-carte");
    var title = element("h3");
    var link = element("a", result.meta.title || result.url);
    link.href = result.url;
    title.appendChild(link);
    item.appendChild(title);
    var when = [result.meta.date, result.meta.organisation].filter(Boolean).join(" · ");
    if (when) { item.appendChild(element("p", when, "recherche-date")); }
    var quoted = filtersOnly ? null : excerpt(result);
    if (quoted) {
      item.appendChild(quoted);
    } else if (result.meta.resume) {
      item.appendChild(element("p", result.meta.resume, "recherche-extrait"));
    }
    var terms = element("ul", "", "recherche-categories");
    facets.forEach(function (facet) {
      ((result.filters || {})[facet] || []).forEach(function (value) {
        terms.appendChild(element("li", labels[facet + ":" + value] || value));
      });
    });
    if (terms.children.length) {
      terms.setAttribute("aria-label", "Catégories");
      item.appendChild(terms);
    }
    return item;
  }

  /* The results in their order, taken a few at a time: from one search, or, for the
     date order of an index in parts, from one search per start year, newest first. */
  function inOrder(results) {
    return {
      length: results.length,
      take: function (from, count) { return Promise.resolve(results.slice(from, from + count)); }
    };
  }

  function yearByYear(words, filters, found) {
    var counts = (found.filters || {})[START] || {};
    var years = Object.keys(counts).filter(function (year) { return year !== LEXICON && counts[year] > 0; })
      .sort(function (a, b) { return b - a; });
    var taken = [];
    function fill(wanted) {
      if (taken.length >= wanted || !years.length) { return Promise.resolve(); }
      var narrowed = Object.assign({}, filters);
      narrowed[START] = { any: [years.shift()] };
      return pagefind.search(words, { filters: narrowed, sort: { date: "desc" } }).then(function (year) {
        taken = taken.concat(year.results);
        return fill(wanted);
      });
    }
    return {
      length: found.results.length,
      take: function (from, count) {
        return fill(from + count).then(function () { return taken.slice(from, from + count); });
      }
    };
  }

  function showMore(source, shown, filtersOnly, ticket) {
    var old = $("#recherche-plus");
    if (old) { old.remove(); }
    return source.take(shown, PAGE_SIZE).then(function (next) {
      return ticket === pending ? Promise.all(next.map(function (r) { return r.data(); })) : null;
    }).then(function (data) {
      if (!data || ticket !== pending) { return; }
      data.forEach(function (result) { list.appendChild(card(result, filtersOnly)); });
      if (shown + data.length < source.length) {
        var rest = source.length - shown - data.length;
        var button = element("button", "Afficher " + Math.min(rest, PAGE_SIZE) + " résultats de plus (sur " + rest + ")", "md-button");
        button.type = "button";
        button.id = "recherche-plus";
        button.addEventListener("click", function () {
          showMore(source, shown + data.length, filtersOnly, ticket).then(function () {
            var links = all("#recherche-resultats > li h3 a");
            if (links[shown + data.length]) { links[shown + data.length].focus(); }
          });
        });
        list.parentNode.insertBefore(button, list.nextSibling);
      }
    });
  }

  function announce(count, asked, chosen, range) {
    var filtered = Object.keys(chosen).length || range;
    var what = count ? plural(count, "fiche", "fiches") : "Aucune fiche";
    heading.textContent = asked ? what + " pour « " + asked + " »" : what + (filtered ? " pour ces filtres" : "");
    heading.hidden = false;
    explanation.textContent = "";
    if (!count && filtered) {
      explanation.appendChild(element("p", "Retirez un filtre pour élargir la recherche."));
      var button = element("button", "Retirer les filtres", "md-button md-button--primary");
      button.type = "button";
      button.addEventListener("click", clearFilters);
      explanation.appendChild(button);
    } else if (!count) {
      explanation.appendChild(element("p", "Essayez un autre mot, ou moins de mots."));
    }
    all(".recherche-voir").forEach(function (b) {
      b.textContent = count > 1 ? "Voir les " + count + " résultats" : count ? "Voir 1 résultat" : "Voir les résultats";
    });
  }

  function idle() {
    heading.hidden = true;
    heading.textContent = "";
    explanation.textContent = "";
    var hint = element("p", "Tapez des mots, ou choisissez des filtres. Vous pouvez aussi consulter ");
    var link = element("a", "la liste de toutes les fiches");
    link.href = form.getAttribute("data-catalogue");
    hint.appendChild(link);
    hint.appendChild(document.createTextNode("."));
    explanation.appendChild(hint);
  }

  function explainRange(range) {
    heading.textContent = "Aucune fiche pour ces années";
    heading.hidden = false;
    explanation.textContent = "";
    explanation.appendChild(element("p", range.problem));
    var fix = element("button", range.swap ? "Inverser les années" : "Retirer les années", "md-button md-button--primary");
    fix.type = "button";
    fix.addEventListener("click", function () {
      if (range.swap) {
        var first = from.value; from.value = to.value; to.value = first;
        from.setAttribute("data-brut", from.value); to.setAttribute("data-brut", to.value);
      } else {
        clearYears();
      }
      run(true);
      heading.focus();
    });
    explanation.appendChild(fix);
  }

  var shownFor = null;  // the address whose results are on screen
  var typing = null;  // the search waiting for the visitor to stop typing

  function run(push) {
    writeAddress(push);
    // The same question twice (typing, then Enter) leaves the page, and the focus, alone.
    if (pagefind && shownFor === location.search) { return; }
    if (pagefind) { shownFor = location.search; }
    var asked = query.value.trim();
    // The tab, the history and a bookmark say what was searched.
    document.title = asked ? "« " + asked + " » – " + baseTitle : baseTitle;
    var chosen = selection();
    var range = yearRange();
    renderChips(chosen, range);
    showDefinitions(asked);
    var ticket = ++pending;
    form.setAttribute("data-etat", "recherche");
    var old = $("#recherche-plus");
    if (old) { old.remove(); }
    if (!pagefind) { return; }
    function done() { if (ticket === pending) { form.setAttribute("data-etat", "pret"); } }
    if (range && range.problem) {
      list.textContent = "";
      showCounts(null, {}, chosen);
      explainRange(range);
      done();
      return;
    }
    if (!asked && !Object.keys(chosen).length && !range) {
      list.textContent = "";
      showCounts(null, {}, chosen);
      idle();
      done();
      return;
    }
    var filtersOnly = !asked;
    var words = asked || EVERY_FICHE;
    var options = { filters: filtersFor(chosen, range, null) };
    var byDate = sort.value === "date" || filtersOnly;
    if (byDate && !PARTS.length) { options.sort = { date: "desc" }; }
    var searches = [pagefind.search(words, options)];
    var used = facets.filter(function (facet) { return chosen[facet]; });
    used.forEach(function (facet) {
      // What each other term of this facet would add: the fiches it has that the
      // current selection of the facet has not.
      var wider = filtersFor(chosen, range, facet);
      wider[facet] = { none: chosen[facet] };
      searches.push(pagefind.search(words, { filters: wider }));
    });
    Promise.all(searches).then(function (found) {
      if (ticket !== pending || !found[0]) { return null; }
      var extras = {};
      used.forEach(function (facet, i) { extras[facet] = found[i + 1]; });
      showCounts(found[0], extras, chosen);
      list.textContent = "";
      announce(found[0].results.length, asked, chosen, range);
      var source = byDate && PARTS.length ?
        yearByYear(words, options.filters, found[0]) : inOrder(found[0].results);
      return showMore(source, 0, filtersOnly, ticket);
    }).then(done);
  }

  /* ---- Facets of many terms: the most used first, the rest on demand or by typing. ---- */

  function arrangeTerms(block) {
    var more = block.querySelector(".recherche-plus-termes");
    var typed = block.querySelector("[data-filtre-termes]");
    var wanted = typed ? fold(typed.value) : "";
    var open = more && more.getAttribute("aria-expanded") === "true";
    all("li", block).forEach(function (item) {
      var box = item.querySelector("input");
      var match = !wanted || fold(box.getAttribute("data-libelle")).indexOf(wanted) !== -1;
      item.hidden = !match || (!wanted && !open && item.hasAttribute("data-plus") && !box.checked);
    });
    all(".recherche-groupe", block).forEach(function (group) {
      group.hidden = !all("li", group).some(function (item) { return !item.hidden; });
    });
    if (more) { more.parentNode.hidden = !!wanted; }
  }

  blocks.forEach(function (block) {
    var more = block.querySelector(".recherche-plus-termes");
    var typed = block.querySelector("[data-filtre-termes]");
    if (more) {
      more.addEventListener("click", function () {
        var open = more.getAttribute("aria-expanded") !== "true";
        more.setAttribute("aria-expanded", String(open));
        more.textContent = open ? "Voir moins" : "Voir les " + more.getAttribute("data-autres") + " autres";
        arrangeTerms(block);
      });
    }
    if (typed) { typed.addEventListener("input", function () { arrangeTerms(block); }); }
    arrangeTerms(block);
  });

  /* ---- On a phone the filters are a panel, opened by « Filtres (n) ». ---- */

  function openPanel(open) {
    form.classList.toggle("recherche-panneau-ouvert", open);
    opener.setAttribute("aria-expanded", String(open));
    if (open) {
      panel.setAttribute("role", "dialog");
      panel.setAttribute("aria-modal", "true");
      $("#recherche-panneau-titre").setAttribute("tabindex", "-1");
      $("#recherche-panneau-titre").focus();
    } else {
      panel.setAttribute("role", "group");
      panel.removeAttribute("aria-modal");
    }
  }
  opener.addEventListener("click", function () { openPanel(true); });
  all(".recherche-fermer").forEach(function (b) {
    b.addEventListener("click", function () { openPanel(false); opener.focus(); });
  });
  all(".recherche-voir").forEach(function (b) {
    b.addEventListener("click", function () { openPanel(false); heading.focus(); });
  });
  panel.addEventListener("keydown", function (event) {
    if (!form.classList.contains("recherche-panneau-ouvert")) { return; }
    if (event.key === "Escape") { openPanel(false); opener.focus(); return; }
    if (event.key !== "Tab") { return; }
    var stops = all("button, input, select, a[href], summary", panel).filter(function (e) {
      return !e.disabled && e.getClientRects().length;
    });
    var first = stops[0];
    var last = stops[stops.length - 1];
    if (event.shiftKey && (document.activeElement === first || document.activeElement === panel.querySelector("h2"))) {
      event.preventDefault(); last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault(); first.focus();
    }
  });

  /* ---- Wiring. ---- */

  $(".recherche-effacer").addEventListener("click", clearFilters);
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(typing);
    run(true);
  });
  query.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { run(false); }, 250);
  });
  [from, to].forEach(function (field) {
    field.addEventListener("input", function () { field.setAttribute("data-brut", field.value); });
  });
  [sort, from, to].concat(boxes).forEach(function (control) {
    control.addEventListener("change", function () { run(true); });
  });
  window.addEventListener("popstate", function () { readAddress(); run(false); });

  readAddress();
  run(false);
  explanation.textContent = "Chargement de la recherche…";
  var index = new URL(form.getAttribute("data-pagefind"), document.baseURI);
  var root = new URL(form.getAttribute("data-racine"), document.baseURI).pathname;
  // Searches wait until Pagefind is ready, its filter index included: a search run
  // earlier would come back without counts.
  var loading = null;
  import(index.href).then(function (module) {
    loading = module;
    return loading.options({ baseUrl: root, excerptLength: 30 });
  }).then(function () {
    return Promise.all(PARTS.map(function (part) {
      var path = new URL(part, document.baseURI).pathname;
      return loading.mergeIndex(path, { baseUrl: root, excerptLength: 30 });
    }));
  }).then(function () {
    // The filter index alone: the counts of the whole collection, before any search.
    return loading.filters();
  }).then(function (counts) {
    totals = counts;
    pagefind = loading;
    run(false);
  }).catch(function () {
    explanation.textContent = "La recherche n'a pas pu être chargée. Vous pouvez consulter la liste de toutes les fiches.";
  });
})();
