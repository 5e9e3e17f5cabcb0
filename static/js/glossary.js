/* Glossary popovers. A word linked to the glossary ([[term]] in Markdown) shows its definition beside it:
 * on mouse hover, on keyboard focus and on a first tap (a second tap, or "More in the glossary", follows the link).
 * WCAG 2.2 SC 1.4.13: the popover stays while the pointer is over the word or the popover (hoverable), stays until
 * the pointer or focus leaves both or the reader dismisses it (persistent), and Esc or a tap elsewhere closes it
 * (dismissible). The definitions are in the page already (hidden .term-popover elements, one per word, written by
 * templates/partials/_terms.html); nothing is fetched. This script adds each popover's link to the glossary entry,
 * worded by the popovers' data-more. Without this script each word stays a plain link to its glossary entry and no
 * definition is shown.
 */
(function () {
  "use strict";

  var CLOSE_DELAY = 300; // milliseconds to move the pointer from a word onto its popover
  var GAP = 2; // pixels between a word and its popover
  var MARGIN = 8; // pixels the popover keeps from the edges of the window

  var open = null; // {trigger, popover, pinned}: the popover shown, and whether a tap opened it
  var hovering = false; // the mouse is over the open popover's word or the popover itself
  var closeTimer = null;
  var pointer = ""; // the kind of the last pointer pressed: "touch" or "pen" makes the first tap open the popover
  var openAtPress = false; // the pressed word's popover was already open: this tap follows the link
  var quiet = null; // a word that Esc closed while it kept focus: its focus does not reopen the popover

  function popoverOf(trigger) {
    if (!trigger.hash) return null;
    return document.getElementById("popover-" + decodeURIComponent(trigger.hash.slice(1)));
  }

  function triggerOf(node) {
    var link = node && node.closest ? node.closest("a.term") : null;
    return link && popoverOf(link) ? link : null;
  }

  function inside(node) {
    return !!(open && node && (open.trigger.contains(node) || open.popover.contains(node)));
  }

  // Below the word (its first line), or above it when there is no room below; always inside the window.
  function place() {
    if (!open) return;
    var rects = open.trigger.getClientRects();
    var word = rects.length ? rects[0] : open.trigger.getBoundingClientRect();
    var box = open.popover.getBoundingClientRect();
    var width = document.documentElement.clientWidth;
    var height = window.innerHeight;
    var left = Math.max(MARGIN, Math.min(word.left, width - box.width - MARGIN));
    var top = word.bottom + GAP;
    if (top + box.height > height - MARGIN && word.top - GAP - box.height >= MARGIN) {
      top = word.top - GAP - box.height;
    }
    open.popover.style.left = left + "px";
    open.popover.style.top = top + "px";
  }

  function show(trigger, pinned) {
    cancelClose();
    if (open && open.trigger === trigger) {
      open.pinned = open.pinned || pinned;
      return;
    }
    hide(false);
    var popover = popoverOf(trigger);
    trigger.after(popover); // next in reading order and in Tab order, so its link can be reached
    popover.hidden = false;
    trigger.setAttribute("aria-expanded", "true");
    open = { trigger: trigger, popover: popover, pinned: pinned };
    place();
  }

  function hide(returnFocus) {
    cancelClose();
    if (!open) return;
    var shown = open;
    var hadFocus = shown.popover.contains(document.activeElement);
    open = null;
    hovering = false;
    shown.popover.hidden = true;
    shown.trigger.setAttribute("aria-expanded", "false");
    if (hadFocus && returnFocus) {
      quiet = shown.trigger;
      shown.trigger.focus();
    }
  }

  function cancelClose() {
    if (closeTimer !== null) {
      window.clearTimeout(closeTimer);
      closeTimer = null;
    }
  }

  // Close once neither the pointer nor focus is on the word or its popover, unless a tap opened it.
  function closeLater() {
    cancelClose();
    closeTimer = window.setTimeout(function () {
      closeTimer = null;
      if (open && !open.pinned && !hovering && !inside(document.activeElement)) hide(false);
    }, CLOSE_DELAY);
  }

  // "More in the glossary", a link to the term's entry; a screen reader also hears which term it is for.
  function addMoreLink(popover, trigger) {
    if (popover.querySelector(".term-popover-more")) return;
    var more = document.createElement("a");
    var which = document.createElement("span");
    more.className = "term-popover-more";
    more.href = trigger.getAttribute("href");
    more.textContent = popover.parentNode.getAttribute("data-more") || "More in the glossary";
    which.className = "visually-hidden";
    which.textContent = ": " + popover.querySelector(".term-popover-name").textContent;
    more.appendChild(which);
    popover.append(" ", more);
  }

  function prepare() {
    var triggers = document.querySelectorAll("a.term");
    for (var i = 0; i < triggers.length; i++) {
      var popover = popoverOf(triggers[i]);
      if (!popover) continue;
      addMoreLink(popover, triggers[i]);
      triggers[i].setAttribute("aria-expanded", "false");
      triggers[i].setAttribute("aria-controls", popover.id);
      triggers[i].setAttribute("aria-describedby", popover.id + "-text");
    }
  }

  document.addEventListener("pointerover", function (event) {
    if (event.pointerType !== "mouse") return;
    var trigger = triggerOf(event.target);
    if (trigger) {
      show(trigger, false);
      hovering = true;
    } else if (inside(event.target)) {
      cancelClose();
      hovering = true;
    }
  });

  document.addEventListener("pointerout", function (event) {
    if (event.pointerType !== "mouse" || !open || !inside(event.target) || inside(event.relatedTarget)) return;
    hovering = false;
    closeLater();
  });

  document.addEventListener("focusin", function (event) {
    var trigger = triggerOf(event.target);
    if (trigger && trigger !== quiet) show(trigger, false);
    else if (inside(event.target)) cancelClose();
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === quiet) quiet = null;
    if (open && inside(event.target) && !inside(event.relatedTarget)) closeLater();
  });

  document.addEventListener("keydown", function (event) {
    pointer = "";
    if (event.key === "Escape" && open) {
      hide(true);
      event.preventDefault();
    }
  });

  document.addEventListener("pointerdown", function (event) {
    pointer = event.pointerType;
    var trigger = triggerOf(event.target);
    openAtPress = !!(open && trigger && open.trigger === trigger);
    if (open && !inside(event.target)) hide(false); // a tap or click elsewhere dismisses it
  });

  document.addEventListener("click", function (event) {
    var trigger = triggerOf(event.target);
    var tapped = pointer === "touch" || pointer === "pen";
    pointer = "";
    if (!trigger || !tapped || openAtPress) return; // a mouse click, Enter or a second tap follows the link
    event.preventDefault();
    show(trigger, true);
  });

  window.addEventListener("scroll", place, { passive: true });
  window.addEventListener("resize", place);
  prepare();
})();
