/* Fichothèque: sort the catalogue table by title or date, without any library.
   Without JavaScript the table stays in its default order (newest first). */
(function () {
  "use strict";
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
})();
