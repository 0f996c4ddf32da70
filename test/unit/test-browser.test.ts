import { describe, expect, it } from 'vitest';
import { chooseBrowser } from '../support/browser.js';

/** Which Chromium the browser test drives (the packaged one: test/e2e, on a machine without one). */
describe('the test browser', () => {
  it("is the machine's Chromium where it has one", async () => {
    const choice = await chooseBrowser({}, (path) => path === '/usr/bin/chromium');
    expect(choice).toEqual({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox'],
      source: 'system',
    });
  });

  it('is CHROMIUM_PATH when given, and refuses one that does not exist', async () => {
    const given = await chooseBrowser({ CHROMIUM_PATH: '/opt/chrome/chrome' }, () => true);
    expect(given.executablePath).toBe('/opt/chrome/chrome');
    await expect(chooseBrowser({ CHROMIUM_PATH: '/nowhere/chrome' }, () => false)).rejects.toThrow(
      'CHROMIUM_PATH is /nowhere/chrome, which does not exist',
    );
  });
});
