/* Table editors of the project forms (budget lines, team members,
 * milestones with their tranches): a Django formset shown as a table.
 *
 *   <fieldset data-table-editor data-prefix="budget"
 *             data-sum="amount"                 column to total (optional)
 *             data-target-input="id_requested_amount"   total against a box
 *             data-target-wan="60"              ...or against a fixed sum
 *             data-row-label="第{n}行">
 *     management form (…-TOTAL_FORMS), <tbody data-rows> of <tr data-row>,
 *     <template data-empty-row> (the formset's empty form, __prefix__),
 *     <button data-add>, <button data-remove> in each row,
 *     <output data-total>, <output data-target>, <span data-diff>
 *
 * Rows are added and removed in place; after a removal the rows are
 * renumbered so the server reads them in the order shown. Pasting
 * tab-separated rows copied from Excel into any cell fills the table from
 * that cell on, adding rows as needed; a select takes the option whose
 * label or value matches. No inline script: everything is wired here.
 */
(function () {
  "use strict";

  function number(text) {
    var value = parseFloat(String(text || "").replace(/[,，\s]/g, ""));
    return isNaN(value) ? 0 : value;
  }

  function wanText(value) {
    return value.toLocaleString("zh-CN", {
      minimumFractionDigits: 2, maximumFractionDigits: 6
    });
  }

  function Editor(root) {
    this.root = root;
    this.prefix = root.getAttribute("data-prefix");
    this.body = root.querySelector("[data-rows]");
    this.template = root.querySelector("template[data-empty-row]");
    this.total = root.querySelector("input[name='" + this.prefix + "-TOTAL_FORMS']");
    this.sum = root.getAttribute("data-sum");
    this.rowLabel = root.getAttribute("data-row-label") || "{n}";
    var self = this;
    var add = root.querySelector("[data-add]");
    if (add) {
      add.addEventListener("click", function () {
        var row = self.addRow();
        var first = row.querySelector("input, select, textarea");
        if (first) { first.focus(); }
      });
    }
    root.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove]");
      if (button && root.contains(button)) {
        self.removeRow(button.closest("[data-row]"));
      }
    });
    root.addEventListener("input", function () { self.refresh(); });
    root.addEventListener("change", function () { self.refresh(); });
    root.addEventListener("paste", function (event) { self.paste(event); });
    var targetId = root.getAttribute("data-target-input");
    this.targetInput = targetId ? document.getElementById(targetId) : null;
    if (this.targetInput) {
      this.targetInput.addEventListener("input", function () { self.refresh(); });
    }
    this.renumber();
    this.refresh();
  }

  Editor.prototype.rows = function () {
    return Array.prototype.slice.call(this.body.querySelectorAll("[data-row]"));
  };

  Editor.prototype.addRow = function () {
    var index = this.rows().length;
    var html = this.template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("tbody");
    holder.innerHTML = html.trim();
    var row = holder.querySelector("[data-row]");
    this.body.appendChild(row);
    this.renumber();
    this.refresh();
    return row;
  };

  Editor.prototype.removeRow = function (row) {
    if (!row) { return; }
    row.parentNode.removeChild(row);
    if (!this.rows().length) { this.addRow(); }
    this.renumber();
    this.refresh();
  };

  /* Rows 0..n-1 in the order shown: names, ids, label targets, row numbers. */
  Editor.prototype.renumber = function () {
    var prefix = this.prefix;
    var pattern = new RegExp("^(id_)?" + prefix + "-\\d+-");
    var rowLabel = this.rowLabel;
    this.rows().forEach(function (row, index) {
      var fresh = prefix + "-" + index + "-";
      row.querySelectorAll("[name], [id], label[for], [aria-controls]").forEach(function (el) {
        ["name", "id", "for", "aria-controls"].forEach(function (attr) {
          var value = el.getAttribute(attr);
          if (value && pattern.test(value)) {
            el.setAttribute(attr, value.replace(pattern, function (m, id) {
              return (id || "") + fresh;
            }));
          }
        });
      });
      var cell = row.querySelector("[data-row-number]");
      if (cell) { cell.textContent = String(index + 1); }
      row.querySelectorAll("[data-row-name]").forEach(function (el) {
        el.textContent = rowLabel.replace("{n}", String(index + 1));
      });
    });
    if (this.total) { this.total.value = String(this.rows().length); }
  };

  Editor.prototype.refresh = function () {
    if (!this.sum) { return; }
    var sum = this.sum;
    var total = 0;
    this.rows().forEach(function (row) {
      var box = row.querySelector("[name$='-" + sum + "']");
      if (box) { total += number(box.value); }
    });
    var out = this.root.querySelector("[data-total]");
    if (out) { out.textContent = wanText(total); }
    var targetText = this.targetInput ? this.targetInput.value
      : this.root.getAttribute("data-target-wan");
    var targetOut = this.root.querySelector("[data-target]");
    var diffOut = this.root.querySelector("[data-diff]");
    if (targetText === null || targetText === undefined) { return; }
    var target = number(targetText);
    if (targetOut) { targetOut.textContent = wanText(target); }
    var diff = Math.round((total - target) * 1e6) / 1e6;
    this.root.classList.toggle("total-off", diff !== 0);
    this.root.classList.toggle("total-ok", diff === 0 && total > 0);
    if (diffOut) {
      diffOut.textContent = diff === 0 ? diffOut.getAttribute("data-equal")
        : (diff > 0 ? diffOut.getAttribute("data-over") : diffOut.getAttribute("data-under"))
          .replace("{x}", wanText(Math.abs(diff)));
    }
  };

  function setValue(el, text) {
    var value = text.trim();
    if (el.tagName === "SELECT") {
      var found = Array.prototype.find.call(el.options, function (option) {
        return option.value === value || option.textContent.trim() === value;
      });
      if (found) { el.value = found.value; }
      return;
    }
    if (el.type === "date") {
      // Excel gives 2026/6/30 or 2026-6-30: the date box wants 2026-06-30.
      var m = value.match(/^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/);
      if (m) {
        value = m[1] + "-" + ("0" + m[2]).slice(-2) + "-" + ("0" + m[3]).slice(-2);
      }
    }
    el.value = value;
  }

  /* Tab-separated rows from Excel, filled from the cell pasted into. */
  Editor.prototype.paste = function (event) {
    var text = (event.clipboardData || window.clipboardData).getData("text");
    if (!text || (text.indexOf("\t") < 0 && text.indexOf("\n") < 0)) { return; }
    var start = event.target.closest("[data-row]");
    if (!start) { return; }
    event.preventDefault();
    var lines = text.replace(/\r/g, "").split("\n");
    while (lines.length && lines[lines.length - 1].trim() === "") { lines.pop(); }
    var rows = this.rows();
    var rowIndex = rows.indexOf(start);
    var fields = function (row) {
      return Array.prototype.slice.call(
        row.querySelectorAll("input:not([type=hidden]), select, textarea"));
    };
    var column = fields(start).indexOf(event.target);
    if (column < 0) { column = 0; }
    var self = this;
    lines.forEach(function (line, offset) {
      var row = self.rows()[rowIndex + offset] || self.addRow();
      var boxes = fields(row);
      line.split("\t").forEach(function (cell, c) {
        var box = boxes[column + c];
        if (box) { setValue(box, cell); }
      });
    });
    this.refresh();
  };

  document.querySelectorAll("[data-table-editor]").forEach(function (root) {
    root.tableEditor = new Editor(root);
  });
}());
