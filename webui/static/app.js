// Progressive enhancement only: every control works without this file (links and submit buttons).
// Loaded (not deferred) in <head>: it only sets classes on <html> before the first paint, so the
// phone layout never shifts, and does the rest once the document is parsed.
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");
  var phone = window.matchMedia && window.matchMedia("(max-width: 48rem)");
  if (phone && phone.matches) { root.classList.add("phone"); }
  var FOCUS_KEY = "bayon-focus-results";

  function go(url) {
    try { sessionStorage.setItem(FOCUS_KEY, "1"); } catch (e) { /* storage off: no focus move */ }
    window.location.assign(url);
  }

  // The form's controls always show what the URL says (Back/Forward restore stale form state).
  function resetFormFromMarkup() {
    var inputs = document.querySelectorAll("input[data-toggle-url], #year_from, #year_to, #q");
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = input.defaultChecked;
      } else {
        input.value = input.defaultValue;
      }
    }
  }
  window.addEventListener("pageshow", resetFormFromMarkup);

  document.addEventListener("change", function (event) {
    var target = event.target;
    // A facet checkbox goes straight to its link: the same search with that one value toggled.
    if (target.matches("input[data-toggle-url]")) {
      go(target.getAttribute("data-toggle-url"));
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a") : null;
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey ||
        event.shiftKey || event.altKey) { return; }
    if (link.closest(".chips, .sort, .pagination") || link.id === "expand-toggle" || link.id === "suggestion") {
      event.preventDefault();
      go(link.href);
    }
  });

  document.addEventListener("submit", function (event) {
    if (event.target.id === "search-form") {
      try { sessionStorage.setItem(FOCUS_KEY, "1"); } catch (e) { /* ignore */ }
    }
  });

  function ready() {
    // On phones the filter panel starts folded so the first result is on the first screen; the
    // active filters are the chips above the results.
    var panel = document.getElementById("filters-panel");
    if (panel && root.classList.contains("phone")) { panel.removeAttribute("open"); }
    root.classList.add("ready");

    // After a filter, sort or page change, focus goes to the new count (read out by screen readers).
    var summary = document.getElementById("summary");
    var wanted = false;
    try { wanted = sessionStorage.getItem(FOCUS_KEY) === "1"; sessionStorage.removeItem(FOCUS_KEY); } catch (e) { /* ignore */ }
    if (summary && wanted) { summary.focus({ preventScroll: false }); }

    matchNavigation();
    if (window.BayonSuggest) { window.BayonSuggest(); }
  }

  // Document page: previous/next match buttons and the position among the matches.
  function matchNavigation() {
    var nav = document.getElementById("match-nav");
    var marks = document.querySelectorAll(".body-text mark[id]");
    if (!nav || !marks.length) { return; }
    var position = document.getElementById("match-position");
    var template = position.getAttribute("data-template");
    var khmer = position.getAttribute("data-lang") === "km";
    var current = -1;
    function digits(n) {
      var s = String(n);
      return khmer ? s.replace(/[0-9]/g, function (d) { return "០១២៣៤៥៦៧៨៩".charAt(+d); }) : s;
    }
    function show(index) {
      if (current >= 0) { marks[current].classList.remove("current"); }
      current = (index + marks.length) % marks.length;
      var mark = marks[current];
      mark.classList.add("current");
      mark.setAttribute("tabindex", "-1");
      mark.focus({ preventScroll: true });
      mark.scrollIntoView({ block: "center" });
      position.textContent = template.replace("{i}", digits(current + 1)).replace("{n}", digits(marks.length));
      if (history.replaceState) { history.replaceState(null, "", "#" + mark.id); }
    }
    // A mark scrolled to stops below the sticky bar, however tall it is (it wraps to three rows
    // on a phone in Khmer): the bar's height goes into --match-bar-height, which scroll-margin-top
    // of the marks uses.
    var bar = document.getElementById("match-bar");
    function clearOfBar() { root.style.setProperty("--match-bar-height", bar.offsetHeight + "px"); }
    clearOfBar();
    window.addEventListener("resize", clearOfBar);
    document.getElementById("next-match").addEventListener("click", function () { show(current + 1); });
    document.getElementById("prev-match").addEventListener("click", function () { show(current - 1); });
    var fromHash = window.location.hash.match(/^#m(\d+)$/);
    if (fromHash) {
      var n = parseInt(fromHash[1], 10) - 1;
      if (n >= 0 && n < marks.length) {
        current = n;
        marks[n].classList.add("current");
        position.textContent = template.replace("{i}", digits(n + 1)).replace("{n}", digits(marks.length));
        // the browser scrolled to the fragment before the bar's height was known
        marks[n].scrollIntoView({ block: "start" });
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();

// Suggestions while typing in the search box (ARIA 1.2 combobox with a list box). Progressive
// enhancement: without this file the box is a plain search field.
(function () {
  "use strict";
  window.BayonSuggest = function () {
    var box = document.getElementById("q");
    var url = box && box.getAttribute("data-suggest-url");
    if (!box || !url || !window.fetch) { return; }
    var form = box.form;
    var wrap = box.parentNode;  // the box is not moved: moving it would take its focus away
    var list = document.createElement("ul");
    list.id = "suggest-list";
    list.className = "suggest-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", box.getAttribute("data-suggest-label") || "Suggestions");
    list.hidden = true;
    wrap.appendChild(list);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.id = "suggest-status";
    status.setAttribute("role", "status");
    wrap.appendChild(status);
    box.setAttribute("role", "combobox");
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-expanded", "false");
    box.setAttribute("aria-controls", "suggest-list");
    var template = box.getAttribute("data-suggest-count") || "{n}";
    var khmer = document.documentElement.lang === "km";
    var items = [], active = -1, timer = null, controller = null, lastAsked = null;

    function digits(n) {
      var s = String(n);
      return khmer ? s.replace(/[0-9]/g, function (d) { return "០១២៣៤៥៦៧៨៩".charAt(+d); }) : s;
    }
    function close() {
      list.hidden = true;
      list.textContent = "";
      items = [];
      active = -1;
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
    function highlight(index) {
      if (active >= 0 && items[active]) { items[active].setAttribute("aria-selected", "false"); }
      active = index;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "true");
        box.setAttribute("aria-activedescendant", items[active].id);
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }
    function choose(index) {
      if (!items[index]) { return; }
      box.value = items[index].getAttribute("data-value");
      close();
      try { sessionStorage.setItem("bayon-focus-results", "1"); } catch (e) { /* ignore */ }
      form.submit();
    }
    function show(found) {
      close();
      found.forEach(function (s, i) {
        var li = document.createElement("li");
        li.id = "suggest-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.setAttribute("lang", s.lang);
        li.setAttribute("data-value", s.text);
        li.textContent = s.text;
        li.addEventListener("mousedown", function (event) { event.preventDefault(); choose(i); });
        list.appendChild(li);
        items.push(li);
      });
      if (items.length) {
        list.hidden = false;
        box.setAttribute("aria-expanded", "true");
      }
      status.textContent = items.length ? template.replace("{n}", digits(items.length)) : "";
    }
    function ask() {
      var typed = box.value;
      if (typed === lastAsked) { return; }
      lastAsked = typed;
      if (typed.trim().length < 2) { close(); status.textContent = ""; return; }
      if (controller) { controller.abort(); }
      controller = window.AbortController ? new AbortController() : null;
      fetch(url + "&q=" + encodeURIComponent(typed), controller ? { signal: controller.signal } : {})
        .then(function (r) { return r.ok ? r.json() : { suggestions: [] }; })
        .then(function (data) { if (box.value === typed) { show(data.suggestions || []); } })
        .catch(function () { /* offline or aborted: no suggestions */ });
    }
    box.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(ask, 120);
    });
    box.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % items.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active <= 0 ? items.length - 1 : active - 1);
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    box.addEventListener("blur", function () { setTimeout(close, 150); });
  };
})();
