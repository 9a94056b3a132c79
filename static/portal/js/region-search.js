/*
 * Searchable region field (portal.widgets.RegionSearchWidget): as one types, the input's
 * <datalist> is filled from its data-region-search URL with the matching regions' labels
 * (name, ancestors, code). The server reads the code at the end of a chosen label.
 */
(function () {
  "use strict";

  if (window.tongxinRegionSearch) {
    return;
  }
  window.tongxinRegionSearch = true;

  var timer = null;

  function search(input) {
    var text = input.value.trim();
    var list = document.getElementById(input.getAttribute("list"));
    if (!list || text.length < 1 || text.indexOf("·") !== -1) {
      return;
    }
    var url = new URL(input.dataset.regionSearch, window.location.href);
    url.searchParams.set("q", text);
    if (input.dataset.minLevel) {
      url.searchParams.set("min_level", input.dataset.minLevel);
    }
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : { results: [] };
      })
      .then(function (data) {
        var options = (data.results || []).map(function (region) {
          var option = document.createElement("option");
          option.value = region.label;
          return option;
        });
        list.replaceChildren.apply(list, options);
      })
      .catch(function (error) {
        window.console.warn("region search failed", error);
      });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.regionSearch) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      search(input);
    }, 200);
  });
})();
