/* The panel above a list: progress, what is next, filters and, on a track, the study plan and
   the tools that move progress between browsers. */

import { ics, mergeStates, num, parseDate, parseState, plan, plural, progress, today, todo } from "./core.js";
import { download, field, h, headingText, invalid, label, nextId, prettyDate, words } from "./dom.js";
import * as store from "./storage.js";

const FILTERS = ["cost", "format", "level"];
// No template literal inside another: the minifier that ships these files mangles them.
const stepName = (item) => (item.label ? label(item.label) : item.number ? "Step " + item.number : "Added");
// Marks and self-check answers, as export and import count them.
// What a state holds, in words (link.js, loaded on demand); "" when nothing.
const tally = (state) => import("./link.js").then((m) => m.inventory(state));
const weeksOf = (item) => (item.week === item.endWeek ? "week " + item.week : "weeks " + item.week + "–" + item.endWeek);

export function makePanel(host, view) {
  const track = view.track;
  const listed = view.items.filter((it) => !it.page);
  const levelOrder = words(host.dataset.sgLevels);
  const free = words(host.dataset.sgFree);
  const pretty = prettyDate();
  const filters = { cost: "", format: "", level: "" };
  const values = (key) => [...new Set(listed.map((it) => it[key]).filter(Boolean))];
  const rank = (level) => (levelOrder.includes(level) ? levelOrder.indexOf(level) : levelOrder.length);
  const options = {
    cost: ["", "free"],
    format: ["", ...values("format").sort()],
    level: ["", ...values("level").sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))],
  };
  const params = new URLSearchParams(location.search);
  for (const key of FILTERS) filters[key] = options[key].includes(params.get(key)) ? params.get(key) : "";
  const filtered = () => FILTERS.some((key) => filters[key]);

  /* ---- progress and what is next ---- */
  const titleId = nextId("progress");
  const bar = h("progress", { class: "sg-progress__bar", max: 1, value: 0, "aria-labelledby": titleId });
  const pct = h("span", { class: "sg-progress__pct" });
  const summary = h("p", { class: "sg-progress__text", "aria-live": "polite" });
  const nextUp = h("p", { class: "sg-next-up" });
  const parts = [
    h(
      "div",
      { class: "sg-progress" },
      h(
        "p",
        { class: "sg-progress__head" },
        h("span", { id: titleId, class: "sg-progress__title", text: track ? "Your path" : "Your progress" }),
        pct,
      ),
      bar,
      summary,
    ),
  ];
  const root = host.closest(".md-content") || document.body;
  let hide = null;
  if (track) {
    hide = h("input", { type: "checkbox", class: "sg-hide__box" });
    hide.checked = Boolean(store.prefs().hide);
    root.classList.toggle("sg-hide-done", hide.checked);
    hide.addEventListener("change", () => {
      store.setPrefs({ hide: hide.checked });
      root.classList.toggle("sg-hide-done", hide.checked);
    });
    parts.push(nextUp, h("label", { class: "sg-hide" }, hide, h("span", { text: "Hide done and skipped steps" })));
  }

  /* ---- filters, mirrored in the address so a filtered view can be shared ---- */
  const select = (key, all, name) =>
    h("select", { name: key }, ...options[key].map((v) => h("option", { value: v, text: v ? name(v) : all })));
  const countOf = (key, value) => listed.filter((it) => it[key] === value).length;
  const named = (key) => (v) => `${label(v)} (${countOf(key, v)})`;
  const controls = {
    cost: select("cost", "Free and paid", () => `Free only (${listed.filter((it) => free.includes(it.cost)).length})`),
    format: select("format", "All formats", named("format")),
    level: select("level", "All levels", named("level")),
  };
  const clear = h("button", { type: "button", class: "sg-button", text: "Clear filters" });
  const status = h("p", { class: "sg-filters__status", "aria-live": "polite" });
  const filterBox = h(
    "details",
    { class: "sg-filters", open: filtered() || !track },
    h("summary", { text: "Filter resources" }),
    h(
      "div",
      { class: "sg-filters__row" },
      field("Cost", controls.cost),
      field("Format", controls.format),
      field("Level", controls.level),
      clear,
    ),
    status,
  );
  const onFilter = () => {
    for (const key of FILTERS) filters[key] = controls[key].value;
    const url = new URL(location.href);
    for (const key of FILTERS) {
      if (filters[key]) url.searchParams.set(key, filters[key]);
      else url.searchParams.delete(key);
    }
    if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    view.render();
  };
  for (const key of FILTERS) {
    controls[key].value = filters[key];
    controls[key].addEventListener("change", onFilter);
  }
  clear.addEventListener("click", () => {
    for (const key of FILTERS) controls[key].value = "";
    onFilter();
  });
  parts.push(filterBox);

  const planView = track ? makePlan(track, view, pretty) : null;
  if (planView) parts.push(planView.el, makeData(view));
  const messages = h("p", { class: "sg-message", role: "status" });
  parts.push(messages);
  const section = h(
    "section",
    { class: "sg-panel", tabindex: "-1", "aria-label": track ? "Your path and study plan" : "Your progress" },
    ...parts,
  );
  host.replaceChildren(section);

  const panel = {
    matches(it) {
      if (filters.cost === "free" && !free.includes(it.cost)) return false;
      if (filters.format && it.format !== filters.format) return false;
      return !filters.level || it.level === filters.level;
    },
    say(text, error) {
      messages.textContent = text;
      messages.classList.toggle("sg-message--error", Boolean(error));
    },
    focus() {
      (nextUp.querySelector("a") || section).focus();
    },
    update(state, walked, next) {
      let done;
      let total;
      let text;
      if (track) {
        const stats = progress(walked);
        done = stats.done + stats.skipped;
        total = stats.steps;
        const skipped = stats.skipped ? ", " + stats.skipped + " skipped" : "";
        text = `${stats.done} of ${plural(stats.steps, "step")} done${skipped}: about ${num(stats.hoursLeft)} of ${num(stats.hours)} hours left.`;
        nextUp.replaceChildren(
          ...(next
            ? [
                "Next up: ",
                h("a", {
                  href: `#res-${next.step}`,
                  text: `${stepName(next)}: ${next.title}`,
                }),
                ` (≈ ${num(next.hours)} h)`,
              ]
            : ["You have finished every step of your path."]),
        );
        planView.update(todo(walked), state);
      } else {
        const ids = [...new Set(listed.map((it) => it.id))];
        total = ids.length;
        done = ids.filter((id) => state.done[id]).length;
        text = `${done} of ${plural(total, "resource")} done.`;
      }
      bar.max = Math.max(total, 1);
      bar.value = done;
      pct.textContent = `${Math.round((total ? done / total : 0) * 100)}%`;
      if (summary.textContent !== text) summary.textContent = text;
      const shown = listed.filter((it) => !it.card.hidden).length;
      status.textContent = filtered()
        ? shown
          ? `Showing ${shown} of ${plural(listed.length, "resource")}.`
          : "No resources match these filters."
        : "";
      clear.disabled = !filtered();
    },
  };
  return panel;
}

