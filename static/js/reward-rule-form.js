/* The reward rule form (templates/projects/rewards/rule_form.html): show
 * only the fields of the chosen kind of rule.
 *
 *   <select data-rule-kind>          the kind (new_tier, rate, ranking, …)
 *   <select data-rule-base>          the base (total, increment, growth)
 *   <input data-kinds="rate ranking" data-bases="increment growth">
 *   <div data-kinds="ranking">…</div>   a block (the rank bands)
 *
 * A field is shown when the chosen kind is in its data-kinds and, if it
 * has data-bases, the chosen base is in them. Hidden fields are ignored by
 * the server, so nothing is lost by hiding them; a field with an error is
 * always shown. Without JavaScript every field stays visible.
 */
(function () {
  "use strict";

  function wrapperOf(element) {
    if (element.matches("input, select, textarea")) {
      return element.closest(".field") || element;
    }
    return element;
  }

  function listed(element, name, value) {
    var words = (element.getAttribute(name) || "").split(/\s+/);
    return words.indexOf(value) !== -1;
  }

  function refresh(form) {
    var kind = form.querySelector("[data-rule-kind]");
    var base = form.querySelector("[data-rule-base]");
    var kindValue = kind ? kind.value : "";
    var baseValue = base ? base.value : "";
    form.querySelectorAll("[data-kinds]").forEach(function (element) {
      var show = listed(element, "data-kinds", kindValue);
      if (show && element.hasAttribute("data-bases") && baseValue) {
        show = listed(element, "data-bases", baseValue);
      }
      var wrapper = wrapperOf(element);
      if (wrapper.classList.contains("has-error")) { show = true; }
      wrapper.hidden = !show;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-reward-rule-form]").forEach(function (form) {
      refresh(form);
      form.addEventListener("change", function (event) {
        if (event.target.matches("[data-rule-kind], [data-rule-base]")) {
          refresh(form);
        }
      });
    });
  });
})();
