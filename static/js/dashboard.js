/* Charts of the indicator dashboard (ECharts, vendored in static/vendor).
 *
 * Reads the page's json_script block #dashboard-data:
 *   {boards: [{code, name, unit,
 *              trend: {years, values, targets},
 *              streets: {measure: "progress"|"value", unit, names, values,
 *                        colours, schedule},
 *              peers: {unit, names, values, home}}],
 *    labels: {actual, target, schedule, completion, value, noData}}
 * and draws into [data-chart="trend"], [data-chart="streets"] and
 * [data-chart="peers"] (each where the page has one). A
 * [data-chart-select] picks the indicator; select[data-autosubmit] submits
 * its form on change.
 */
(function () {
  "use strict";

  // Bar widths and schedule marks, from data- attributes (the CSP allows no
  // inline style attributes).
  document.querySelectorAll("[data-width]").forEach(function (el) {
    el.style.width = el.getAttribute("data-width") + "%";
  });
  document.querySelectorAll("[data-left]").forEach(function (el) {
    el.style.left = el.getAttribute("data-left") + "%";
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var source = document.getElementById("dashboard-data");
  if (!source || !window.echarts) { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  var root = getComputedStyle(document.documentElement);
  var FONT = root.fontFamily ||
    '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
  var INK = "#1f2933", MUTED = "#66788a", LINE = "#dde3ea", BRAND = "#0b5cad";

  function base() {
    return parseFloat(root.fontSize) || 15;
  }

  function number(value, unit, digits) {
    if (value === null || value === undefined) { return labels.noData; }
    // Completion rates with one decimal; amounts with two, none when large.
    if (digits === undefined) {
      digits = unit === "%" ? 1
        : Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : 2;
    }
    var text = value.toLocaleString("zh-CN", {
      minimumFractionDigits: digits, maximumFractionDigits: digits
    });
    return text + (unit || "");
  }

  function axisNumber(value) {
    return Math.abs(value) >= 10000 ? (value / 10000).toLocaleString("zh-CN") + "万"
      : value.toLocaleString("zh-CN");
  }

  function trendOption(board) {
    var size = base();
    var t = board.trend;
    var hasTarget = t.targets.some(function (v) { return v !== null; });
    var series = [{
      name: labels.actual, type: "bar", data: t.values, barMaxWidth: size * 3,
      itemStyle: { color: BRAND, borderRadius: [3, 3, 0, 0] },
      label: {
        show: true, position: "top", fontSize: size * 0.8, color: INK,
        formatter: function (p) {
          return board.unit === "%" ? number(p.value, "%", 2) : number(p.value);
        }
      }
    }];
    if (hasTarget) {
      series.push({
        name: labels.target, type: "line", data: t.targets, connectNulls: true,
        symbol: "circle", symbolSize: size * 0.5,
        lineStyle: { color: "#c62828", width: 2, type: "dashed" },
        itemStyle: { color: "#c62828" }
      });
    }
    return {
      textStyle: { fontFamily: FONT, fontSize: size * 0.85 },
      grid: { left: size * 0.5, right: size, top: size * 2.6, bottom: size * 0.5, containLabel: true },
      legend: { top: 0, right: 0, textStyle: { color: MUTED, fontSize: size * 0.85 } },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) {
          return number(v, board.unit, board.unit === "%" ? 2 : undefined);
        }
      },
      xAxis: {
        type: "category", data: t.years,
        axisLine: { lineStyle: { color: LINE } }, axisTick: { show: false },
        axisLabel: { color: INK, fontSize: size * 0.85 }
      },
      yAxis: {
        type: "value", name: board.unit, nameTextStyle: { color: MUTED, align: "left" },
        splitLine: { lineStyle: { color: LINE } },
        axisLabel: { color: MUTED, formatter: axisNumber }
      },
      series: series
    };
  }

  function streetOption(board) {
    var size = base();
    var s = board.streets;
    var progress = s.measure === "progress";
    var points = s.values.map(function (value, i) {
      return { value: value, itemStyle: { color: s.colours[i], borderRadius: [0, 3, 3, 0] } };
    });
    var series = {
      name: progress ? labels.completion : labels.value,
      type: "bar", data: points, barMaxWidth: size * 1.2,
      label: {
        show: true, position: "right", fontSize: size * 0.78, color: INK,
        formatter: function (p) { return number(p.value, progress ? "%" : s.unit); }
      }
    };
    if (progress && s.schedule !== null) {
      series.markLine = {
        silent: true, symbol: "none",
        lineStyle: { color: INK, type: "dashed", width: 1.5 },
        label: {
          formatter: labels.schedule + " " + number(s.schedule, "%"),
          position: "start", distance: 4, color: INK, fontSize: size * 0.78
        },
        data: [{ xAxis: s.schedule }]
      };
    }
    return {
      textStyle: { fontFamily: FONT, fontSize: size * 0.85 },
      grid: { left: size * 0.5, right: size * 3.5, top: size * 1.6, bottom: size * 0.2, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return number(v, s.unit); }
      },
      xAxis: {
        type: "value", name: s.unit, nameTextStyle: { color: MUTED },
        splitLine: { lineStyle: { color: LINE } },
        axisLabel: { color: MUTED, formatter: axisNumber }
      },
      yAxis: {
        type: "category", data: s.names, inverse: true,
        axisLine: { lineStyle: { color: LINE } }, axisTick: { show: false },
        axisLabel: { color: INK, fontSize: size * 0.82 }
      },
      series: [series]
    };
  }

  function peersOption(board) {
    var size = base();
    var p = board.peers;
    var points = p.values.map(function (value, i) {
      return { value: value, itemStyle: { color: p.home[i] ? BRAND : "#b5c7da", borderRadius: [0, 3, 3, 0] } };
    });
    return {
      textStyle: { fontFamily: FONT, fontSize: size * 0.85 },
      grid: { left: size * 0.5, right: size * 4, top: size * 0.6, bottom: size * 0.2, containLabel: true },
      tooltip: {
        trigger: "axis", axisPointer: { type: "shadow" },
        valueFormatter: function (v) { return number(v, p.unit); }
      },
      xAxis: { type: "value", show: false },
      yAxis: {
        type: "category", data: p.names, inverse: true,
        axisLine: { lineStyle: { color: LINE } }, axisTick: { show: false },
        axisLabel: {
          fontSize: size * 0.82,
          formatter: function (name, i) { return (i + 1) + "  " + name; },
          color: INK
        }
      },
      series: [{
        name: labels.ranking, type: "bar", data: points, barMaxWidth: size * 1.1,
        label: {
          show: true, position: "right", fontSize: size * 0.78, color: INK,
          formatter: function (item) { return number(item.value, p.unit); }
        }
      }]
    };
  }

  var charts = [];
  var OPTIONS = { trend: trendOption, streets: streetOption, peers: peersOption };

  function draw(kind, board) {
    var el = document.querySelector('[data-chart="' + kind + '"]');
    if (!el) { return; }
    var chart = echarts.getInstanceByDom(el);
    var empty = kind === "trend"
      ? board.trend.values.every(function (v) { return v === null; }) &&
        board.trend.targets.every(function (v) { return v === null; })
      : board[kind].values.every(function (v) { return v === null; });
    if (empty) {
      if (chart) { chart.dispose(); }
      el.classList.add("chart-empty");
      el.style.height = "";
      el.textContent = labels.noData;
      return;
    }
    el.classList.remove("chart-empty");
    if (!chart) { el.textContent = ""; }
    if (kind === "streets") {
      // One row per street: tall enough to read every name.
      el.style.height = Math.max(base() * 14, board.streets.names.length * base() * 1.65 + base() * 3) + "px";
    }
    chart = chart || echarts.init(el, null, { renderer: "canvas" });
    if (charts.indexOf(chart) < 0) { charts.push(chart); }
    chart.setOption(OPTIONS[kind](board), true);
    chart.resize();
  }

  function show(index) {
    var board = data.boards[index];
    if (!board) { return; }
    draw("trend", board);
    draw("streets", board);
    draw("peers", board);
  }

  var picker = document.querySelector("[data-chart-select]");
  if (picker) {
    picker.addEventListener("change", function () { show(Number(picker.value)); });
  }
  show(picker ? Number(picker.value) : 0);

  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () {
      charts.forEach(function (c) { if (!c.isDisposed()) { c.resize(); } });
    }, 120);
  });
})();
