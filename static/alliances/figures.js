/* The villages' figures: one bar chart per indicator (average per village, 万元), drawn by
   ECharts from static/ (never a CDN) from the page's JSON. */
(function () {
  "use strict";
  var source = document.getElementById("figures-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var charts = [];
  function wan(values) { return values.map(function (v) { return v === null ? null : Math.round(v / 100) / 100; }); }
  data.indicators.forEach(function (indicator) {
    var element = document.getElementById("chart-" + indicator.code);
    if (!element) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " 万元"; } },
      legend: { top: 0 },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.labels, axisLabel: { interval: 0, rotate: data.labels.length > 4 ? 30 : 0 } },
      yAxis: { type: "value", name: "万元" },
      series: [
        { name: data.names.all, type: "bar", data: wan(indicator.all), itemStyle: { color: "#1f5fa8" } },
        { name: data.names.ethnic, type: "bar", data: wan(indicator.ethnic), itemStyle: { color: "#b71c1c" } },
        { name: data.names.previous, type: "bar", data: wan(indicator.previous), itemStyle: { color: "#9e9e9e" } }
      ]
    });
    element.dataset.rendered = "true";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
