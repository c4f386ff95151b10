// The main menu (templates/base.html): the menu button of narrow screens, and
// the area groups (<details>) closing when another opens, on a click
// elsewhere and on Escape. Without this script every link is still shown.
(function () {
  "use strict";
  document.documentElement.classList.add("js-nav");

  function init() {
    var bar = document.querySelector("[data-nav]");
    if (!bar) return;
    var toggle = bar.querySelector("[data-nav-toggle]");
    var groups = Array.prototype.slice.call(bar.querySelectorAll("[data-nav-group]"));

    function closeGroups(except) {
      groups.forEach(function (group) {
        if (group !== except) group.open = false;
      });
    }

    if (toggle) {
      toggle.addEventListener("click", function () {
        var open = bar.classList.toggle("open");
        toggle.setAttribute("aria-expanded", open ? "true" : "false");
      });
    }

    groups.forEach(function (group) {
      group.addEventListener("toggle", function () {
        if (group.open) closeGroups(group);
      });
    });

    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest("[data-nav-group]")) closeGroups(null);
    });

    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") return;
      var open = groups.filter(function (group) { return group.open; });
      closeGroups(null);
      if (open.length) open[0].querySelector("summary").focus();
      else if (toggle && bar.classList.contains("open")) {
        bar.classList.remove("open");
        toggle.setAttribute("aria-expanded", "false");
        toggle.focus();
      }
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
