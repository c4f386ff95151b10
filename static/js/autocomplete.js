/* Searchable pickers for page forms (bureau.lib.widgets.SearchPicker).
 *
 * Markup (rendered by the widget, no inline script):
 *   <span class="picker" data-autocomplete="/enterprises/search/">
 *     <input type="search" data-autocomplete-input>   what the user types
 *     <input type="hidden" data-autocomplete-value>   the chosen id (posted)
 *     <span data-autocomplete-empty hidden>无匹配</span>
 *   </span>
 * Typing asks the URL (?q=…) for {results: [{id, name, credit_code}]}, which
 * the server scopes to the user, and lists them under the box; a click, or
 * the arrow keys and Enter, chooses one. Changing the text clears the choice
 * until a new one is made, so a half-typed name is never posted as a choice.
 * Pickers added to the page later (a row added by table-editor.js) are set
 * up as they arrive.
 */
(function () {
  "use strict";

  function setUp(picker) {
    var url = picker.getAttribute("data-autocomplete");
    var input = picker.querySelector("[data-autocomplete-input]");
    var hidden = picker.querySelector("[data-autocomplete-value]");
    var empty = picker.querySelector("[data-autocomplete-empty]");
    if (!url || !input || !hidden || picker.hasAttribute("data-autocomplete-ready")) { return; }
    picker.setAttribute("data-autocomplete-ready", "");
    var list = document.createElement("ul");
    list.setAttribute("role", "listbox");
    list.id = input.id + "-options";
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    picker.style.position = "relative";
    picker.style.display = "inline-block";
    picker.style.minWidth = "22em";
    input.style.width = "100%";
    var s = list.style;
    s.position = "absolute"; s.zIndex = "20"; s.left = "0"; s.right = "0";
    s.margin = "2px 0 0"; s.padding = "0"; s.listStyle = "none";
    s.background = "#fff"; s.border = "1px solid #c5d0db"; s.borderRadius = "4px";
    s.maxHeight = "18em"; s.overflowY = "auto";
    s.boxShadow = "0 4px 12px rgba(0,0,0,.12)";
    picker.appendChild(list);

    var timer = null, active = -1, items = [], asked = 0;

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
    }

    function highlight(index) {
      active = index;
      Array.prototype.forEach.call(list.children, function (li, i) {
        li.setAttribute("aria-selected", i === index ? "true" : "false");
        li.style.background = i === index ? "#e8f0fa" : "";
      });
      if (list.children[index]) { list.children[index].scrollIntoView({block: "nearest"}); }
    }

    function choose(item) {
      hidden.value = item.id;
      input.value = item.name;
      close();
      hidden.dispatchEvent(new Event("change", {bubbles: true}));
    }

    function show(results) {
      items = results;
      list.textContent = "";
      results.forEach(function (item, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.id = list.id + "-" + i;
        li.style.padding = "4px 8px";
        li.style.cursor = "pointer";
        li.textContent = item.name;
        if (item.credit_code) {
          var code = document.createElement("span");
          code.textContent = " " + item.credit_code;
          code.style.color = "#66788a";
          code.style.fontSize = "85%";
          li.appendChild(code);
        }
        li.addEventListener("mousedown", function (event) {
          event.preventDefault();  // keep the focus in the box
          choose(item);
        });
        li.addEventListener("mouseenter", function () { highlight(i); });
        list.appendChild(li);
      });
      if (empty) { empty.hidden = results.length > 0 || !input.value.trim(); }
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
    }

    function search() {
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(input.value.trim()), {
        credentials: "same-origin",
        headers: {"Accept": "application/json"}
      })
        .then(function (response) { return response.ok ? response.json() : {results: []}; })
        .then(function (data) { if (ticket === asked) { show(data.results || []); } })
        .catch(function () { if (ticket === asked) { show([]); } });
    }

    input.addEventListener("input", function () {
      hidden.value = "";
      asked++;  // an answer still on its way is for the old text: drop it
      close();  // the options shown were for the old text
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", function () {
      if (!hidden.value) { search(); }
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight(Math.min(active + 1, items.length - 1));
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(Math.max(active - 1, 0));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(items[active]);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  function setUpWithin(node) {
    if (node.nodeType !== 1) { return; }
    if (node.hasAttribute("data-autocomplete")) { setUp(node); }
    node.querySelectorAll("[data-autocomplete]").forEach(setUp);
  }

  function start() {
    setUpWithin(document.body);
    // Rows added later (table-editor.js clones a <template>) bring new pickers.
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        Array.prototype.forEach.call(change.addedNodes, setUpWithin);
      });
    }).observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
