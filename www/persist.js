// Where the page keeps its state between visits: one record in IndexedDB.
//
// The record says where the reader was (lesson, step, their edited code, what they did in the
// console and with the clock, in order) and holds the engine's own saved state: the bytes of
// `Playground.saveState()`, a versioned and checksummed image of every database with TTLs as
// absolute times on the virtual clock. On the next visit the page replays the lesson to the
// same step (the course code's own variables can only come back that way) and then loads the
// engine image, so the keyspace and the clock are exactly as they were left.
//
// Nothing here may stop the page: a browser without IndexedDB, a full disk or a record that
// cannot be read are each reported as one message and the page goes on without saving.
// A record that cannot be used is not deleted but set aside under another key, so that it can
// still be looked at; the page then starts fresh.

const DB_NAME = 'redis-playground';
const STORE = 'state';
const KEY = 'current';
const SET_ASIDE = 'set-aside';

/** The version of the record's own layout (the engine image carries its own). */
export const RECORD_VERSION = 1;

function request(req) {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

let opened = null;
function open() {
  opened ??= new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('this browser keeps no IndexedDB'));
      return;
    }
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
    req.onblocked = () => reject(new Error('the saved state is held open by another tab'));
  });
  opened.catch(() => { opened = null; });
  return opened;
}

async function tx(mode, fn) {
  const db = await open();
  const t = db.transaction(STORE, mode);
  const done = new Promise((resolve, reject) => {
    t.oncomplete = () => resolve();
    t.onabort = () => reject(t.error ?? new Error('the transaction was aborted'));
    t.onerror = () => reject(t.error);
  });
  const result = await fn(t.objectStore(STORE));
  await done;
  return result;
}

/** Checks a record's shape; returns the reason it cannot be used, or null. */
export function problemWith(record) {
  if (record === null || typeof record !== 'object') return 'it is not a record';
  if (record.version !== RECORD_VERSION) return `it was written by another version of the page (record version ${record.version})`;
  if (typeof record.lesson !== 'string' || !record.lesson) return 'it names no lesson';
  if (!Number.isInteger(record.step) || record.step < 0) return 'its step is not a number';
  if (record.code !== null && typeof record.code !== 'string') return 'its code is not text';
  if (!Array.isArray(record.actions)) return 'its actions are not a list';
  if (!(record.engine instanceof Uint8Array)) return 'it holds no engine image';
  const clock = record.startClock;
  if (!clock || typeof clock !== 'object' || !Number.isFinite(clock.now) || typeof clock.frozen !== 'boolean') return 'its clock is not readable';
  if (!record.actions.every((a) => a && typeof a === 'object' && typeof a.type === 'string' && Number.isInteger(a.at))) return 'its actions are not readable';
  return null;
}

/** The saved record, `null` when there is none; throws when storage cannot be read. */
export async function load() {
  return (await tx('readonly', (store) => request(store.get(KEY)))) ?? null;
}

/** Saves the record (replacing the last). A full disk rejects with a `QuotaExceededError`. */
export async function save(record) {
  await tx('readwrite', (store) => request(store.put({ ...record, version: RECORD_VERSION, savedAt: Date.now() }, KEY)));
}

/** Forgets the saved state (Reset). */
export async function clear() {
  await tx('readwrite', (store) => request(store.delete(KEY)));
}

/** Moves the current record aside (kept under another key, with why), leaving none current. */
export async function setAside(reason) {
  await tx('readwrite', async (store) => {
    const record = await request(store.get(KEY));
    if (record !== undefined) store.put({ record, reason, at: Date.now() }, SET_ASIDE);
    store.delete(KEY);
  });
}

/** The record last set aside, with its reason (for the curious, and for tests). */
export async function setAsideRecord() {
  return (await tx('readonly', (store) => request(store.get(SET_ASIDE)))) ?? null;
}

/** A storage failure in words a reader can act on. */
export function describeFailure(error) {
  const name = error?.name ?? '';
  if (name === 'QuotaExceededError') return 'The browser\'s storage is full, so this state will not survive a reload. The page keeps working.';
  return `The state could not be saved (${name || 'error'}: ${error?.message ?? error}). The page keeps working.`;
}
