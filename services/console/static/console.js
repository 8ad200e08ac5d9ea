// Orderflow console: live sections refresh in place; action forms post JSON and show the answer.
// Every POST carries the page's CSRF token; a session that has ended goes to the login page.
"use strict";

const dirty = new WeakSet();
// A form whose request is on its way, or whose answer came less than HOLD_MS ago: its section
// is not replaced meanwhile, so the answer is neither lost nor gone before it can be read.
const pending = new WeakSet();
const answeredAt = new WeakMap();
const HOLD_MS = 2000;

function csrfToken() {
  const meta = document.querySelector("meta[name=csrf-token]");
  return meta ? meta.content : "";
}

function toLogin() {
  const here = window.location.pathname + window.location.search;
  window.location.assign("/login?next=" + encodeURIComponent(here));
}

function busy(section) {
  const active = document.activeElement;
  if (active && section.contains(active) && active.form) return true;
  const now = Date.now();
  return Array.from(section.querySelectorAll("form.action")).some(
    (f) => dirty.has(f) || pending.has(f) || now - (answeredAt.get(f) || 0) < HOLD_MS
  );
}

async function refresh() {
  const sections = document.querySelectorAll("[data-live]");
  if (!sections.length) return;
  let html;
  try {
    const response = await fetch(window.location.href, { headers: { "X-Refresh": "1" } });
    if (response.redirected && new URL(response.url).pathname === "/login") {
      toLogin();
      return;
    }
    if (!response.ok) throw new Error(String(response.status));
    html = await response.text();
  } catch (err) {
    mark("offline", "update failed: " + err.message);
    return;
  }
  const fresh = new DOMParser().parseFromString(html, "text/html");
  sections.forEach((section) => {
    const next = fresh.getElementById(section.id);
    if (next && !busy(section) && next.innerHTML !== section.innerHTML) {
      section.innerHTML = next.innerHTML;
    }
  });
  mark("", "updated " + new Date().toLocaleTimeString());
}

function mark(state, text) {
  const badge = document.getElementById("updated");
  if (!badge) return;
  badge.textContent = text;
  badge.className = "updated " + state;
}

function fields(form) {
  const out = {};
  new FormData(form).forEach((value, name) => { out[name] = value; });
  return out;
}

function show(result, state, text) {
  result.className = "result" + (state ? " " + state : "");
  result.textContent = text;
}

// Some actions (dead-letter replay, timeline rebuild) answer first with a question: the same
// request again with confirm=true carries them out.
function askFirst(form, question) {
  const step = form.querySelector(".confirm-step");
  if (!step) return false;
  step.querySelector(".question").textContent = question;
  step.hidden = false;
  return true;
}

async function submit(form, extra) {
  const result = form.querySelector(".result");
  const button = form.querySelector("button[type=submit]");
  show(result, "", "…");
  if (button) button.disabled = true;
  pending.add(form);
  try {
    const response = await fetch(form.dataset.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify(Object.assign(fields(form), extra || {})),
    });
    const body = await response.json().catch(() => ({ detail: response.statusText }));
    if (response.status === 401 && form.dataset.action !== "/login") {
      toLogin();
      return;
    }
    if (response.ok && body.ok) {
      show(result, "ok", body.message || "done");
      dirty.delete(form);
      if (body.redirect) { window.location.assign(body.redirect); return; }
      setTimeout(refresh, HOLD_MS + 100);
    } else if (response.ok && body.confirm && askFirst(form, body.confirm)) {
      show(result, "", "");
    } else {
      show(result, "error", body.detail || ("failed: " + response.status));
    }
  } catch (err) {
    show(result, "error", "failed: " + err.message);
  } finally {
    if (button) button.disabled = false;
    pending.delete(form);
    answeredAt.set(form, Date.now());
  }
}

document.addEventListener("submit", (event) => {
  const form = event.target.closest("form.action");
  if (!form) return;
  event.preventDefault();
  submit(form);
});

document.addEventListener("click", (event) => {
  const yes = event.target.closest(".confirm-yes");
  const no = event.target.closest(".confirm-no");
  if (!yes && !no) return;
  const form = event.target.closest("form.action");
  form.querySelector(".confirm-step").hidden = true;
  if (yes) submit(form, { confirm: true });
});

document.addEventListener("input", (event) => {
  const form = event.target.closest && event.target.closest("form.action");
  if (form) dirty.add(form);
});

window.addEventListener("DOMContentLoaded", () => {
  const seconds = parseFloat(document.body.dataset.refreshS || "3");
  setInterval(refresh, Math.max(seconds, 0.5) * 1000);
  // A page that failed (a service down or overloaded) tries again as a whole.
  if (document.querySelector("[data-retry]")) {
    setTimeout(() => window.location.reload(), Math.max(seconds, 1) * 3000);
  }
});
