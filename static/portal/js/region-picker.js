/*
 * Cascading region picker (portal.widgets.RegionPickerWidget).
 *
 * The server renders every select, the first level's options and the chain of a chosen region.
 * Here, choosing in one select clears the deeper ones, loads the next level's options from the
 * picker's data-children-url and puts the deepest chosen region's id into the hidden input.
 * One listener on the document serves every picker, including those inserted later by htmx.
 */
(function () {
  "use strict";

  if (window.tongxinRegionPicker) {
    return; // loaded twice (two forms' media on one page): one listener is enough
  }
  window.tongxinRegionPicker = true;

  var requestCounter = 0;

  function selectsOf(picker) {
    return Array.prototype.slice.call(picker.querySelectorAll("select[data-step]"));
  }

  function placeholderOption(picker) {
    return new Option(picker.dataset.placeholder || "", "");
  }

  function clear(picker, select) {
    select.replaceChildren(placeholderOption(picker));
    select.disabled = true;
  }

  function fill(picker, select, results) {
    var options = [placeholderOption(picker)];
    results.forEach(function (region) {
      var option = new Option(region.name, String(region.id));
      option.dataset.hasChildren = region.has_children ? "true" : "false";
      options.push(option);
    });
    select.replaceChildren.apply(select, options);
    select.disabled = results.length === 0;
  }

  function updateValue(picker) {
    var hidden = picker.querySelector("input.region-picker-value");
    var value = "";
    selectsOf(picker).every(function (select) {
      if (!select.value) {
        return false;
      }
      value = select.value;
      return true;
    });
    if (hidden && hidden.value !== value) {
      hidden.value = value;
      hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
  }

  function loadChildren(picker, parentId, next) {
    var request = String(++requestCounter);
    picker.dataset.request = request;
    picker.setAttribute("aria-busy", "true");
    var url = new URL(picker.dataset.childrenUrl, window.location.href);
    url.searchParams.set("parent", parentId);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("HTTP " + response.status);
        }
        return response.json();
      })
      .then(function (data) {
        if (picker.dataset.request === request) {
          fill(picker, next, data.results || []);
        }
      })
      .catch(function (error) {
        if (picker.dataset.request === request) {
          picker.classList.add("region-picker-failed");
          window.console.warn("region picker: could not load regions under", parentId, error);
        }
      })
      .finally(function () {
        if (picker.dataset.request === request) {
          picker.removeAttribute("aria-busy");
        }
      });
  }

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.matches("select[data-step]")) {
      return;
    }
    var picker = select.closest(".region-picker");
    if (!picker) {
      return;
    }
    var selects = selectsOf(picker);
    var step = selects.indexOf(select);
    selects.slice(step + 1).forEach(function (deeper) {
      clear(picker, deeper);
    });
    picker.classList.remove("region-picker-failed");
    delete picker.dataset.request; // a slower answer for an earlier choice must not land
    picker.removeAttribute("aria-busy");
    updateValue(picker);

    var next = selects[step + 1];
    var chosen = select.selectedOptions[0];
    if (next && select.value && !(chosen && chosen.dataset.hasChildren === "false")) {
      loadChildren(picker, select.value, next);
    }
  });
})();
