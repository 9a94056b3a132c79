/*
 * Appeal pages (企呼我应).
 *
 * The action forms post with htmx and swap their own panel. A form with errors comes back as
 * HTTP 400 with the panel re-rendered, errors next to the fields: htmx does not swap error
 * responses by default, so let it swap these. Everything else works without this script.
 */
(function () {
  "use strict";

  if (window.tongxinAppeals) {
    return;
  }
  window.tongxinAppeals = true;

  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail;
    if (detail.xhr && detail.xhr.status === 400 && detail.target &&
        detail.target.hasAttribute("data-appeal-action")) {
      detail.shouldSwap = true;
      detail.isError = false;
    }
  });

  // After a swap, bring the first field with an error into view and focus it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    // An outerHTML swap replaced the target: find its successor by id.
    var panel = target && target.id ? document.getElementById(target.id) : null;
    if (!panel || !panel.hasAttribute("data-appeal-action")) {
      return;
    }
    var invalid = panel.querySelector(".is-invalid");
    if (invalid) {
      invalid.scrollIntoView({ block: "center", behavior: "smooth" });
      invalid.focus({ preventScroll: true });
    }
  });

  // Rating: a dissatisfied answer needs a comment; say so next to the comment box at once.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=radio][name='rate-rating']")) {
      return;
    }
    var form = input.form;
    var comment = form && form.querySelector("textarea[name='rate-comment']");
    if (comment) {
      comment.required = input.value === "dissatisfied";
    }
  });
})();
