// The review list: tick every filing awaiting review on the page at once,
// and say how many are ticked (in the page's words: data-template). No inline script (CSP).
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-bulk]");
    if (!form) { return; }
    var all = form.querySelector("[data-tick-all]");
    var ticks = Array.prototype.slice.call(form.querySelectorAll("[data-tick]"));
    var count = form.querySelector("[data-bulk-count]");
    var submit = form.querySelector("[data-bulk-submit]");

    function update() {
      var n = ticks.filter(function (t) { return t.checked; }).length;
      if (count) {
        count.textContent = n ? (count.dataset.template || "{n}").replace("{n}", n) : "";
      }
      if (submit) { submit.disabled = n === 0; }
      if (all) {
        all.checked = n > 0 && n === ticks.length;
        all.indeterminate = n > 0 && n < ticks.length;
        all.disabled = ticks.length === 0;
      }
    }

    if (all) {
      all.addEventListener("change", function () {
        ticks.forEach(function (t) { t.checked = all.checked; });
        update();
      });
    }
    ticks.forEach(function (t) { t.addEventListener("change", update); });
    update();
  });
})();
