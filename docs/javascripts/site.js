// This site's fix to Material: the search overlay is role=dialog without a name
// (axe: aria-dialog-name). Run on every page, instant navigation included.
function nameSearchDialog() {
  for (const el of document.querySelectorAll(".md-search[role=dialog]:not([aria-label]):not([aria-labelledby])"))
    el.setAttribute("aria-label", "Search");
}

if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(nameSearchDialog);
else document.addEventListener("DOMContentLoaded", nameSearchDialog, { once: true });
