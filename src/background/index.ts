import browser from 'webextension-polyfill';

browser.runtime.onMessage.addListener((message: unknown) => {
  if ((message as { type?: string })?.type === 'ping') return Promise.resolve({ ok: true });
  return undefined;
});
