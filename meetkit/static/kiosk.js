// meetkit kiosk: join one of today's meetings through Jitsi's iframe API, count the people in the room,
// and leave without a trace. Keeps nothing in storage or history; ending replaces the page with a fresh
// copy of today's list (location.replace), so no name, count or token of the session survives.
(() => {
  "use strict";

  const today = document.getElementById("today");
  if (!today) return;
  const base = today.dataset.base;
  const refreshMs = Number(today.dataset.refresh || 300) * 1000;
  const text = document.getElementById("messages").dataset;
  const sessionView = document.getElementById("session");
  const errorBox = document.getElementById("kiosk-error");
  const countOut = document.getElementById("headcount");
  const countStatus = document.getElementById("headcount-status");
  const MAX_COUNT = 500;

  let session = null; // {api, groupId, count, saveTimer, leaveTimer, saving}
  let joining = false;
  let leaving = false;

  function showError(message) {
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  async function post(path, body) {
    const response = await fetch(base + path, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    let data = {};
    try {
      data = await response.json();
    } catch (ignored) {
      data = {};
    }
    if (!response.ok) {
      const error = new Error(data.error || String(response.status));
      error.status = response.status;
      throw error;
    }
    return data;
  }

  function loadScript(src) {
    if (window.JitsiMeetExternalAPI) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.async = true;
      script.onload = () => (window.JitsiMeetExternalAPI ? resolve() : reject(new Error("no API")));
      script.onerror = () => reject(new Error("not loaded"));
      document.head.appendChild(script);
    });
  }

  // --- the in-room headcount ---

  function saveSoon() {
    clearTimeout(session.saveTimer);
    session.saveTimer = setTimeout(save, 600);
    session.dirty = true;
  }

  async function save() {
    const current = session;
    if (!current || !current.dirty) return;
    clearTimeout(current.saveTimer);
    current.dirty = false;
    try {
      await post("/headcount.json", { group_id: current.groupId, in_room: current.count });
      if (session === current && !current.dirty) countStatus.textContent = text.saved;
    } catch (error) {
      current.dirty = true;
      if (session === current) countStatus.textContent = text.saveFailed;
    }
  }

  function change(delta) {
    if (!session) return;
    session.count = Math.min(MAX_COUNT, Math.max(0, session.count + delta));
    countOut.value = String(session.count);
    countOut.textContent = String(session.count);
    countStatus.textContent = "";
    saveSoon();
  }

  // --- joining and leaving ---

  async function leave() {
    if (leaving) return;
    leaving = true;
    const current = session;
    if (current) {
      clearTimeout(current.leaveTimer);
      await save(); // the count goes in before anything is thrown away
      try {
        current.api.dispose();
      } catch (ignored) {
        // the iframe is gone with the page anyway
      }
    }
    session = null;
    window.location.replace(base);
  }

  async function join(groupId) {
    if (joining || session) return;
    joining = true;
    errorBox.hidden = true;
    let info;
    try {
      info = await post("/join.json", { group_id: groupId });
    } catch (error) {
      joining = false;
      if (error.status === 401 || error.status === 404) {
        window.location.replace(base); // revoked tablet or a list that is out of date
      } else {
        showError(text.joinFailed);
      }
      return;
    }
    try {
      await loadScript(info.script);
    } catch (error) {
      joining = false;
      showError(text.jitsiFailed);
      return;
    }
    today.hidden = true;
    sessionView.hidden = false;
    document.getElementById("session-title").textContent = info.title;
    document.getElementById("session-time").textContent =
      info.place ? info.time + " · " + info.place : info.time;
    document.getElementById("member-qr").src = info.qr;
    const options = Object.assign({}, info.options, {
      parentNode: document.getElementById("jitsi"),
      width: "100%",
      height: "100%",
    });
    const api = new window.JitsiMeetExternalAPI(info.domain, options);
    session = { api: api, groupId: info.group_id, count: 0, dirty: false, saveTimer: 0, leaveTimer: 0 };
    api.addListener("readyToClose", leave);
    api.addListener("videoConferenceLeft", leave);
    session.leaveTimer = setTimeout(leave, Math.max(0, info.leave_at - Date.now()));
    joining = false;
  }

  for (const button of document.querySelectorAll(".meeting-join")) {
    button.addEventListener("click", () => join(Number(button.dataset.group)));
  }
  document.getElementById("headcount-plus").addEventListener("click", () => change(1));
  document.getElementById("headcount-minus").addEventListener("click", () => change(-1));
  document.getElementById("end").addEventListener("click", leave);

  // While no meeting is open, reload the day's list now and then (new day, next meeting).
  setInterval(() => {
    if (!session && !joining && !leaving) window.location.replace(base);
  }, refreshMs);
})();
