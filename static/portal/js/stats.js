/* The figures' dashboard: ECharts (from static/, never a CDN) drawn from the page's JSON.
   Every bar and point opens the appeal list behind it, like the numbers in the tables. */
(function () {
  "use strict";
  var source = document.getElementById("stats-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var names = data.names;
  var RED = "#b71c1c", GREY = "#9e9e9e", BLUE = "#1f5fa8", GOLD = "#e0a800";
  var charts = [];

  function pct(value) { return value === null || value === undefined ? "—" : (value * 100).toFixed(1) + "%"; }
  function asPercent(values) { return values.map(function (v) { return v === null ? null : Math.round(v * 1000) / 10; }); }

  function draw(id, option, urlsBySeries) {
    var element = document.getElementById(id);
    if (!element) { return; }
    var chart = echarts.init(element, null, { renderer: "canvas" });
    option.animation = false;
    chart.setOption(option);
    chart.on("click", function (params) {
      var urls = urlsBySeries[params.seriesIndex] || urlsBySeries[0];
      var url = urls && urls[params.dataIndex];
      if (url) { window.location.href = url; }
    });
    element.dataset.rendered = "true";
    charts.push(chart);
  }

  function volumeAndRates(series, rateKeys) {
    var lines = rateKeys.map(function (key, i) {
      return {
        name: names[key], type: "line", yAxisIndex: 1, data: asPercent(series[key]),
        connectNulls: false, symbolSize: 6, itemStyle: { color: i === 0 ? RED : GOLD },
        tooltip: { valueFormatter: function (v) { return v === null ? "—" : v + "%"; } }
      };
    });
    return {
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 56, top: 36, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: series.labels, axisLabel: { interval: 0, rotate: series.labels.length > 8 ? 30 : 0 } },
      yAxis: [
        { type: "value", minInterval: 1 },
        { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } }
      ],
      series: [
        { name: names.accepted, type: "bar", data: series.accepted, itemStyle: { color: BLUE } },
        { name: names.closed, type: "bar", data: series.closed, itemStyle: { color: GREY } }
      ].concat(lines)
    };
  }

  draw("chart-trend", volumeAndRates(data.trend, ["closure_rate", "on_time_rate"]),
       [data.trend.urls, data.trend.closed_urls]);

  var ranking = data.ranking, key = data.rank_by;
  draw("chart-ranking", {
    tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null ? "—" : v + "%"; } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: "value", min: 0, max: 100, axisLabel: { formatter: "{value}%" } },
    yAxis: { type: "category", inverse: true, data: ranking.labels },
    series: [{
      name: names.rank, type: "bar",
      data: asPercent(ranking[key]).map(function (v, i) {
        return { value: v, itemStyle: { color: ranking.lowest[i] ? RED : BLUE } };
      }),
      label: { show: true, position: "right", formatter: function (p) { return pct(ranking[key][p.dataIndex]); } }
    }]
  }, [ranking.closed_urls]);

  ["category", "county", "source", "session"].forEach(function (name) {
    if (data[name]) {
      draw("chart-" + name, volumeAndRates(data[name], ["closure_rate"]),
           [data[name].urls, data[name].closed_urls]);
    }
  });

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
