/* The cockpit's trend per section: a small line of the section's first figure over the last
   periods, drawn by ECharts from static/ (never a CDN) from the page's JSON. */
(function () {
  "use strict";
  var source = document.getElementById("cockpit-data");
  if (!source || typeof echarts === "undefined") { return; }
  var charts = [];
  JSON.parse(source.textContent).forEach(function (trend) {
    var element = document.getElementById(trend.id);
    if (!element) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 12, top: 12, bottom: 4, containLabel: true },
      xAxis: { type: "category", data: trend.labels, axisLabel: { fontSize: 10 } },
      yAxis: { type: "value", splitNumber: 3, axisLabel: { fontSize: 10 } },
      series: [{ name: trend.label, type: "line", data: trend.values, symbolSize: 6,
                 itemStyle: { color: "#b71c1c" }, areaStyle: { opacity: 0.08 } }]
    });
    element.dataset.rendered = "true";
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
