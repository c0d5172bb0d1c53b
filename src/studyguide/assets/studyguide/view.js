/* One page view: reads the cards the page was built with, adds the learner's controls (done,
   skip, swap, add to my path) and shows their state. Without JavaScript the page lists
   everything; this only adds to it. */

import { checked, doneOn, isAdded, isSkipped, nextStep, num, setDate, swapOf, today, walk } from "./core.js";
import { h, headingText, notice, prettyDate, words } from "./dom.js";
import { makePanel } from "./panel.js";
import * as store from "./storage.js";

// A rerender writes only what changed: rewriting the same text still makes the browser lay
// the card out again.
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el, name, value) {
  if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}

const CARDS_PER_TASK = 6;

function readCard(card) {
  const page = card.classList.contains("sg-resource--page");
  const heading = page ? document.querySelector(".md-content h1") : null;
  const link = card.querySelector(page ? "a.md-button" : ".sg-resource__title");
  const more = card.querySelector(".sg-resource__more");
  const box = card.closest(".sg-resources");
  const data = card.dataset;
  let kind = "listed";
  if (data.sgStep) kind = "step";
  else if (box && box.hasAttribute("data-sg-further")) kind = "further";
  return {
    card,
    page,
    kind,
    id: data.sgId,
    number: +data.sgStep || null,
    topic: box ? box.dataset.sgTopic : null,
    title: (heading ? headingText(heading) : link && link.textContent.trim()) || data.sgId,
    hours: +data.sgHours || 0,
    teaches: words(data.sgTeaches),
    format: data.sgFormat || "",
    cost: data.sgCost || "",
    level: data.sgLevel || "",
    url: link ? link.href : "",
    details: more ? more.href : location.href.split("#")[0],
    instead: [...card.querySelectorAll("a[data-sg-swap]")].map((a) => ({
      id: a.dataset.sgSwap,
      title: a.textContent.trim(),
      hours: +a.dataset.sgHours || 0,
      url: a.dataset.sgUrl || a.href,
      details: a.href,
    })),
  };
}

/** The track's path as the page shows it, in the shape `walk` takes. */
function readPath(items) {
  const sections = new Map();
  for (const it of items) {
    if (it.kind !== "step" && it.kind !== "further") continue;
    if (!sections.has(it.topic)) sections.set(it.topic, { topic: it.topic, steps: [], further: [] });
    sections.get(it.topic)[it.kind === "step" ? "steps" : "further"].push(it);
  }
  return [...sections.values()];
}

/** Read the page's cards and give them their controls. `pause` resolves in a later task: the
    work is cut into short tasks, so that a phone's main thread is never blocked for long. */
export async function setupPage(pause = () => Promise.resolve()) {
  const cards = [...document.querySelectorAll(".sg-resource[data-sg-id]:not([data-sg-ready])")];
  if (!cards.length) return null;
  const host = document.querySelector(".sg-track:not([data-sg-ready])");
  const track = host ? host.dataset.sgTrack || null : null;
  const items = cards.map(readCard);
  const view = {
    track,
    items,
    path: track ? readPath(items) : null,
    walked: [],
    panel: null,
    render: () => render(view),
  };
  // Going-further cards sit in closed folds: their controls are made when a fold opens, so
  // that the first paint carries only the path's.
  const folded = new Map();
  let built = 0;
  for (const it of items) {
    const fold = it.kind === "further" && view.track ? it.card.closest("details") : null;
    if (fold && !fold.open) {
      it.card.setAttribute("data-sg-ready", "");
      if (!folded.has(fold)) folded.set(fold, []);
      folded.get(fold).push(it);
    } else {
      addControls(it, view);
      if (++built % CARDS_PER_TASK === 0) await pause();
    }
  }
  for (const [fold, waiting] of folded) {
    const open = () => {
      if (!fold.open || !waiting.length) return;
      for (const it of waiting.splice(0)) addControls(it, view);
      render(view);
    };
    fold.addEventListener("toggle", open);
  }
  if (host) {
    host.setAttribute("data-sg-ready", "");
    await pause();
    view.panel = makePanel(host, view);
    await pause();
  }
  view.topics = [...document.querySelectorAll(".sg-topic-meta[data-sg-topic]")].map((meta) => {
    const count = h("span", { class: "sg-topic-done" });
    meta.append(" ", count);
    const hours = meta.querySelector(".sg-topic-hours");
    return { topic: meta.dataset.sgTopic, count, hours, written: hours && hours.textContent };
  });
  render(view);
  return view;
}

