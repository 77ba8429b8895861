// Keeps the page's state between visits (the record itself is persist.js's business).
//
// - After every settled step (and after the reader acts: console, clock, import) the worker is
//   asked for the engine image and the record is written, at most once per quarter second.
// - On the next visit the saved lesson is replayed to its step and the image loaded (player.js
//   and worker.js), unless the address asks for another lesson or step: a shared link wins.
// - A record that cannot be used, or an image the engine refuses, is reported in one message,
//   set aside, and the lesson starts fresh. A failure to save is reported, never fatal.
// - Reset forgets the saved state; a lesson at its start with nothing done is not worth keeping.
import * as persist from './persist.js';

const DELAY_MS = 250;

export class Keeper {
  constructor({ host, player, notice }) {
    this.host = host;
    this.player = player;
    this.notice = notice;
    this.timer = 0;
    this.saving = null;
    this.failed = false;
    this.enabled = true;
  }

  /** The saved record if it can be used; otherwise it is set aside and the reader told why. */
  async saved() {
    let record;
    // The first read was started by boot.js, while the page was still loading.
    const early = globalThis.playgroundBoot?.saved;
    if (globalThis.playgroundBoot) globalThis.playgroundBoot.saved = null;
    try {
      record = await (early ?? persist.load());
    } catch (error) {
      this.notice(`The saved state could not be read (${error?.name ?? 'error'}: ${error?.message ?? error}). The page starts fresh.`);
      return null;
    }
    if (record === null) return null;
    const problem = persist.problemWith(record);
    if (problem === null) return record;
    await this.setAside(problem);
    return null;
  }

  async setAside(reason) {
    this.discarded = true;
    this.notice(`The saved state could not be used: ${reason}. It was set aside and the lesson starts fresh.`);
    try {
      await persist.setAside(reason);
    } catch {
      // Nothing more to do: the page goes on without it.
    }
  }

  /** The worker's answer to loading the saved image (its `restored` event). */
  async restored(event) {
    if (event.ok) return;
    this.cancel();
    await this.setAside(event.error ?? 'the engine refused it');
    this.player.reset();
  }

  /** Called with every state the worker reports. */
  settled(state) {
    if (!this.enabled || !['paused', 'blocked', 'done', 'error'].includes(state.status)) return;
    this.schedule();
  }

  schedule() {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.save(), DELAY_MS);
  }

  cancel() {
    clearTimeout(this.timer);
    this.timer = 0;
  }

  async save() {
    this.timer = 0;
    const position = this.player.position();
    if (!position.lesson) return;
    if (position.step === 0 && position.code === null && position.actions.length === 0) {
      await this.clear();
      return;
    }
    let engine;
    try {
      engine = await this.host.request({ type: 'save' });
    } catch {
      return; // the process was restarted meanwhile: the next state saves again
    }
    if (!(engine instanceof Uint8Array)) return;
    try {
      await persist.save({ ...position, engine });
      if (this.failed) this.notice(null);
      this.failed = false;
    } catch (error) {
      this.failed = true;
      this.notice(persist.describeFailure(error));
    }
  }

  /** Reset: the saved state is forgotten. */
  async clear() {
    this.cancel();
    try {
      await persist.clear();
    } catch {
      // No storage: nothing was saved either.
    }
  }
}
