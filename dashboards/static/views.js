// The built file holds every page in three languages; this shows one (page × language) at a
// time, chosen by the address's #fragment (#fi-kulku, #sv-teemat, ...), so links, the browser's
// back button and bookmarks work. Without scripts every view is shown one after another.
(function () {
  "use strict";
  var views = document.querySelectorAll(".view");
  if (!views.length) { return; }

  function choose(moved) {
    var id = decodeURIComponent(location.hash.replace(/^#/, ""));
    var target = id ? document.getElementById(id) : null;
    var view = target && target.closest ? target.closest(".view") : null;
    if (!view) { view = views[0]; }
    Array.prototype.forEach.call(views, function (v) { v.hidden = v !== view; });
    document.documentElement.lang = view.getAttribute("lang");
    document.title = view.getAttribute("data-title");
    if (target === view && moved) {
      // A new page: start at its top and tell screen readers where they are.
      window.scrollTo(0, 0);
      var h1 = view.querySelector("h1");
      if (h1) { h1.focus(); }
    } else if (target && target !== view) {
      target.scrollIntoView();
    }
  }
  window.addEventListener("hashchange", function () { choose(true); });
  choose(false);
})();