/** The pace and start date the learner chose for `track`: each track keeps its own. Before
    they were kept per track, one pace served every track: it stays with the last track used. */
function planPrefs(track) {
  const saved = store.prefs();
  const plans = saved.plans && typeof saved.plans === "object" ? saved.plans : {};
  if (Object.prototype.hasOwnProperty.call(plans, track) && plans[track] && typeof plans[track] === "object") return plans[track];
  return !saved.plans && saved.track === track ? { hours: saved.hours, start: saved.start } : {};
}

function makePlan(track, view, pretty) {
  const saved = planPrefs(track);
  const host = document.querySelector(".sg-track[data-sg-track]");
  const pace = saved.hours != null && +saved.hours > 0 ? saved.hours : host.dataset.sgWeeklyHours || 5;
  const resultId = nextId("plan-result");
  const hours = h("input", {
    type: "number",
    name: "hours",
    min: "0.5",
    max: "168",
    step: "0.5",
    inputmode: "decimal",
    value: String(pace),
    "aria-describedby": resultId,
  });
  const start = h("input", {
    type: "date",
    name: "start",
    min: "0100-01-01",
    max: "9999-12-31",
    value: parseDate(saved.start) !== null && saved.start >= today() ? saved.start : today(),
    "aria-describedby": resultId,
  });
  const button = h("button", { type: "button", class: "sg-button sg-button--primary", text: "Download .ics" });
  const result = h("p", { id: resultId, class: "sg-plan__summary", "aria-live": "polite" });
  const list = h("ul", { class: "sg-plan__list" });
  // A saved start date that has passed: the plan starts today, and says so once.
  const passed = parseDate(saved.start) !== null && saved.start < today() ? saved.start : null;
  const el = h(
    "details",
    { class: "sg-plan" },
    h("summary", { text: "Study plan: when will you finish?" }),
    h("p", {
      class: "sg-hint",
      text: "Enter your pace and a start date: the plan walks your path in order, leaving out what you have done or skipped, with your swaps and additions.",
    }),
    h("div", { class: "sg-plan__inputs" }, field("Hours per week", hours), field("Start date", start), button),
    result,
    list,
  );
  let last = null;
  let remaining = [];
  let ways = []; // "Plan my way here" (way.js)
  let asked = 0;
  const title = () => headingText(document.querySelector(".md-content h1") || h("h1", { text: "studyguide" }));
  const show = () => {
    // What is left can start today at the earliest: a plan never finishes in the past.
    const late = parseDate(start.value) !== null && start.value < today() ? start.value : null;
    last = plan(remaining.concat(ways), hours.value, late ? today() : start.value);
    const bad = Boolean(last.error);
    const dateError = bad && /date/.test(last.error);
    invalid(hours, bad && !dateError);
    invalid(start, dateError);
    result.classList.toggle("sg-message--error", bad);
    button.disabled = bad || !last.items.length;
    if (bad || !last.items.length) {
      result.textContent = bad ? last.error : "Nothing left to plan: you have done or skipped every step of your path.";
      list.replaceChildren();
      return;
    }
    const from = late || (passed && start.value === today() && !edited) ? ` (${pretty(late || passed)} has passed, so the plan starts today)` : "";
    result.textContent = `${plural(last.items.length, "step")} left, about ${num(last.hours)} hours: at your pace of ${num(last.hoursPerWeek)} hours a week from ${pretty(last.start)}${from}, you finish around ${pretty(last.finish)} (${plural(last.weeks, "week")}).`;
    list.replaceChildren(
      ...last.items.map((it) =>
        h(
          "li",
          { "data-sg-id": it.id },
          h("a", { href: it.href || `#res-${it.step}`, text: `${stepName(it)}: ${it.title}` }),
          h("span", {
            class: "sg-plan__when",
            text: `${weeksOf(it)}, done by ${pretty(it.end)} · ${num(it.hours)} h`,
          }),
        ),
      ),
    );
  };
  let edited = false;
  const refresh = () => {
    edited = true;
    const plans = { ...(store.prefs().plans || {}) };
    plans[track] = { hours: hours.value, start: start.value };
    store.setPrefs({ plans });
    show();
  };
  hours.addEventListener("input", refresh);
  start.addEventListener("input", refresh);
  start.addEventListener("change", refresh);
  button.addEventListener("click", () => {
    if (!last || last.error || !last.items.length) return;
    const name = title();
    const text = ics(last, { name: `Study plan: ${name}`, title: name, uid: track, domain: location.hostname || "studyguide.invalid" });
    download(`study-plan-${track}.ics`, "text/calendar", text);
  });
  return {
    el,
    update(items, state) {
      remaining = items.map((it) => ({ ...it, page: view.items.find((c) => c.id === it.step)?.details }));
      const ask = ++asked;
      if (!state.ways || !Object.keys(state.ways).length) ways = [];
      else import("./way.js").then((m) => m.planItems(state, track)).then((found) => ask === asked && ((ways = found), show()), () => {});
      show();
    },
  };
}

