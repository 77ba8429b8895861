// What every end-to-end test of the lesson player does with the page: read the player's state
// from the body's data attributes, read the step shown, wait for a step to settle, open a lesson
// at its start, type a line into the console. `getPage` is called at each use (tests open their page in `before`).

/** The statuses a run rests in: the page waits for one of these after each action. */
export const SETTLED = ['paused', 'blocked', 'done', 'error'];

export function playerPage(getPage) {
  const state = () => getPage().evaluate(() => ({
    status: document.body.dataset.playerStatus,
    released: Number(document.body.dataset.released),
    lesson: document.body.dataset.lesson,
  }));

  /** The step the page shows, as text: its code line, command, reply, JS value and stated outputs. */
  const readStep = () => getPage().evaluate(() => {
    const box = document.getElementById('step');
    const text = (sel) => box.querySelector(sel)?.textContent ?? null;
    return {
      index: Number(box.dataset.index),
      kind: box.dataset.kind,
      client: box.dataset.client,
      code: text('.row.code-line pre.value'),
      cli: text('.row.cli pre.value'),
      reply: text('.row.reply pre.value'),
      waiting: text('.row.reply .waiting'),
      js: text('.row.js pre.value'),
      stated: [...box.querySelectorAll('.stated')].map((b) => ({
        mark: b.dataset.mark, real: b.dataset.real ?? null, text: b.querySelector('.stated-text').textContent,
      })),
      finished: text('.finished'),
    };
  });

  /** Waits until the run has gone past step `released` and rests; returns the new state. */
  async function settledAfter(released) {
    await getPage().waitForFunction(([prev, settled]) => {
      const b = document.body.dataset;
      return settled.includes(b.playerStatus) && Number(b.released) > prev;
    }, [released, SETTLED]);
    return state();
  }

  /**
   * Opens lesson `id` and waits for a new run of it paused before its first step: after a
   * click on Reset (`reset`, the default), or the run the address change itself starts.
   */
  async function openLesson(id, { reset = true } = {}) {
    const page = getPage();
    let run = await page.evaluate(() => Number(document.body.dataset.run));
    await page.evaluate((lesson) => { window.location.hash = lesson; }, id);
    await page.waitForFunction((lesson) => document.body.dataset.lesson === lesson, id);
    if (reset) {
      run = await page.evaluate(() => Number(document.body.dataset.run));
      await page.click('#btn-reset');
    }
    await page.waitForFunction((prev) => {
      const b = document.body.dataset;
      return Number(b.run) > prev && b.playerStatus === 'paused' && b.released === '0';
    }, run, { timeout: 20000 }).catch(async (e) => {
      const seen = await page.evaluate(() => ({
        ...document.body.dataset, error: document.getElementById('error').textContent,
        status: document.getElementById('status').textContent,
      }));
      throw new Error(`lesson ${id} did not come to its first step (run before: ${run}): ${JSON.stringify(seen)}; ${e.message}`);
    });
  }

  /** Types a line into the console and presses Enter; returns the entries it added, as text. */
  async function typeConsole(line) {
    const page = getPage();
    const before = await page.locator('#output .entry').count();
    await page.fill('#input', line);
    await page.press('#input', 'Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#output .entry').length > n, before);
    return (await page.locator('#output .entry').allTextContents()).slice(before);
  }

  /** Pauses the engine's clock from the page, so that TTLs and timestamps are exact. */
  async function freezeClock() {
    const page = getPage();
    await page.click('#clock-toggle');
    await page.waitForFunction(() => document.getElementById('clock-mode').textContent === 'paused');
  }

  return { state, readStep, settledAfter, openLesson, typeConsole, freezeClock };
}
