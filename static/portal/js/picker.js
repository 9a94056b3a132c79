/*
 * Search-as-you-type enterprise picker (enterprises.forms.directory.EnterprisePickerField).
 *
 * The search box has no name, so only the hidden id is submitted with the form. htmx sends the
 * typed text as ?q= (added here, in htmx:configRequest) and swaps the server's list of matches in
 * under the box; clicking a match (or Enter on it) puts its id into the hidden input and its name
 * into the box. Typing again clears the id, so a stale choice is never submitted under new text.
 * Arrow keys move through the matches, Escape closes them. One set of listeners on the document
 * serves every picker, including those inserted later by htmx. No inline script: CSP-ready.
 */
(function () {
  "use strict";

  if (window.tongxinEnterprisePicker) {
    return; // loaded twice (two forms' media on one page): one set of listeners is enough
  }
  window.tongxinEnterprisePicker = true;

  function parts(element) {
    var picker = element.closest(".enterprise-picker");
    if (!picker) {
      return null;
    }
    return {
      picker: picker,
      input: picker.querySelector("input.enterprise-picker-input"),
      hidden: picker.querySelector("input.enterprise-picker-value"),
      results: picker.querySelector(".enterprise-picker-results"),
    };
  }

  function close(p) {
    p.results.replaceChildren();
    p.input.setAttribute("aria-expanded", "false");
  }

  function setValue(p, id, name) {
    if (p.hidden.value !== id) {
      p.hidden.value = id;
      p.hidden.dispatchEvent(new Event("change", { bubbles: true }));
    }
    if (name !== null) {
      p.input.value = name;
    }
  }

  function choose(button) {
    var p = parts(button);
    if (!p) {
      return;
    }
    setValue(p, button.dataset.id, button.dataset.name);
    p.input.classList.remove("is-invalid");
    close(p);
    p.input.focus();
  }

  function choices(p) {
    return Array.prototype.slice.call(p.results.querySelectorAll(".enterprise-picker-choice"));
  }

  // Send the typed text as q: the box itself has no name (it must not be submitted with forms).
  document.addEventListener("htmx:configRequest", function (event) {
    var input = event.detail.elt;
    if (input instanceof HTMLInputElement && input.classList.contains("enterprise-picker-input")) {
      event.detail.parameters.q = input.value.trim();
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    var p = parts(event.detail.target);
    if (p && event.detail.target === p.results) {
      p.input.setAttribute("aria-expanded", choices(p).length ? "true" : "false");
    }
  });

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.classList.contains("enterprise-picker-input")) {
      return;
    }
    var p = parts(input);
    setValue(p, "", null);
    if (!input.value.trim()) {
      close(p);
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".enterprise-picker-choice");
    if (button) {
      choose(button);
      return;
    }
    // A click elsewhere closes every open list.
    document.querySelectorAll(".enterprise-picker").forEach(function (picker) {
      if (!picker.contains(event.target)) {
        close(parts(picker));
      }
    });
  });

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!(target instanceof HTMLElement)) {
      return;
    }
    var p = parts(target);
    if (!p) {
      return;
    }
    var list = choices(p);
    var index = list.indexOf(target);
    if (event.key === "Escape") {
      close(p);
      p.input.focus();
    } else if (event.key === "ArrowDown" && list.length) {
      event.preventDefault();
      list[Math.min(index + 1, list.length - 1)].focus();
    } else if (event.key === "ArrowUp" && list.length) {
      event.preventDefault();
      if (index <= 0) {
        p.input.focus();
      } else {
        list[index - 1].focus();
      }
    } else if (event.key === "Enter" && target === p.input && list.length === 1) {
      // Enter in the box with exactly one match chooses it instead of submitting the form.
      event.preventDefault();
      choose(list[0]);
    }
  });
})();
