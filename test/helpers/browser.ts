/**
 * Headless Chromium for end-to-end tests: Debian's `chromium` driven through playwright-core. No browser is
 * ever downloaded; CHROMIUM_PATH points at another binary. watchPage() records what a page does that a test
 * may want to forbid or expect: dialogs, console output, uncaught errors, requests, navigations, popups.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium (apt-get install chromium) or set CHROMIUM_PATH; ` +
        'browser tests never download a browser',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // --no-sandbox: CI containers run as root, where Chromium's sandbox cannot start; /dev/shm there is tiny.
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

export interface PageActivity {
  /** alert/confirm/prompt/beforeunload dialogs, each dismissed as it opened. */
  dialogs: Array<{ type: string; message: string }>;
  console: Array<{ type: string; text: string }>;
  /** Uncaught exceptions in the page. */
  errors: string[];
  /** Every request the page or its frames started (also those a route then aborted), in order. */
  requests: Array<{ url: string; resourceType: string; frameUrl: string }>;
  /** WebSocket connections opened. */
  webSockets: string[];
  /** Every URL the main frame committed, in order (the first is the page opened). */
  navigations: string[];
  /** Windows the page opened, each closed at once. */
  popups: string[];
}

/** What a page has done, recorded as it happens. */
export interface PageWatch {
  /** The activity since the watch began or the last take(); recording goes on afresh. */
  take(): PageActivity;
}

const emptyActivity = (): PageActivity => ({ dialogs: [], console: [], errors: [], requests: [], webSockets: [], navigations: [], popups: [] });

/** Starts recording a page's activity; call before the page loads anything. A page may be reused across take()s. */
export function watchPage(page: Page): PageWatch {
  let activity = emptyActivity();
  page.on('dialog', (dialog) => {
    activity.dialogs.push({ type: dialog.type(), message: dialog.message() });
    dialog.dismiss().catch(() => undefined); // the page may already be closing
  });
  page.on('console', (message) => activity.console.push({ type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => activity.errors.push(error.message));
  page.on('request', (request) => {
    let frameUrl = '';
    try {
      frameUrl = request.frame().url();
    } catch {
      // requests of service workers have no frame
    }
    activity.requests.push({ url: request.url(), resourceType: request.resourceType(), frameUrl });
  });
  page.on('websocket', (socket) => activity.webSockets.push(socket.url()));
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) activity.navigations.push(frame.url());
  });
  page.on('popup', (popup) => {
    activity.popups.push(popup.url());
    popup.close().catch(() => undefined);
  });
  return {
    take: () => {
      const taken = activity;
      activity = emptyActivity();
      return taken;
    },
  };
}

/**
 * Lets through only the requests `allowed` accepts; every other request is aborted before it leaves the
 * browser (it still shows in {@link PageActivity.requests}).
 */
export async function restrictRequests(page: Page, allowed: (url: string) => boolean): Promise<void> {
  await page.route('**/*', (route) => (allowed(route.request().url()) ? route.continue() : route.abort('blockedbyclient')));
}
