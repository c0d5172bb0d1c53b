/* Small DOM helpers shared by the page view and the panel. */

import { englishDate, isoDate, parseDate } from "./core.js";

// The modules live at <base>/assets/studyguide/: the site's root is two folders up.
export const ROOT = new URL("../../", import.meta.url);

/** A page of the site (concepts/adam, say), with directory URLs or not, as this page is. */
export const sitePage = (kind, id) => new URL(kind + "/" + id + (/\.html$/.test(location.pathname) ? ".html" : "/"), ROOT).href;

let uid = 0;
export const nextId = (name) => `sg-${name}-${++uid}`;

/** An element with attributes (`text` sets its text, `on<event>` adds a listener). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key === "text") el.textContent = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...children.filter((c) => c != null));
  return el;
}

/** A heading's text without Material's permalink sign. */
export function headingText(heading) {
  const copy = heading.cloneNode(true);
  copy.querySelectorAll(".headerlink").forEach((a) => a.remove());
  return copy.textContent.trim();
}

export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h("a", { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

/** YYYY-MM-DD as the page's language writes a date. Intl is built on first use, and not at
    all in English (see englishDate). */
export function prettyDate() {
  const lang = document.documentElement.lang || "en";
  let format = /^en(-US)?$/i.test(lang) ? englishDate : null;
  return (iso) => {
    if (!format) {
      try {
        const intl = new Intl.DateTimeFormat(lang, { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
        format = (t) => intl.format(new Date(t));
      } catch (_error) {
        format = isoDate;
      }
    }
    return format(parseDate(iso));
  };
}

export function field(text, control, className = "sg-field") {
  if (!control.id) control.id = nextId("field");
  return h("div", { class: className }, h("label", { for: control.id, class: "sg-field__label", text }), control);
}

export function invalid(control, bad) {
  if (bad) control.setAttribute("aria-invalid", "true");
  else control.removeAttribute("aria-invalid");
}

/** A notice at the top of the page (or none, when `text` is empty) that stays until it is
    redrawn: kept stored progress that this page cannot read. */
export function notice(text) {
  let box = document.querySelector(".sg-notice");
  if (!text) {
    if (box) box.remove();
    return;
  }
  if (!box) {
    box = h("p", { class: "sg-notice", role: "status" });
    (document.querySelector(".md-content__inner") || document.body).prepend(box);
  }
  if (box.textContent !== text) box.textContent = text;
}

export const words = (value) => (value || "").split(/\s+/).filter(Boolean);
export const label = (value) => value.charAt(0).toUpperCase() + value.slice(1).replace(/-/g, " ");
