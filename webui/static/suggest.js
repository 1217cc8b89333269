// Suggestions while typing in the search box (ARIA 1.2 combobox with a list box). Progressive
// enhancement: without this file the box is a plain search field.
(function () {
  "use strict";
  window.BayonSuggest = function () {
    var box = document.getElementById("q");
    var url = box && box.getAttribute("data-suggest-url");
    if (!box || !url || !window.fetch) { return; }
    var form = box.form;
    var wrap = document.createElement("div");
    wrap.className = "search-box";
    box.parentNode.insertBefore(wrap, box);
    wrap.appendChild(box);
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
