/* Progress that travels with no server: "Copy a link to your progress", the same link as a QR
   code, and the offer a page makes when it is opened with such a link. Loaded on demand: the
   panel imports it when a button is pressed, main.js when the address holds a link; the QR
   library (vendor/, served by the site) only when a QR code is asked for. */

import { plural } from "./core.js";
import { field, h } from "./dom.js";
import { compare, countRecords, decodeState, describe, encodeState, merged, PREFIX } from "./link.js";
import * as store from "./storage.js";

const UNREADABLE =
  "your saved progress is in a form this page cannot read. Nothing was changed. Reload to get the newest page, or reset your progress first.";
const SVG = "http://www.w3.org/2000/svg";

/** {link, count} for the learner's progress, or {error}. */
async function makeLink() {
  if (store.problem()) return { error: "Could not make a link: " + UNREADABLE };
  const state = store.load();
  const count = countRecords(state);
  if (!count) return { error: "There is no progress to put in a link yet: mark a step done or skipped first." };
  const site = new URL(store.BASE, location.href).href;
  return { link: site + PREFIX + (await encodeState(state)), count };
}

/** The link in a read-only field inside `out`, selected, so that it can be copied by hand. */
function showLink(out, link) {
  let input = out.querySelector(".sg-share__link");
  if (!input) {
    input = h("input", { type: "text", class: "sg-share__link", readonly: true, spellcheck: "false" });
    input.addEventListener("focus", () => input.select());
    out.replaceChildren(
      field("Link to your progress", input),
      h("p", {
        class: "sg-hint",
        text: "Anyone who opens this link sees a copy of your progress as it is now. The part after # stays in the browser: it is never sent to a server.",
      }),
    );
  }
  input.value = link;
  return input;
}

/** "Copy a link to your progress": into the clipboard, and shown below the buttons. */
export async function copy(out, say) {
  const made = await makeLink();
  if (made.error) return say(made.error, true);
  const input = showLink(out, made.link);
  try {
    await navigator.clipboard.writeText(made.link);
    say("Copied a link to your progress (" + plural(made.count, "mark") + "). Open it in another browser to merge it there.");
  } catch (_error) {
    input.focus();
    say("This browser did not let the page copy the link: it is selected below, copy it from there.");
  }
}

/** The QR code of a link as an SVG: one square per dark module, a quiet zone of 4. */
function drawQR(code) {
  const size = code.size;
  let d = "";
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) if (code.get(x, y)) d += "M" + x + " " + y + "h1v1h-1z";
  const svg = document.createElementNS(SVG, "svg");
  const attrs = {
    class: "sg-qr",
    viewBox: "-4 -4 " + (size + 8) + " " + (size + 8),
    role: "img",
    "aria-label": "QR code of the link to your progress",
    "shape-rendering": "crispEdges",
  };
  for (const [key, value] of Object.entries(attrs)) svg.setAttribute(key, value);
  const background = document.createElementNS(SVG, "rect");
  for (const [key, value] of Object.entries({ x: -4, y: -4, width: size + 8, height: size + 8, fill: "#fff" })) {
    background.setAttribute(key, value);
  }
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.append(background, path);
  return svg;
}

/** "Show the link as a QR code": the link, and its QR code drawn in the page. */
export async function qr(out, say) {
  const made = await makeLink();
  if (made.error) return say(made.error, true);
  showLink(out, made.link);
  out.querySelectorAll(".sg-qr").forEach((old) => old.remove());
  let generate;
  try {
    ({ generate } = await import("./vendor/lean-qr-nano.js"));
  } catch (_error) {
    return say("Could not load the QR code maker: check your connection and try again, or copy the link instead.", true);
  }
  let code;
  try {
    code = generate(made.link);
  } catch (_error) {
    return say("Your progress is too long for a QR code: copy the link instead.", true);
  }
  out.append(drawQR(code));
  say("Scan the QR code with the other device's camera to open the link there and merge your progress.");
}

/* ---- a page opened with a progress link ---- */

/** Take the link out of the address bar, so that a reload or a bookmark does not offer it again. */
function forget() {
  if (location.hash.startsWith(PREFIX)) history.replaceState(history.state, "", location.pathname + location.search);
}

/** Offer to merge the progress in the address's link; `changed` redraws the page after a merge. */
export async function offer(changed) {
  const text = location.hash.slice(PREFIX.length);
  document.querySelectorAll(".sg-offer").forEach((old) => old.remove());
  const message = h("p", { class: "sg-offer__text", role: "status" });
  const box = h("section", { class: "sg-offer", tabindex: "-1", "aria-label": "Progress from a link" }, message);
  (document.querySelector(".md-content__inner") || document.body).prepend(box);
  const say = (words, error) => {
    message.textContent = words;
    message.classList.toggle("sg-message--error", Boolean(error));
  };
  const read = await decodeState(text);
  if (read.error || store.problem()) {
    forget();
    say(read.error || "Could not merge the progress link: " + UNREADABLE, true);
    box.focus();
    return;
  }
  const preview = compare(store.load(), read.state);
  say(describe(preview));
  if (!Object.keys(preview.added).length && !Object.keys(preview.replaced).length) {
    forget();
    return;
  }
  const accept = h("button", { type: "button", class: "sg-button sg-button--primary", text: "Merge into my progress" });
  const decline = h("button", { type: "button", class: "sg-button", text: "Don't merge" });
  const buttons = h("div", { class: "sg-data__buttons" }, accept, decline);
  box.append(buttons);
  accept.addEventListener("click", () => {
    buttons.remove();
    forget();
    if (store.problem()) return say("Could not merge the progress link: " + UNREADABLE, true);
    const result = compare(store.load(), read.state);
    const saved = store.save(result.merged);
    changed();
    const stays = saved ? "" : " This browser did not let the page store it: it lasts until you leave the page.";
    say(merged(result) + stays, !saved);
    box.focus();
  });
  decline.addEventListener("click", () => {
    buttons.remove();
    forget();
    say("Nothing was merged: your progress here is as it was, and the link is gone from the address bar.");
    box.focus();
  });
  accept.focus();
}
