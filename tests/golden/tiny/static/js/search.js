/* Search, on the search page only. The words come from the search box (here, or in any page's header, which sends
 * them as ?q=...). Pagefind's script and index (pagefind/, made at build time) load on the first search, not before.
 * Results are built as elements from Pagefind's data: its excerpts keep only their text and <mark> highlights.
 * Without this script, or where the index cannot load (a page opened from a file), the page's list of every page
 * is what readers use.
 */
(function () {
  "use strict";

  var MAX_RESULTS = 20;
  var MAX_SECTIONS = 3; // headings inside a page that match, linked under it

  var holder = document.querySelector(".search-page");
  if (!holder) return;
  var form = holder.querySelector("form");
  var input = form.querySelector("input[name=q]");
  var status = holder.querySelector(".search-status");
  var results = holder.querySelector(".search-results");
  var list = results.querySelector("ol");
  var pagefind = null;
  var latest = 0; // the number of the newest search: an older one that ends later is dropped

  function load() {
    if (!pagefind) {
      var folder = new URL(holder.dataset.index, location.href);
      var root = new URL(holder.dataset.root, location.href);
      pagefind = import(new URL("pagefind.js", folder).href).then(function (module) {
        return module.options({ baseUrl: root.pathname, excerptLength: 24 }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  // Pagefind's excerpt is HTML; keep its words and <mark> highlights, nothing else.
  function excerpt(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    var paragraph = document.createElement("p");
    template.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        paragraph.append(mark);
      } else {
        paragraph.append(node.textContent);
      }
    });
    return paragraph;
  }

  function link(url, text) {
    var a = document.createElement("a");
    a.href = url;
    a.textContent = text;
    return a;
  }

  function item(data) {
    var li = document.createElement("li");
    li.append(link(data.url, data.meta.title || data.url), excerpt(data.excerpt));
    var sections = (data.sub_results || []).filter(function (sub) { return sub.url !== data.url; });
    if (sections.length) {
      var more = document.createElement("ul");
      more.className = "search-sections";
      sections.slice(0, MAX_SECTIONS).forEach(function (sub) {
        var entry = document.createElement("li");
        entry.append(link(sub.url, sub.title));
        more.append(entry);
      });
      li.append(more);
    }
    return li;
  }

  function say(text) {
    status.textContent = text;
  }

  function search(words) {
    var number = ++latest;
    words = words.trim();
    list.replaceChildren();
    results.hidden = true;
    if (!words) {
      say("Type a word to search for.");
      return;
    }
    say("Searching…");
    load().then(function (module) {
      return module.search(words);
    }).then(function (found) {
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }))
        .then(function (pages) { return { total: found.results.length, pages: pages }; });
    }).then(function (found) {
      if (number !== latest) return;
      if (!found.total) {
        say("No page uses the words “" + words + "”. Try another word, or look through every page below.");
        return;
      }
      found.pages.forEach(function (data) { list.append(item(data)); });
      results.hidden = false;
      var shown = found.total > found.pages.length ? " The first " + found.pages.length + " are shown." : "";
      say((found.total === 1 ? "1 page uses" : found.total + " pages use") + " “" + words + "”." + shown);
    }).catch(function () {
      if (number !== latest) return;
      say("Search could not load here. Every page of this site is listed below.");
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var url = new URL(location.href);
    url.searchParams.set("q", input.value);
    history.replaceState(null, "", url.href);
    search(input.value);
  });

  var words = new URLSearchParams(location.search).get("q");
  if (words) {
    input.value = words;
    search(words);
  }
})();
