// The filing form's computed rows (sales revenue, R&D totals, ratios), kept
// up to date as the user types. The formulas come from the page as data-
// attributes (enterprises/selectors/filings.py computes the same on the
// detail page): value = sum(plus) - sum(minus), divided by
// sum(over-plus) - sum(over-minus) for a ratio. No inline script (CSP).
(function () {
  "use strict";

  function figure(form, name) {
    var input = form.querySelector('[data-figure="' + name + '"]');
    if (!input) { return 0; }
    var text = String(input.value || "").replace(/[,，\s]/g, "");
    var value = parseFloat(text);
    return isFinite(value) ? value : 0;
  }

  function total(form, names) {
    return (names || "").split(" ").filter(Boolean).reduce(function (sum, name) {
      return sum + figure(form, name);
    }, 0);
  }

  function shown(value, unit) {
    if (value === null) { return "—"; }
    if (unit === "percent") {
      return (value * 100).toLocaleString("zh-CN", {
        minimumFractionDigits: 1, maximumFractionDigits: 1
      }) + "%";
    }
    if (unit === "items") {
      return Math.round(value).toLocaleString("zh-CN");
    }
    return value.toLocaleString("zh-CN", {
      minimumFractionDigits: 2, maximumFractionDigits: unit === "money" ? 6 : 2
    });
  }

  function recompute(form) {
    form.querySelectorAll("output[data-computed]").forEach(function (out) {
      var d = out.dataset;
      var top = total(form, d.plus) - total(form, d.minus);
      var value = top;
      if (d.overPlus) {
        var bottom = total(form, d.overPlus) - total(form, d.overMinus);
        value = bottom > 0 ? top / bottom : null;
      }
      out.textContent = shown(value, d.unit) +
        (value !== null && d.unit === "money" ? " 万元" : "");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-filing-form]").forEach(function (form) {
      form.addEventListener("input", function () { recompute(form); });
      recompute(form);
    });
    var summary = document.querySelector("[data-error-summary]");
    if (summary) { summary.focus(); }
  });
})();
