/*
 * The kiosk of a public screen (/screens/<slug>/): rotates today's approved celebrations every
 * `data-rotate` seconds, fetches the feed again every `data-refresh` seconds, and keeps going on
 * what it last loaded when the network drops (it never reloads itself while offline).
 *
 * Whatever it holds, it only ever shows items whose days include today in the portal's time
 * zone (`data-time-zone`), so a celebration disappears at midnight even while offline.
 * Everything is written with textContent: the feed's text is never parsed as HTML.
 * `window.tongxinKiosk` exposes refresh() and next() for tests and for a technician's console.
 */
(function () {
  "use strict";

  var body = document.body;
  var stage = document.getElementById("stage");
  var dateLabel = document.getElementById("kiosk-date");
  var idleTemplate = document.getElementById("kiosk-idle-template");
  var feedUrl = body.dataset.feedUrl;
  var timeZone = body.dataset.timeZone || "Asia/Shanghai";
  var rotateMs = Math.max(1, parseInt(body.dataset.rotate, 10) || 12) * 1000;
  var refreshMs = Math.max(1, parseInt(body.dataset.refresh, 10) || 60) * 1000;
  var storageKey = "tongxin-kiosk:" + body.dataset.slug;
  var RELOAD_MS = 6 * 60 * 60 * 1000; // pick up new page code now and then, when online

  var items = [];
  var position = 0;
  var shownKey = null;
  var loadedAt = Date.now();

  function today() {
    // YYYY-MM-DD of "now" in the portal's time zone, whatever the kiosk's own clock zone.
    try {
      return new Intl.DateTimeFormat("en-CA", {
        timeZone: timeZone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
      }).format(new Date());
    } catch (error) {
      var now = new Date();
      return now.toISOString().slice(0, 10);
    }
  }

  function current() {
    var day = today();
    return items.filter(function (item) {
      return item.starts_on <= day && day <= item.ends_on;
    });
  }

  function slideFor(item) {
    var slide = document.createElement("section");
    slide.className = "slide";
    slide.setAttribute("data-testid", "kiosk-slide");
    slide.dataset.id = String(item.id);
    var kind = document.createElement("div");
    kind.className = "kind";
    kind.textContent = item.kind_label || body.dataset.kindLabel;
    slide.appendChild(kind);
    if (item.image) {
      var image = document.createElement("img");
      image.src = item.image;
      image.alt = "";
      slide.appendChild(image);
    }
    var text = document.createElement("div");
    text.className = "text";
    text.setAttribute("data-testid", "kiosk-text");
    text.textContent = item.text;
    slide.appendChild(text);
    var enterprise = document.createElement("div");
    enterprise.className = "enterprise";
    enterprise.textContent = item.enterprise;
    slide.appendChild(enterprise);
    return slide;
  }

  function show() {
    var day = today();
    if (dateLabel) {
      dateLabel.textContent = day;
    }
    var list = current();
    body.dataset.count = String(list.length);
    if (!list.length) {
      if (shownKey !== "idle") {
        stage.replaceChildren(idleTemplate.content.cloneNode(true));
        shownKey = "idle";
      }
      body.dataset.shown = "";
      return;
    }
    position = position % list.length;
    var item = list[position];
    var key = day + ":" + item.id + ":" + item.text + ":" + (item.image || "");
    if (key === shownKey) {
      return;
    }
    var slide = slideFor(item);
    stage.replaceChildren(slide);
    // Let the browser paint it transparent first, then fade it in.
    window.requestAnimationFrame(function () {
      slide.classList.add("is-current");
    });
    shownKey = key;
    body.dataset.shown = String(item.id);
  }

  function next() {
    position += 1;
    show();
  }

  function remember(feed) {
    try {
      window.localStorage.setItem(storageKey, JSON.stringify({ saved: Date.now(), feed: feed }));
    } catch (error) {
      /* storage full or disabled: the page still works from memory */
    }
  }

  function recall() {
    try {
      var saved = JSON.parse(window.localStorage.getItem(storageKey) || "null");
      return saved && saved.feed ? saved.feed : null;
    } catch (error) {
      return null;
    }
  }

  function accept(feed) {
    items = Array.isArray(feed && feed.items) ? feed.items : [];
    remember(feed);
    show();
  }

  function setState(state) {
    body.dataset.state = state;
  }

  function refresh() {
    return window
      .fetch(feedUrl, { cache: "no-store", credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("feed answered " + response.status);
        }
        return response.json();
      })
      .then(function (feed) {
        accept(feed);
        setState("online");
        return true;
      })
      .catch(function () {
        // Keep showing what we have; today's filter still drops what is over.
        setState("offline");
        show();
        return false;
      });
  }

  function maybeReload() {
    if (Date.now() - loadedAt < RELOAD_MS || body.dataset.state !== "online") {
      return;
    }
    // Reload only when the page itself answers, so a flaky network never leaves an error page.
    window
      .fetch(window.location.href, { cache: "no-store", credentials: "omit", method: "HEAD" })
      .then(function (response) {
        if (response.ok) {
          window.location.reload();
        }
      })
      .catch(function () {});
  }

  var embedded = null;
  try {
    embedded = JSON.parse(document.getElementById("kiosk-feed").textContent);
  } catch (error) {
    embedded = null;
  }
  // The page was just served, so its own data is the freshest; a stored feed is the fallback.
  var start = embedded || recall();
  if (start) {
    items = Array.isArray(start.items) ? start.items : [];
    if (embedded) {
      remember(embedded);
    }
  }
  shownKey = null;
  show();

  window.setInterval(next, rotateMs);
  window.setInterval(function () {
    refresh().then(maybeReload);
  }, refreshMs);

  window.tongxinKiosk = {
    refresh: refresh,
    next: next,
    shown: function () {
      return current().map(function (item) {
        return item.id;
      });
    },
  };
})();
