// The way out when the app stops: orderlog's panic hook (src/main.rs) calls
// window.orderlogRescue(message), which replaces the page with what happened and a button
// that downloads the event log as a backup file (the format io::backup reads), straight
// from IndexedDB, so no order is lost even though the app itself no longer runs.
'use strict';

const GENESIS_HASH = '0'.repeat(64);

/**
 * Every event of the log, in seq order, whichever layout holds it: pages of events as JSON
 * text (schemas 3 and 4), or one record per event (schemas 1 and 2, if an upgrade never
 * finished).
 */
function readLog() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('orderlog');
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const store = ['pages', 'events'].find((name) => db.objectStoreNames.contains(name));
      if (!store) {
        db.close();
        resolve([]);
        return;
      }
      const all = db.transaction(store).objectStore(store).getAll();
      all.onsuccess = () => {
        db.close();
        resolve(store === 'pages' ? all.result.flatMap((page) => JSON.parse(page.events)) : all.result);
      };
      all.onerror = () => reject(all.error);
    };
  });
}

async function downloadBackup(status) {
  try {
    const events = await readLog();
    const header = {
      format: 'orderlog-backup',
      version: 1,
      events: events.length,
      head_hash: events.length ? events[events.length - 1].hash : GENESIS_HASH,
    };
    const text = [header, ...events].map((line) => JSON.stringify(line)).join('\n') + '\n';
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/x-ndjson' }));
    link.download = 'orderlog-backup.ndjson';
    document.body.append(link);
    link.click();
    link.remove();
    status.textContent = `Downloaded ${events.length} events. Restore them on the Import page once orderlog runs again.`;
  } catch (error) {
    status.textContent = `The log could not be read: ${error}. It is still in this browser; do not clear the site's data.`;
  }
}

window.orderlogRescue = (message) => {
  if (document.getElementById('rescue')) return;
  const main = document.createElement('main');
  main.id = 'rescue';
  main.className = 'rescue';
  const heading = document.createElement('h1');
  heading.textContent = 'orderlog stopped because of an error';
  const told = document.createElement('p');
  told.textContent = 'Your orders are safe in this browser. Download them as a backup, then reload the page.';
  const detail = document.createElement('pre');
  detail.textContent = String(message);
  const status = document.createElement('p');
  status.setAttribute('role', 'status');
  const download = document.createElement('button');
  download.type = 'button';
  download.textContent = 'Download a backup of the event log';
  download.addEventListener('click', () => downloadBackup(status));
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = 'Reload';
  reload.addEventListener('click', () => window.location.reload());
  main.append(heading, told, download, reload, status, detail);
  document.body.replaceChildren(main);
};