/** Change the stored state, remember the track for "continue where you left off", redraw. */
function change(view, edit) {
  const { saved, problem } = store.change(edit);
  if (view.track) store.setPrefs({ track: view.track });
  const focused = document.activeElement;
  render(view);
  if (!saved && view.panel) {
    view.panel.say(
      problem ||
        "This browser does not let the site store your progress: your marks last only until you leave the page.",
      true,
    );
  }
  // A control whose card the view just hid would leave the keyboard nowhere.
  if (focused && focused !== document.body && !focused.offsetParent && view.panel) view.panel.focus();
}

function addControls(it, view) {
  it.card.setAttribute("data-sg-ready", "");
  const word = it.page ? "I have done this" : "Done";
  it.box = h("input", { type: "checkbox", class: "sg-done__box" });
  it.when = h("span", { class: "sg-done__when" });
  it.word = word;
  const done = h(
    it.page ? "span" : "div",
    { class: it.page ? "sg-done sg-done--page" : "sg-done" },
    h("label", { class: "sg-done__label" }, it.box, h("span", { text: word })),
    it.when,
  );
  it.box.addEventListener("change", () => {
    const walked = view.walked.find((w) => w.kind === "step" && w.step === it.id);
    const id = walked ? walked.id : it.id;
    change(view, (s) => setDate(s.done, id, it.box.checked, today()));
  });
  if (it.page) {
    const link = it.card.querySelector("a.md-button");
    const actions = link && link.parentElement.tagName === "P" ? link.parentElement : null;
    if (actions) {
      actions.classList.add("sg-actions");
      actions.append(done);
    } else it.card.append(done);
    return;
  }
  const row = h("div", { class: "sg-controls" }, done);
  if (it.kind === "step" && view.track) {
    it.next = h("span", { class: "sg-next", text: "Next up", hidden: true });
    it.skip = h("button", { type: "button", class: "sg-button sg-skip" });
    it.skip.addEventListener("click", () =>
      change(view, (s) => {
        const walked = view.walked.find((w) => w.kind === "step" && w.step === it.id);
        // A step placed out by known concepts is put back with a mark of its own.
        if (walked && walked.status === "known") setDate(s.keep, it.id, true, today());
        else setDate(s.skipped, it.id, !isSkipped(s, it.id), today());
      }),
    );
    row.append(it.skip);
    if (it.instead.length) {
      it.swap = h(
        "select",
        { class: "sg-swap", "aria-label": `Resource for step ${it.number}` },
        h("option", { value: "", text: `Take ${it.title}` }),
        ...it.instead.map((alt) => h("option", { value: alt.id, text: `Take instead: ${alt.title}` })),
      );
      it.swap.addEventListener("change", () =>
        change(view, (s) => {
          if (!s.swaps[view.track]) s.swaps[view.track] = Object.create(null);
          if (it.swap.value) s.swaps[view.track][it.id] = it.swap.value;
          else delete s.swaps[view.track][it.id];
        }),
      );
      row.append(it.swap);
    }
    // What a swap replaces on the card: the title and its link, the hours, "Do:", the authors
    // and the details link all belong to the original resource.
    const title = it.card.querySelector(".sg-resource__title");
    it.shown = {
      title,
      hours: it.card.querySelector(".sg-badge--hours"),
      more: it.card.querySelector(".sg-resource__more"),
      hide: [...it.card.querySelectorAll(".sg-step__sections, .sg-resource__by, .sg-badges > :not(.sg-badge--hours)")],
    };
    it.shown.original = {
      title: title && title.textContent,
      href: title && title.getAttribute("href"),
      hours: it.shown.hours && it.shown.hours.textContent,
      more: it.shown.more && it.shown.more.getAttribute("href"),
    };
    it.status = h("p", { class: "sg-step__status", hidden: true });
    it.card.querySelector(".sg-step__number").append(" ", it.next);
    it.card.prepend(row);
    (title ? title.closest("p") : row).after(it.status);
    return;
  }
  if (it.kind === "further" && view.track) {
    it.add = h("button", { type: "button", class: "sg-button sg-add" });
    it.add.addEventListener("click", () =>
      change(view, (s) => {
        if (!s.added[view.track]) s.added[view.track] = Object.create(null);
        setDate(s.added[view.track], it.id, !isAdded(s, view.track, it.id), today());
      }),
    );
    row.append(it.add);
  }
  it.card.prepend(row);
}

