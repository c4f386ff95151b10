// Review lists: a header checkbox [data-select-all] chooses every row
// checkbox of its table ([data-bulk-table]) that is enabled. No inline JS.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.hasAttribute("data-select-all")) {
      return;
    }
    var table = box.closest("[data-bulk-table]");
    if (!table) {
      return;
    }
    table.querySelectorAll('tbody input[type="checkbox"][name="ids"]').forEach(function (row) {
      if (!row.disabled) {
        row.checked = box.checked;
      }
    });
  });
})();
