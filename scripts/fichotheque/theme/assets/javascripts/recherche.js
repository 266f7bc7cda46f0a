/* Fichothèque: the search page, on Pagefind's JavaScript API.
   Terms checked within one facet combine with OR, facets combine with AND; a year range
   narrows by date. The query and the filters live in the address, so that a search can be
   bookmarked, shared, and walked back with the browser's back button. */
(function () {
  "use strict";
  var form = document.getElementById("recherche");
  if (!form) { return; }
  form.hidden = false;  // without JavaScript the form would do nothing: it stays hidden
  var status = document.getElementById("recherche-etat");
  var list = document.getElementById("recherche-resultats");
  var query = document.getElementById("recherche-q");
  var sort = document.getElementById("recherche-tri");
  var from = document.getElementById("recherche-de");
  var to = document.getElementById("recherche-a");
  var boxes = Array.prototype.slice.call(form.querySelectorAll("input[type=checkbox]"));
  var facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facette]"),
    function (fieldset) { return fieldset.getAttribute("data-facette"); });
  var labels = {};
  boxes.forEach(function (box) { labels[box.name + ":" + box.value] = box.getAttribute("data-libelle"); });
  var pagefind = null;
  var pending = null;
  var PAGE_SIZE = 10;  // results are fetched ten at a time: each one costs a download

  function text(tag, content, className) {
    var element = document.createElement(tag);
    element.textContent = content;
    if (className) { element.className = className; }
    return element;
  }

  function selection() {
    var chosen = {};
    boxes.forEach(function (box) {
      if (box.checked) { (chosen[box.name] = chosen[box.name] || []).push(box.value); }
    });
    return chosen;
  }

  function writeAddress(push) {
    var params = new URLSearchParams();
    if (query.value.trim()) { params.set("q", query.value.trim()); }
    var chosen = selection();
    facets.forEach(function (facet) {
      (chosen[facet] || []).forEach(function (value) { params.append(facet, value); });
    });
    if (from.value) { params.set("de", from.value); }
    if (to.value) { params.set("a", to.value); }
    if (sort.value) { params.set("tri", sort.value); }
    var address = location.pathname + (params.toString() ? "?" + params.toString() : "");
    if (address !== location.pathname + location.search) {
      history[push ? "pushState" : "replaceState"](null, "", address);
    }
  }

  function readAddress() {
    var params = new URLSearchParams(location.search);
    query.value = params.get("q") || "";
    sort.value = params.get("tri") || "";
    from.value = params.get("de") || "";
    to.value = params.get("a") || "";
    boxes.forEach(function (box) { box.checked = params.getAll(box.name).indexOf(box.value) !== -1; });
  }

  function filters() {
    var result = {};
    var chosen = selection();
    Object.keys(chosen).forEach(function (facet) { result[facet] = { any: chosen[facet] }; });
    var first = parseInt(from.value || from.min, 10);
    var last = parseInt(to.value || to.max, 10);
    if ((from.value || to.value) && first <= last) {
      var years = [];
      for (var year = first; year <= last; year++) { years.push(String(year)); }
      result.annee = { any: years };
    }
    return result;
  }

  function showCounts(counts) {
    boxes.forEach(function (box) {
      var count = ((counts || {})[box.name] || {})[box.value] || 0;
      box.parentNode.querySelector("[data-compte]").textContent = "(" + count + ")";
    });
  }

  function clearFilters() {
    boxes.forEach(function (box) { box.checked = false; });
    from.value = "";
    to.value = "";
    run(true);
  }

  function showMore(search, shown) {
    var more = document.getElementById("recherche-plus");
    if (more) { more.remove(); }
    var next = search.results.slice(shown, shown + PAGE_SIZE);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (data) {
      data.forEach(function (result) { list.appendChild(item(result)); });
      if (shown + next.length < search.results.length) {
        var button = text("button", "Afficher plus de résultats", "md-button md-button--primary");
        button.type = "button";
        button.id = "recherche-plus";
        button.addEventListener("click", function () {
          showMore(search, shown + next.length).then(function () {
            var links = list.querySelectorAll("li h2 a");
            if (links[shown + next.length]) { links[shown + next.length].focus(); }
          });
        });
        list.parentNode.insertBefore(button, list.nextSibling);
      }
    });
  }

  function announce(search) {
    var count = search.results.length;
    status.textContent = "";
    if (count === 0) {
      status.appendChild(text("p", "Aucun résultat."));
      if (Object.keys(filters()).length) {
        var button = text("button", "Retirer les filtres", "md-button md-button--primary");
        button.type = "button";
        button.addEventListener("click", clearFilters);
        status.appendChild(button);
      }
    } else {
      status.appendChild(text("p", count + (count > 1 ? " fiches trouvées" : " fiche trouvée")));
    }
  }

  function item(result) {
      var item = document.createElement("li");
      var heading = document.createElement("h2");
      var link = text("a", result.meta.title || result.url);
      link.href = result.url;
      heading.appendChild(link);
      item.appendChild(heading);
      if (result.meta.date) { item.appendChild(text("p", result.meta.date, "recherche-date")); }
      var excerpt = document.createElement("p");
      excerpt.className = "recherche-extrait";
      excerpt.innerHTML = result.excerpt;  // Pagefind's excerpt: escaped text and <mark>
      item.appendChild(excerpt);
      var categories = [];
      facets.forEach(function (facet) {
        ((result.filters || {})[facet] || []).forEach(function (value) {
          categories.push(labels[facet + ":" + value] || value);
        });
      });
      if (categories.length) { item.appendChild(text("p", categories.join(" · "), "recherche-categories")); }
      return item;
  }

  var baseTitle = document.title;

  function run(push) {
    writeAddress(push);
    // The tab, the history and a bookmark say what was searched.
    var asked = query.value.trim();
    document.title = asked ? "« " + asked + " » – " + baseTitle : baseTitle;
    if (!pagefind) { return; }
    var options = { filters: filters() };
    if (sort.value === "date") { options.sort = { date: "desc" }; }
    var terms = query.value.trim() || null;
    var current = pagefind.search(terms, options);
    pending = current;
    current.then(function (search) {
      if (pending !== current || !search) { return null; }
      showCounts(search.filters);
      list.textContent = "";
      return showMore(search, 0).then(function () {
        if (pending === current) { announce(search); }
      });
    });
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  var typing = null;
  query.addEventListener("input", function () {
    clearTimeout(typing);
    typing = setTimeout(function () { run(false); }, 250);
  });
  [sort, from, to].concat(boxes).forEach(function (control) {
    control.addEventListener("change", function () { run(true); });
  });
  window.addEventListener("popstate", function () { readAddress(); run(false); });

  readAddress();
  status.textContent = "Chargement de l'index de recherche…";
  var index = new URL(form.getAttribute("data-pagefind"), document.baseURI);
  var root = new URL(form.getAttribute("data-racine"), document.baseURI).pathname;
  import(index.href).then(function (module) {
    pagefind = module;
    return pagefind.options({ baseUrl: root, excerptLength: 30 });
  }).then(function () {
    // Loading the filter index up front is what makes each search report its counts.
    return pagefind.filters();
  }).then(function () { run(false); }).catch(function () {
    status.textContent = "L'index de recherche n'a pas pu être chargé.";
  });
})();