function render(view) {
  const state = store.load();
  notice(store.problem());
  const pretty = view.pretty || (view.pretty = prettyDate());
  view.walked = view.path ? walk(view.path, state, view.track) : [];
  const next = nextStep(view.walked);
  const steps = new Map(view.walked.filter((w) => w.kind === "step").map((w) => [w.step, w]));
  for (const it of view.items) {
    const walked = it.kind === "step" ? steps.get(it.id) : null;
    const when = walked ? walked.done : doneOn(state, it.id);
    const title = walked ? walked.title : it.title;
    if (it.box) {
      it.box.checked = Boolean(when);
      setAttr(it.box, "aria-label", `${it.word}: ${title}`);
      setText(it.when, when ? `on ${pretty(when)}` : "");
    }
    it.card.classList.toggle("sg-resource--done", Boolean(when));
    if (walked) renderStep(it, walked, next, state);
    if (it.add) {
      const on = isAdded(state, view.track, it.id);
      setText(it.add, on ? "Remove from my path" : "Add to my path");
      setAttr(it.add, "aria-pressed", String(on));
      setAttr(it.add, "aria-label", `${on ? "Remove from my path" : "Add to my path"}: ${it.title}`);
      it.card.classList.toggle("sg-resource--added", on);
    }
    if (!it.page) it.card.hidden = view.panel ? !view.panel.matches(it) : false;
  }
  for (const t of view.topics) {
    const mine = view.path
      ? view.walked.filter((w) => w.topic === t.topic)
      : view.items.filter((it) => it.topic === t.topic).map((it) => ({ status: doneOn(state, it.id) ? "done" : "todo" }));
    const done = mine.filter((w) => w.status === "done").length;
    // Swaps and additions change a topic's hours: say when the figure is the learner's own.
    if (t.hours && view.path) {
      const own = mine.some((w) => w.swapped || w.kind === "added");
      const hours = mine.reduce((sum, w) => sum + (w.status === "skipped" || w.status === "known" ? 0 : w.hours), 0);
      const skips = mine.some((w) => w.status === "skipped" || w.status === "known");
      setText(t.hours, own || skips ? `${num(hours)} hours with your choices` : t.written);
    }
    setText(t.count, mine.length ? `${done} of ${mine.length} done` : "");
    t.count.classList.toggle("sg-topic-done--all", mine.length > 0 && done === mine.length);
  }
  if (view.panel) view.panel.update(state, view.walked, next);
}

/** A concept's name as the page's links to it give it, or its id. */
export function conceptTitle(id) {
  const link = document.querySelector(`a[data-sg-concept="${id}"]`);
  return link ? link.textContent.trim() : id;
}

/** The card shows the resource the learner takes: the chosen alternative, or the original. */
function showTaken(it, walked) {
  const { title, hours, more, hide, original } = it.shown;
  const alt = walked.swapped ? it.instead.find((a) => a.id === walked.id) : null;
  if (title) {
    setText(title, alt ? alt.title : original.title);
    setAttr(title, "href", alt ? alt.url : original.href);
  }
  if (hours) setText(hours, alt ? `≈ ${num(alt.hours)} h` : original.hours);
  if (more) setAttr(more, "href", alt ? alt.details : original.more);
  for (const el of hide) el.hidden = Boolean(alt);
  it.card.classList.toggle("sg-step--swapped", Boolean(alt));
}

/** A topic's title on a track page: its heading, less the number. */
export function topicTitle(id) {
  const heading = id && document.getElementById(id);
  return heading ? headingText(heading).replace(/^\d+\.\s*/, "") : id;
}

function renderStep(it, walked, next, state) {
  const known = walked.status === "known";
  const skipped = walked.status === "skipped" || known;
  it.card.classList.toggle("sg-step--skipped", skipped);
  it.card.classList.toggle("sg-step--next", next !== null && next.step === it.id);
  it.next.hidden = !(next !== null && next.step === it.id);
  setText(it.skip, skipped ? "Put back" : "Skip: I know this");
  setAttr(it.skip, "aria-pressed", String(skipped));
  setAttr(
    it.skip,
    "aria-label",
    skipped ? `Put back step ${it.number}: ${it.title}` : `Skip step ${it.number}: I know ${it.title}`,
  );
  if (it.swap) it.swap.value = walked.swapped ? walked.id : "";
  showTaken(it, walked);
  const notes = [];
  if (walked.swapped) notes.push(`Your choice: this replaces “${it.title}” (≈ ${num(it.hours)} h), which you swapped out.`);
  if (known) {
    const names = it.teaches.map(conceptTitle).join(", ");
    notes.push(
      it.teaches.every((c) => checked(state, c))
        ? `You tested out of ${topicTitle(it.topic)}: you got every self-check right on what this step teaches (${names}), so your plan leaves it out.`
        : `You may skip this: you know everything it teaches (${names}), so your plan leaves it out.`,
    );
  } else if (skipped) notes.push("Skipped: you know this already, so your plan leaves it out.");
  setText(it.status, notes.join(" "));
  it.status.hidden = !notes.length;
}
