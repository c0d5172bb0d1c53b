/* studyguide: progress, filters and a study plan on the generated pages.
   Plain ES2020, no dependencies, nothing loaded from elsewhere. Without it every page still
   lists every resource; it adds the controls. Progress stays in this browser (localStorage). */
(() => {
  "use strict";
  if (window.studyguide) return; // loaded twice: the first copy already listens

  const KEY = "studyguide:v1:progress";
  const PLAN_KEY = "studyguide:v1:plan";
  const ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
  const DAY = 864e5;
  const EPS = 1e-9;
  const FREE = ["free", "free-audit"];
  const LEVEL_ORDER = ["intro", "intermediate", "advanced"];
  const FILTERS = ["cost", "format", "level"];

  /* ---- calendar days, as UTC midnights so that no time zone or DST shifts a date ---- */

  function parseDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(typeof text === "string" ? text : "");
    if (!m) return null;
    const t = Date.UTC(+m[1], m[2] - 1, +m[3]);
    return isoDate(t) === text ? t : null;
  }
  const isoDate = (t) => new Date(t).toISOString().slice(0, 10);
  function today() {
    const now = new Date();
    return isoDate(Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()));
  }
  const num = (x) => String(Math.round(x * 10) / 10);
  const plural = (n, word) => `${num(n)} ${word}${n === 1 ? "" : "s"}`;

  /* ---- the study plan: a pure function of the list, the pace and the start date ---- */

  /** Walk `items` ({id, title, hours, ...}) in order at `hoursPerWeek`, from `startDate`
      (YYYY-MM-DD). Hours are spread evenly over the 7 days of a week, so a resource takes
      the days its share of the time covers, and one longer than a week spans several weeks.
      Returns {error} for an unusable pace or date. */
  function plan(items, hoursPerWeek, startDate) {
    const pace = typeof hoursPerWeek === "string" && hoursPerWeek.trim() === "" ? NaN : +hoursPerWeek;
    if (!Number.isFinite(pace)) return { error: "Enter how many hours you can study each week." };
    if (pace <= 0) return { error: "Hours per week must be more than 0." };
    if (pace > 168) return { error: "A week has only 168 hours: enter at most 168 hours per week." };
    const start = parseDate(startDate);
    if (start === null) return { error: "Enter a valid start date." };
    const days = (hours) => (hours / pace) * 7;
    let used = 0;
    const out = [];
    for (const item of items) {
      const hours = Math.max(0, +item.hours || 0);
      const first = Math.floor(days(used) + EPS);
      used += hours;
      const last = Math.max(first, Math.ceil(days(used) - EPS) - 1);
      if (last > 36500) {
        return {
          error: `At ${num(pace)} hours a week this plan would take over 100 years: plan more hours per week.`,
        };
      }
      out.push({
        ...item,
        hours,
        week: Math.floor(first / 7) + 1,
        endWeek: Math.floor(last / 7) + 1,
        start: isoDate(start + first * DAY),
        end: isoDate(start + last * DAY),
      });
    }
    const lastItem = out[out.length - 1];
    return {
      hoursPerWeek: pace,
      start: isoDate(start),
      hours: Math.round(used * 10) / 10,
      items: out,
      weeks: lastItem ? lastItem.endWeek : 0,
      finish: lastItem ? lastItem.end : null,
    };
  }

  /* ---- iCalendar (RFC 5545): CRLF, 75-octet folding, escaped TEXT, all-day events ---- */

  const encoder = new TextEncoder();
  const icsText = (s) =>
    String(s)
      .replace(/[\\;,]/g, "\\$&")
      .replace(/\r\n|\r|\n/g, "\\n");
  const icsDate = (iso) => iso.replace(/-/g, "");
  function fold(line) {
    let out = "";
    let width = 0;
    for (const ch of line) {
      const size = encoder.encode(ch).length;
      if (width + size > 75) {
        out += "\r\n ";
        width = 1;
      }
      out += ch;
      width += size;
    }
    return out;
  }

  /** One all-day event per planned resource. `options`: name (calendar name), uid (a stable
      prefix, e.g. the track), domain (for UIDs), now (DTSTAMP, a Date or milliseconds). */
  function ics(p, options = {}) {
    const stamp = new Date(options.now == null ? Date.now() : options.now)
      .toISOString()
      .replace(/[-:]/g, "")
      .replace(/\.\d+/, "");
    const domain = options.domain || "studyguide.invalid";
    const lines = [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:-//studyguide//Study plan//EN",
      "CALSCALE:GREGORIAN",
      "METHOD:PUBLISH",
    ];
    if (options.name) lines.push(`X-WR-CALNAME:${icsText(options.name)}`);
    for (const item of p.items || []) {
      const weeks = item.week === item.endWeek ? `week ${item.week}` : `weeks ${item.week}–${item.endWeek}`;
      const about = [
        `About ${plural(item.hours, "hour")} of study, ${weeks} of your plan (${num(p.hoursPerWeek)} hours a week from ${p.start}).`,
      ];
      if (item.url) about.push(`Resource: ${item.url}`);
      if (item.page) about.push(`Notes: ${item.page}`);
      lines.push(
        "BEGIN:VEVENT",
        `UID:${icsText(`${options.uid || "plan"}.${item.id}@${domain}`)}`,
        `DTSTAMP:${stamp}`,
        `DTSTART;VALUE=DATE:${icsDate(item.start)}`,
        `DTEND;VALUE=DATE:${icsDate(isoDate(parseDate(item.end) + DAY))}`,
        `SUMMARY:${icsText(`Study: ${item.title}`)}`,
        `DESCRIPTION:${icsText(about.join("\n"))}`,
      );
      if (item.url && /^https?:\/\/[^\s"<>]+$/.test(item.url)) lines.push(`URL:${item.url}`);
      lines.push("TRANSP:TRANSPARENT", "END:VEVENT");
    }
    lines.push("END:VCALENDAR");
    return lines.map(fold).join("\r\n") + "\r\n";
  }

  /* ---- storage: {version: 1, done: {resourceId: "YYYY-MM-DD"}}; anything else is ignored ---- */

  /** The valid entries of a progress object, or null when it is not one. */
  function parseProgress(data) {
    if (!data || typeof data !== "object" || Array.isArray(data) || data.version !== 1) return null;
    const done = data.done;
    if (!done || typeof done !== "object" || Array.isArray(done)) return null;
    const out = {};
    for (const [id, when] of Object.entries(done)) {
      const day = typeof when === "string" ? when.slice(0, 10) : "";
      if (ID.test(id) && parseDate(day) !== null) out[id] = day;
    }
    return out;
  }

  let memory = {}; // used when the browser refuses storage
  let stored = true;
  function readJSON(key) {
    try {
      const raw = localStorage.getItem(key);
      return raw === null ? null : JSON.parse(raw);
    } catch (_error) {
      return null; // unreadable or not JSON: start afresh rather than break the page
    }
  }
  function loadDone() {
    if (!stored) return { ...memory };
    return parseProgress(readJSON(KEY)) || {};
  }
  function saveDone(done) {
    memory = { ...done };
    try {
      localStorage.setItem(KEY, JSON.stringify({ version: 1, done }));
      stored = true;
    } catch (_error) {
      stored = false;
    }
    return stored;
  }
  function writeJSON(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
    } catch (_error) {
      /* the plan inputs are a convenience: nothing to do */
    }
  }

  /* ---- small DOM helpers ---- */

  let uid = 0;
  const nextId = (name) => `sg-${name}-${++uid}`;
  function h(tag, props, ...children) {
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
  function headingText(heading) {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach((a) => a.remove());
    return copy.textContent.trim();
  }
  function download(name, type, text) {
    const url = URL.createObjectURL(new Blob([text], { type }));
    const a = h("a", { href: url, download: name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60000);
  }
  const label = (value) => value.charAt(0).toUpperCase() + value.slice(1).replace(/-/g, " ");
  function dateFormat() {
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        day: "numeric",
        month: "short",
        year: "numeric",
        timeZone: "UTC",
      });
    } catch (_error) {
      return { format: (d) => isoDate(d.getTime()) };
    }
  }
  function invalid(control, bad) {
    if (bad) control.setAttribute("aria-invalid", "true");
    else control.removeAttribute("aria-invalid");
  }
  function field(text, control) {
    if (!control.id) control.id = nextId("field");
    return h(
      "div",
      { class: "sg-field" },
      h("label", { for: control.id, class: "sg-field__label", text }),
      control,
    );
  }

  /* ---- Material's own markup: fixes that only a script can apply ---- */

  function fixMaterial() {
    // The search overlay is role=dialog without a name (axe: aria-dialog-name).
    document
      .querySelectorAll(".md-search[role=dialog]:not([aria-label]):not([aria-labelledby])")
      .forEach((el) => el.setAttribute("aria-label", "Search"));
  }

  /* ---- one page view ---- */

  let current = null;

  function setup() {
    fixMaterial();
    const cards = [...document.querySelectorAll(".sg-resource[data-sg-id]")].filter(
      (c) => !c.hasAttribute("data-sg-ready"),
    );
    if (!cards.length) return current && document.contains(current.root) ? current : null;
    const fmt = dateFormat();
    const pretty = (iso) => fmt.format(new Date(parseDate(iso)));
    const items = cards.map((card) => makeItem(card));
    const panelHost = document.querySelector(".sg-track[data-sg-track]:not([data-sg-ready])");
    const listed = items.filter((it) => !it.page);
    let panel = null;
    if (panelHost) {
      panelHost.setAttribute("data-sg-ready", "");
      panel = makePanel(panelHost, { track: panelHost.getAttribute("data-sg-track"), plan: true });
    } else if (listed.length > 1) {
      const host = h("div", { class: "sg-track", "data-sg-ready": "" });
      const first = document.querySelector(".sg-resources");
      first.parentNode.insertBefore(host, first);
      panel = makePanel(host, { track: null, plan: false });
    }
    const total = document.querySelector(".sg-total[data-sg-total-count]");
    const totalNodes = total ? [...total.childNodes].map((n) => n.cloneNode(true)) : null;
    const topics = [...document.querySelectorAll(".sg-resources[data-sg-topic]")].map((box) => {
      const meta = document.querySelector(
        `.sg-topic-meta[data-sg-topic="${box.getAttribute("data-sg-topic")}"]`,
      );
      const text =
        meta && meta.firstChild && meta.firstChild.nodeType === Node.TEXT_NODE ? meta.firstChild : null;
      const done = meta ? h("span", { class: "sg-topic-done" }) : null;
      if (meta) meta.append(" ", done);
      return { box, meta, text, original: text ? text.textContent : "", done };
    });
    const filters = { cost: "", format: "", level: "" };
    if (panel) readFiltersFromURL();

    function makeItem(card) {
      card.setAttribute("data-sg-ready", "");
      const page = card.classList.contains("sg-resource--page");
      const heading = page ? document.querySelector(".md-content h1") : null;
      const link = card.querySelector(page ? "a.md-button" : ".sg-resource__title");
      const more = card.querySelector(".sg-resource__more");
      const title =
        (heading ? headingText(heading) : link && link.textContent.trim()) || card.getAttribute("data-sg-id");
      const word = page ? "I have done this" : "Done";
      // The visible word starts the accessible name, which also names the resource.
      const box = h("input", { type: "checkbox", class: "sg-done__box", "aria-label": `${word}: ${title}` });
      const when = h("span", { class: "sg-done__when" });
      const control = h(
        page ? "span" : "div",
        { class: page ? "sg-done sg-done--page" : "sg-done" },
        h("label", { class: "sg-done__label" }, box, h("span", { text: word })),
        when,
      );
      const actions = page && link && link.parentElement.tagName === "P" ? link.parentElement : null;
      if (actions) {
        actions.classList.add("sg-actions");
        actions.append(control);
      } else if (page) card.append(control);
      else card.prepend(control);
      const item = {
        id: card.getAttribute("data-sg-id"),
        card,
        box,
        when,
        page,
        title,
        hours: +card.getAttribute("data-sg-hours") || 0,
        format: card.getAttribute("data-sg-format") || "",
        cost: card.getAttribute("data-sg-cost") || "",
        level: card.getAttribute("data-sg-level") || "",
        url: link ? link.href : "",
        details: more ? more.href : page ? location.href.split("#")[0] : "",
      };
      box.addEventListener("change", () => toggle(item, box.checked));
      return item;
    }

    function toggle(item, on) {
      const done = loadDone();
      if (on) done[item.id] = done[item.id] || today();
      else delete done[item.id];
      const ok = saveDone(done);
      render();
      if (!ok && panel)
        panel.say(
          "This browser does not let the site store your progress: your marks last only until you leave the page.",
          true,
        );
    }

    function matches(it) {
      if (it.page) return true;
      if (filters.cost === "free" && !FREE.includes(it.cost)) return false;
      if (filters.format && it.format !== filters.format) return false;
      return !filters.level || it.level === filters.level;
    }
    const filtered = () => FILTERS.some((k) => filters[k]);

    function readFiltersFromURL() {
      const params = new URLSearchParams(location.search);
      for (const key of FILTERS) {
        const value = params.get(key) || "";
        filters[key] = panel.options[key].includes(value) ? value : "";
      }
    }
    function writeFiltersToURL() {
      const url = new URL(location.href);
      for (const key of FILTERS) {
        if (filters[key]) url.searchParams.set(key, filters[key]);
        else url.searchParams.delete(key);
      }
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }

    function render() {
      const done = loadDone();
      const seen = new Set();
      const stats = { count: 0, hours: 0, doneCount: 0, doneHours: 0, all: 0, allHours: 0 };
      const remaining = [];
      for (const it of items) {
        const when = done[it.id];
        it.box.checked = Boolean(when);
        it.card.classList.toggle("sg-resource--done", Boolean(when));
        it.when.textContent = when ? `on ${pretty(when)}` : "";
        const show = matches(it);
        if (!it.page) it.card.hidden = !show;
        if (seen.has(it.id)) continue;
        seen.add(it.id);
        stats.all += 1;
        stats.allHours += it.hours;
        if (!show) continue;
        stats.count += 1;
        stats.hours += it.hours;
        if (when) {
          stats.doneCount += 1;
          stats.doneHours += it.hours;
        } else if (!it.page) {
          remaining.push({ id: it.id, title: it.title, hours: it.hours, url: it.url, page: it.details });
        }
      }
      for (const t of topics) {
        const shown = items.filter((it) => !it.page && t.box.contains(it.card) && !it.card.hidden);
        const n = shown.filter((it) => done[it.id]).length;
        if (t.done) {
          t.done.textContent = shown.length ? `${n} of ${shown.length} done` : "";
          t.done.classList.toggle("sg-topic-done--all", shown.length > 0 && n === shown.length);
        }
        if (t.text) {
          const hours = shown.reduce((sum, it) => sum + it.hours, 0);
          t.text.textContent = !filtered()
            ? t.original
            : shown.length
              ? `${plural(shown.length, "resource")} shown, about ${num(hours)} hours. `
              : "No resources here match the filters. ";
        }
      }
      if (total && totalNodes) {
        if (filtered()) {
          const strong = totalNodes.find((n) => n.nodeName === "STRONG");
          total.replaceChildren(
            ...(strong ? [strong.cloneNode(true), " "] : []),
            `about ${num(stats.hours)} of ${num(stats.allHours)} hours: ${stats.count} of ${plural(stats.all, "resource")} match the filters.`,
          );
        } else total.replaceChildren(...totalNodes.map((n) => n.cloneNode(true)));
      }
      if (panel) panel.update(stats, remaining);
    }

    /* ---- the panel: progress, filters, plan, and moving progress between browsers ---- */

    function makePanel(host, { track, plan: withPlan }) {
      const listedItems = items.filter((it) => !it.page);
      const values = (key) => [...new Set(listedItems.map((it) => it[key]).filter(Boolean))];
      const levels = values("level").sort((a, b) => {
        const ia = LEVEL_ORDER.indexOf(a);
        const ib = LEVEL_ORDER.indexOf(b);
        return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
      });
      const options = {
        cost: ["", "free"],
        format: ["", ...values("format").sort()],
        level: ["", ...levels],
      };
      const countOf = (key, value) => listedItems.filter((it) => it[key] === value).length;

      const titleId = nextId("progress");
      const bar = h("progress", { class: "sg-progress__bar", max: 1, value: 0, "aria-labelledby": titleId });
      const pct = h("span", { class: "sg-progress__pct" });
      const summary = h("p", { class: "sg-progress__text", "aria-live": "polite" });
      const progress = h(
        "div",
        { class: "sg-progress" },
        h(
          "p",
          { class: "sg-progress__head" },
          h("span", { id: titleId, class: "sg-progress__title", text: "Your progress" }),
          pct,
        ),
        bar,
        summary,
      );

      const select = (key, all, name) =>
        h(
          "select",
          { name: key },
          ...options[key].map((v) => h("option", { value: v, text: v ? name(v) : all })),
        );
      const free = select(
        "cost",
        "Free and paid",
        () => `Free only (${listedItems.filter((it) => FREE.includes(it.cost)).length})`,
      );
      const named = (key) => (v) => `${label(v)} (${countOf(key, v)})`;
      const format = select("format", "All formats", named("format"));
      const level = select("level", "All levels", named("level"));
      const clear = h("button", { type: "button", class: "sg-button", text: "Clear filters" });
      const status = h("p", { class: "sg-filters__status", "aria-live": "polite" });
      const filterBox = h(
        "fieldset",
        { class: "sg-filters" },
        h("legend", { text: "Filter resources" }),
        h(
          "div",
          { class: "sg-filters__row" },
          field("Cost", free),
          field("Format", format),
          field("Level", level),
          clear,
        ),
        status,
      );
      const onFilter = () => {
        filters.cost = free.value;
        filters.format = format.value;
        filters.level = level.value;
        writeFiltersToURL();
        render();
      };
      free.addEventListener("change", onFilter);
      format.addEventListener("change", onFilter);
      level.addEventListener("change", onFilter);
      clear.addEventListener("click", () => {
        free.value = "";
        format.value = "";
        level.value = "";
        onFilter();
      });

      const parts = [progress, filterBox];
      let planView = null;
      if (withPlan) {
        planView = makePlan(track);
        parts.push(planView.el, makeData(track));
      }
      const messages = h("p", { class: "sg-message", role: "status" });
      parts.push(messages);
      host.replaceChildren(
        h(
          "section",
          { class: "sg-panel", "aria-label": track ? "Your progress and study plan" : "Your progress" },
          ...parts,
        ),
      );

      function say(text, error) {
        messages.textContent = text;
        messages.classList.toggle("sg-message--error", Boolean(error));
      }

      return {
        options,
        say,
        syncControls() {
          free.value = filters.cost;
          format.value = filters.format;
          level.value = filters.level;
        },
        update(stats, remaining) {
          const ratio = stats.count ? stats.doneCount / stats.count : 0;
          bar.max = Math.max(stats.count, 1);
          bar.value = stats.doneCount;
          pct.textContent = `${Math.round(ratio * 100)}%`;
          const text = `${stats.doneCount} of ${plural(stats.count, "resource")} done, ${num(stats.doneHours)} of ${num(stats.hours)} hours${filtered() ? " (in the filtered view)" : ""}.`;
          if (summary.textContent !== text) summary.textContent = text;
          status.textContent = filtered()
            ? stats.count
              ? `Showing ${stats.count} of ${plural(stats.all, "resource")}.`
              : "No resources match these filters."
            : "";
          clear.disabled = !filtered();
          if (planView) planView.update(remaining);
        },
      };
    }

    function makePlan(track) {
      const saved = readJSON(PLAN_KEY) || {};
      const hoursId = nextId("hours");
      const errorId = nextId("plan-error");
      const hours = h("input", {
        id: hoursId,
        type: "number",
        name: "hours",
        min: "0.5",
        max: "168",
        step: "0.5",
        inputmode: "decimal",
        value: String(saved.hours != null && +saved.hours > 0 ? saved.hours : 5),
      });
      const start = h("input", {
        type: "date",
        name: "start",
        value: parseDate(saved.start) !== null ? saved.start : today(),
      });
      const button = h("button", {
        type: "button",
        class: "sg-button sg-button--primary",
        text: "Download .ics",
      });
      const result = h("p", { id: errorId, class: "sg-plan__summary", "aria-live": "polite" });
      const list = h("ol", { class: "sg-plan__list" });
      const details = h(
        "details",
        { class: "sg-plan" },
        h("summary", { text: "Study plan: when will you finish?" }),
        h("p", {
          class: "sg-hint",
          text: "Enter your pace and a start date: the plan walks the resources you have not done yet in the order of this page, keeping to the filters (free only counts free to audit as free).",
        }),
        h(
          "div",
          { class: "sg-plan__inputs" },
          field("Hours per week", hours),
          field("Start date", start),
          button,
        ),
        result,
        list,
      );
      hours.setAttribute("aria-describedby", errorId);
      start.setAttribute("aria-describedby", errorId);
      let last = null;
      let remaining = [];
      const refresh = () => {
        writeJSON(PLAN_KEY, { hours: hours.value, start: start.value });
        show();
      };
      hours.addEventListener("input", refresh);
      start.addEventListener("input", refresh);
      start.addEventListener("change", refresh);
      button.addEventListener("click", () => {
        if (!last || last.error || !last.items.length) return;
        const name = `Study plan: ${headingText(document.querySelector(".md-content h1") || h("h1", { text: "studyguide" }))}`;
        download(
          `study-plan-${track || "track"}.ics`,
          "text/calendar",
          ics(last, { name, uid: track, domain: location.hostname || "studyguide.invalid" }),
        );
      });

      function show() {
        last = plan(remaining, hours.value, start.value);
        const bad = Boolean(last.error);
        const dateError = bad && /date/.test(last.error);
        invalid(hours, bad && !dateError);
        invalid(start, dateError);
        result.classList.toggle("sg-message--error", bad);
        button.disabled = bad || !last.items.length;
        if (bad) {
          result.textContent = last.error;
          list.replaceChildren();
          return;
        }
        if (!last.items.length) {
          result.textContent = filtered()
            ? "Nothing left to plan: you have done every resource the filters show."
            : "Nothing left to plan: you have done every resource on this track.";
          list.replaceChildren();
          return;
        }
        result.textContent = `${plural(last.items.length, "resource")} left, about ${num(last.hours)} hours: at ${num(last.hoursPerWeek)} hours a week from ${pretty(last.start)}, you finish around ${pretty(last.finish)} (${plural(last.weeks, "week")}).`;
        list.replaceChildren(
          ...last.items.map((it) =>
            h(
              "li",
              { "data-sg-id": it.id },
              h("span", {
                class: "sg-plan__when",
                text: `${it.week === it.endWeek ? `Week ${it.week}` : `Weeks ${it.week}–${it.endWeek}`} · ${it.start === it.end ? pretty(it.start) : `${pretty(it.start)} – ${pretty(it.end)}`}`,
              }),
              " ",
              h("a", { href: `#res-${it.id}`, text: it.title }),
              h("span", { class: "sg-plan__hours", text: ` · ${num(it.hours)} h` }),
            ),
          ),
        );
      }
      return {
        el: details,
        update(next) {
          remaining = next;
          show();
        },
      };
    }

    function makeData(track) {
      const inputId = nextId("import");
      const file = h("input", {
        id: inputId,
        type: "file",
        accept: ".json,application/json",
        class: "sg-file",
      });
      const exportButton = h("button", { type: "button", class: "sg-button", text: "Export progress" });
      const reset = h("button", {
        type: "button",
        class: "sg-button sg-button--danger",
        text: "Reset progress…",
      });
      exportButton.addEventListener("click", () => {
        const done = loadDone();
        const text = JSON.stringify({ version: 1, done, exported: new Date().toISOString() }, null, 2) + "\n";
        download(`studyguide-progress-${today()}.json`, "application/json", text);
        panel.say(`Exported ${plural(Object.keys(done).length, "done mark")}.`);
      });
      file.addEventListener("change", async () => {
        const chosen = file.files && file.files[0];
        file.value = "";
        if (!chosen) return;
        let data = null;
        try {
          data = chosen.size > 1e6 ? undefined : JSON.parse(await chosen.text());
        } catch (_error) {
          data = undefined;
        }
        const imported = parseProgress(data);
        if (!imported) {
          panel.say(
            `Could not import “${chosen.name}”: it is not a studyguide progress file (expected JSON like {"version": 1, "done": {...}}). Nothing was changed.`,
            true,
          );
          return;
        }
        const done = loadDone();
        for (const [id, when] of Object.entries(imported)) if (!done[id] || when < done[id]) done[id] = when;
        saveDone(done);
        render();
        const here = items.filter((it) => imported[it.id]).length;
        panel.say(
          `Imported ${plural(Object.keys(imported).length, "done mark")} from “${chosen.name}” (${here} on this page).`,
        );
      });
      reset.addEventListener("click", () => {
        const count = Object.keys(loadDone()).length;
        if (!count) {
          panel.say("There is no progress to reset.");
          return;
        }
        if (
          !window.confirm(
            `Forget all ${plural(count, "resource")} you marked done on this site? This cannot be undone; export your progress first to keep a copy.`,
          )
        )
          return;
        saveDone({});
        try {
          localStorage.removeItem(KEY);
        } catch (_error) {
          /* already cleared in memory */
        }
        render();
        panel.say("Progress reset: no resource is marked done.");
      });
      return h(
        "details",
        { class: "sg-data" },
        h("summary", { text: "Save, move or reset your progress" }),
        h("p", {
          class: "sg-hint",
          text: "Your progress is kept in this browser only, for this site. Export it to a file to keep a copy or to move it to another browser, then import it there.",
        }),
        h(
          "div",
          { class: "sg-data__buttons" },
          exportButton,
          file,
          h("label", { for: inputId, class: "sg-button", text: "Import progress…" }),
          reset,
        ),
      );
    }

    if (panel) panel.syncControls();
    render();
    const root = document.querySelector(".md-content") || document.body;
    return { root, render, say: (text, error) => panel && panel.say(text, error) };
  }

  function start() {
    current = setup();
  }

  window.addEventListener("storage", (event) => {
    if ((event.key === KEY || event.key === null) && current) current.render();
  });

  window.studyguide = Object.freeze({ plan, ics, parseProgress, KEY, PLAN_KEY, version: 1 });

  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(start);
  else if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", start, { once: true });
  else start();
})();
