/* Small behaviours of every page, kept out of the HTML so the Content-Security-Policy can forbid
 * inline scripts and on…= handlers:
 *   <select data-autosubmit>   submits its form when the choice changes;
 *   <button data-print>        prints the page.
 */
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target.closest ? event.target.closest("[data-autosubmit]") : null;
    if (field && field.form) {
      field.form.submit();
    }
  });
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
