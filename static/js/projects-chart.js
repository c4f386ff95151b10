/* 项目管理 home: applications by state as a bar chart (ECharts, vendored).
 *
 *   <div data-state-chart data-labels='["已提交", …]' data-values='[3, …]'
 *        data-series="项目申报"></div>
 *
 * The table under the chart carries the same figures for reading and for
 * screen readers; without ECharts the box stays empty.
 */
(function () {
  "use strict";
  if (!window.echarts) { return; }
  document.querySelectorAll("[data-state-chart]").forEach(function (box) {
    var labels = JSON.parse(box.getAttribute("data-labels") || "[]");
    var values = JSON.parse(box.getAttribute("data-values") || "[]");
    var chart = window.echarts.init(box, null, { renderer: "svg" });
    var font = getComputedStyle(document.documentElement).fontFamily ||
      '"PingFang SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif';
    chart.setOption({
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: {
        type: "category", data: labels,
        axisLabel: { interval: 0, rotate: labels.length > 6 ? 30 : 0, color: "#1f2933" }
      },
      yAxis: { type: "value", minInterval: 1, axisLabel: { color: "#66788a" } },
      series: [{
        name: box.getAttribute("data-series") || "",
        type: "bar", data: values, barMaxWidth: 36,
        itemStyle: { color: "#0b5cad", borderRadius: [3, 3, 0, 0] },
        label: { show: true, position: "top", color: "#1f2933" }
      }]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  });
}());