function makeData(view) {
  const inputId = nextId("import");
  const file = h("input", { id: inputId, type: "file", accept: ".json,application/json", class: "sg-file" });
  const exportButton = h("button", { type: "button", class: "sg-button", text: "Export progress" });
  const reset = h("button", { type: "button", class: "sg-button sg-button--danger", text: "Reset progress…" });
  const say = (text, error) => view.panel.say(text, error);
  // Progress links: share.js loads when one of these is pressed.
  const shared = h("div", { class: "sg-share" });
  const share = (text, how) => {
    const onclick = () => import("./share.js").then((m) => m[how](shared, say), () => say("Could not load: reload the page.", true));
    return h("button", { type: "button", class: "sg-button", text, onclick });
  };
  exportButton.addEventListener("click", () => {
    if (store.problem()) {
      // What this page cannot read is saved as it is stored, not as the page shows it.
      download(`studyguide-progress-${today()}.json`, "application/json", store.storedText());
      say("Exported your saved progress as it is stored: this page cannot read it.");
      return;
    }
    const state = store.load();
    const text = `${JSON.stringify({ ...state, exported: new Date().toISOString() }, null, 2)}\n`;
    download(`studyguide-progress-${today()}.json`, "application/json", text);
    tally(state).then((what) => say(`Exported ${what || "no progress: there is nothing saved yet"}.`), () => say("Exported your progress."));
  });
  file.addEventListener("change", async () => {
    const chosen = file.files && file.files[0];
    file.value = "";
    if (!chosen) return;
    let data = null;
    try {
      data = chosen.size > 1e6 ? null : JSON.parse(await chosen.text());
    } catch (_error) {
      data = null;
    }
    const imported = parseState(data);
    if (!imported) {
      say(
        `Could not import “${chosen.name}”: it is not a studyguide progress file (JSON with "version" and "done"). Nothing was changed.`,
        true,
      );
      return;
    }
    if (store.problem()) {
      say(
        `Could not import “${chosen.name}”: your saved progress is in a form this page cannot read, and importing would replace it. Nothing was changed. Reload to get the newest page, or reset your progress first.`,
        true,
      );
      return;
    }
    store.save(mergeStates(store.load(), imported));
    view.render();
    const here = view.items.filter((it) => imported.done[it.id]).length;
    const what = await tally(imported).catch(() => "progress");
    say(`Imported ${what || "nothing"} from “${chosen.name}” (${here} done on this page).`);
  });
  reset.addEventListener("click", async () => {
    if (store.problem()) {
      const unreadable =
        "Delete your saved progress, which this page cannot read, and start afresh? This cannot be undone; export it first to keep a copy.";
      if (!window.confirm(unreadable)) return;
      store.reset();
      view.render();
      say("Progress reset: nothing is marked done or skipped.");
      return;
    }
    let what;
    try {
      what = await tally(store.load());
    } catch (_error) {
      say("Could not load: reload the page.", true);
      return;
    }
    if (!what) {
      say("There is no progress to reset.");
      return;
    }
    const question = `Forget ${what} on this site? This cannot be undone; export your progress first to keep a copy.`;
    if (!window.confirm(question)) return;
    store.reset();
    view.render();
    say("Progress reset: nothing is marked done or skipped.");
  });
  return h(
    "details",
    { class: "sg-data" },
    h("summary", { text: "Save, move or reset your progress" }),
    h("p", {
      class: "sg-hint",
      text: "Your progress is kept in this browser only, for this site. Export it to a file to keep a copy or to move it to another browser, then import it there, or copy a link to it.",
    }),
    h(
      "div",
      { class: "sg-data__buttons" },
      exportButton,
      file,
      h("label", { for: inputId, class: "sg-button", text: "Import progress…" }),
      share("Copy a link to your progress", "copy"),
      share("Show the link as a QR code", "qr"),
      reset,
    ),
    shared,
  );
}
