// Findings that survive a weak network. The finding form is sent with fetch; when the network fails, what was
// typed and the photos are kept on the device (IndexedDB) and sent again when the network returns. Every
// finding carries the idempotency key the server gave its form, so a resend never logs a second hazard.
(function () {
  "use strict";

  const DB_NAME = "portal-findings";
  const STORE = "pending";
  const RETRY_MS = 30000;

  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, action) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const transaction = db.transaction(STORE, mode);
        const result = action(transaction.objectStore(STORE));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  }

  const pending = {
    put: function (finding) { return withStore("readwrite", function (store) { return store.put(finding); }); },
    remove: function (key) { return withStore("readwrite", function (store) { return store.delete(key); }); },
    all: function () { return withStore("readonly", function (store) { return store.getAll(); }); },
  };

  // A form's fields as a list that IndexedDB can keep: strings, and files as Blobs with their names.
  function snapshot(form) {
    const fields = [];
    new FormData(form).forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size > 0) fields.push({ name: name, blob: value, filename: value.name });
      } else {
        fields.push({ name: name, value: value });
      }
    });
    return fields;
  }

  function body(fields) {
    const data = new FormData();
    fields.forEach(function (field) {
      if (field.blob) data.append(field.name, field.blob, field.filename);
      else data.append(field.name, field.value);
    });
    return data;
  }

  function field(fields, name) {
    const found = fields.find(function (entry) { return entry.name === name; });
    return found ? found.value : "";
  }

  // Send one finding. Resolves with the server's answer, or rejects when the network failed.
  function send(finding) {
    return fetch(finding.url, {
      method: "POST",
      body: body(finding.fields),
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": field(finding.fields, "csrfmiddlewaretoken") },
    });
  }

  let flushing = null;

  // Send every finding waiting on this device; each one that the server took is removed.
  function flush() {
    if (flushing) return flushing;
    flushing = pending.all().then(function (findings) {
      return findings.reduce(function (chain, finding) {
        return chain.then(function () {
          return send(finding).then(function (response) {
            if (response.ok) return pending.remove(finding.key);
            finding.status = response.status;
            return pending.put(finding);
          }, function () { /* still offline: keep it */ });
        });
      }, Promise.resolve());
    }).finally(function () {
      flushing = null;
      render();
    });
    return flushing;
  }

  // The list of findings still waiting to be sent, on the pages that have a place for it.
  function render() {
    const box = document.getElementById("pending-findings");
    if (!box) return Promise.resolve();
    return pending.all().then(function (findings) {
      box.replaceChildren();
      box.hidden = findings.length === 0;
      if (findings.length === 0) return;
      const title = document.createElement("p");
      title.className = "fw-semibold mb-1";
      title.textContent = box.dataset.labelWaiting + " (" + findings.length + ")";
      box.appendChild(title);
      const list = document.createElement("ul");
      list.className = "mb-0";
      findings.forEach(function (finding) {
        const item = document.createElement("li");
        item.dataset.key = finding.key;
        item.textContent = field(finding.fields, "description") || finding.key;
        if (finding.status === 403 || finding.status === 401) {
          item.textContent += " — " + box.dataset.labelLogin;
        } else if (finding.status) {
          item.textContent += " — " + box.dataset.labelRefused;
        }
        list.appendChild(item);
      });
      box.appendChild(list);
    });
  }

  // A version 4 UUID; crypto.randomUUID is missing on plain-HTTP pages, getRandomValues is not.
  function newKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function keep(form, fields) {
    return pending.put({
      key: field(fields, "idempotency_key"),
      url: form.dataset.jsonUrl,
      fields: fields,
      savedAt: new Date().toISOString(),
    });
  }

  function attach(form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.plainSubmit) return;  // a second, ordinary submit shows the server's field errors
      event.preventDefault();
      const fields = snapshot(form);
      const button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      send({ url: form.dataset.jsonUrl, fields: fields }).then(function (response) {
        if (response.ok) {
          window.location.assign(form.dataset.doneUrl || window.location.href);
          return;
        }
        // The server refused it: submit the ordinary way so the errors show in place.
        form.dataset.plainSubmit = "1";
        form.submit();
      }, function () {
        // No network: keep it on the device, and clear the form for the next finding.
        return keep(form, fields).then(function () {
          form.reset();
          const key = form.querySelector("[name=idempotency_key]");
          if (key) key.value = newKey();
          return render();
        });
      }).finally(function () {
        if (button) button.disabled = false;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (!("indexedDB" in window)) return;
    const form = document.getElementById("finding-form");
    if (form && form.dataset.jsonUrl) attach(form);
    render().then(function () { if (navigator.onLine) flush(); });
    window.addEventListener("online", flush);
    window.setInterval(function () { if (navigator.onLine) flush(); }, RETRY_MS);
  });

  window.portalFindings = { flush: flush, pending: pending, render: render };
})();
