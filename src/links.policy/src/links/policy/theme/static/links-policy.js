/* links.policy: accessible names Plone's toolbar leaves out (#17). */
(function () {
  "use strict";
  function fix() {
    // "Unpin" is an <a> without href, which has no role for its aria-label: it acts as a button.
    document.querySelectorAll("a.toolbar-collapse:not([role])").forEach(function (el) {
      el.setAttribute("role", "button");
    });
    // The history entry's label is a date that a pattern re-renders after loading (empty meanwhile, and
    // hidden in the collapsed toolbar): a hidden word names the link whatever the date shows.
    document.querySelectorAll("#contentview-history > a").forEach(function (el) {
      if (!el.querySelector(".links-hidden-name")) {
        var word = document.createElement("span");
        word.className = "links-hidden-name visually-hidden";
        word.textContent = "History ";
        el.insertBefore(word, el.firstChild);
      }
    });
    // Collapsed toolbar entries show only an icon: name each after its label, which CSS hides.
    document.querySelectorAll("#edit-zone a.nav-link:not([aria-label])").forEach(function (el) {
      if (el.querySelector(".links-hidden-name")) {
        return;
      }
      var name = (el.textContent || "").replace(/\s+/g, " ").trim() || el.getAttribute("title");
      if (name) {
        el.setAttribute("aria-label", name);
      }
    });
  }
  function start() {
    fix();
    // The toolbar's patterns re-render parts of it after loading (e.g. the history link's date).
    var bar = document.getElementById("edit-bar") || document.body;
    new MutationObserver(fix).observe(bar, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
