/* The ladder funnel (梯队培育) chart, ECharts (vendored in static/vendor).
 *
 * Reads the page's json_script block #funnel-data:
 *   {year, title, tiers: [{name, held, awarded, first}] (lowest tier first),
 *    labels: {held, awarded, first, unit, empty}}
 * and draws a funnel of the enterprises holding each tier into
 * [data-chart="funnel"] (its height from data-height, in pixels). A
 * select[data-autosubmit] submits its form on change (the year filter).
 */
(function () {
  "use strict";

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  var source = document.getElementById("funnel-data");
  var target = document.querySelector('[data-chart="funnel"]');
  if (!source || !target) { return; }
  var data = JSON.parse(source.textContent);
  var labels = data.labels;
  target.style.width = "100%";
  target.style.height = (parseInt(target.dataset.height, 10) || 360) + "px";

  var total = data.tiers.reduce(function (sum, t) { return sum + t.held; }, 0);
  if (!window.echarts || total === 0) {
    target.style.height = "auto";
    target.className = "muted";
    target.textContent = labels.empty;
    return;
  }
  var root = getComputedStyle(document.documentElement);
  var FONT = root.fontFamily ||
    '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
  var COLOURS = ["#9cc3e6", "#6fa8dc", "#3d85c6", "#0b5cad", "#073f7a", "#04264a"];
  var byName = {};
  data.tiers.forEach(function (t) { byName[t.name] = t; });

  var chart = window.echarts.init(target);
  chart.setOption({
    textStyle: { fontFamily: FONT },
    color: COLOURS,
    tooltip: {
      trigger: "item",
      formatter: function (p) {
        var t = byName[p.name];
        return p.name + "<br>" + labels.held + "：" + t.held + labels.unit +
          "<br>" + labels.awarded + "：" + t.awarded + labels.unit +
          "<br>" + labels.first + "：" + t.first + labels.unit;
      }
    },
    series: [{
      type: "funnel",
      left: "10%", width: "80%", top: 10, bottom: 10,
      minSize: "12%", maxSize: "100%",
      sort: "none",
      gap: 2,
      label: {
        show: true, position: "inside", color: "#fff",
        formatter: function (p) { return p.name + "  " + p.value + labels.unit; }
      },
      // Widest at the top: the broadest tier first, the highest last.
      data: data.tiers.slice().sort(function (a, b) { return b.held - a.held; })
        .map(function (t) { return { name: t.name, value: t.held }; })
    }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
