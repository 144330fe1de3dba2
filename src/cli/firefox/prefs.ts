/**
 * The profile preferences of a test Firefox: quiet (no telemetry, updates, first-run pages, studies),
 * offline-friendly (no captive portal, remote settings, safe browsing, prefetch), and with the product
 * extension's moz-extension:// UUID pinned so its origin is known before it is installed.
 */

export type PrefValue = string | number | boolean;

/** The product's gecko id (vite.config.ts GECKO_ID) and the UUID this harness pins for it. */
export const PRODUCT_EXTENSION_ID = 'cors-explainer@cors-explainer.dev';
export const PRODUCT_EXTENSION_UUID = '7c0f3a52-2d4e-4b8a-9a61-0e5c2f8b1d34';
export const PRODUCT_EXTENSION_ORIGIN = `moz-extension://${PRODUCT_EXTENSION_UUID}`;

export const QUIET_PREFS: Readonly<Record<string, PrefValue>> = {
  // First run, start page, default browser
  'browser.shell.checkDefaultBrowser': false,
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'browser.startup.homepage_override.mstone': 'ignore',
  'startup.homepage_welcome_url': 'about:blank',
  'startup.homepage_welcome_url.additional': '',
  'browser.aboutwelcome.enabled': false,
  'trailhead.firstrun.didSeeAboutWelcome': true,
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.topsites': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.telemetry': false,
  'browser.newtabpage.activity-stream.telemetry': false,
  'browser.tabs.warnOnClose': false,
  // Closing a test's last tab must not close the window that holds the chrome-scope console listener.
  'browser.tabs.closeWindowWithLastTab': false,
  'browser.warnOnQuit': false,
  'browser.sessionstore.resume_from_crash': false,
  'toolkit.startup.max_resumed_crashes': -1,
  'browser.uitour.enabled': false,
  'browser.translations.enable': false,
  'browser.ml.enable': false,
  // Telemetry, studies, crash reports
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': 'data:,',
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'browser.crashReports.unsubmittedCheck.autoSubmit2': false,
  'browser.tabs.crashReporting.sendReport': false,
  // Updates of the app, add-ons, plugins, search engines, region
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'media.gmp-manager.updateEnabled': false,
  'browser.search.update': false,
  'browser.region.update.enabled': false,
  'browser.region.network.url': '',
  'geo.provider.network.url': '',
  // Network noise: captive portal, connectivity checks, remote settings, safe browsing, prefetching
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'services.settings.server': 'data:,#remote-settings-disabled/v1',
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.http.speculative-parallel-limit': 0,
  'browser.urlbar.speculativeConnect.enabled': false,
  'network.proxy.type': 0,
  'privacy.trackingprotection.enabled': false,
  // Extensions: temporary installs over BiDi, a known origin for ours
  'xpinstall.signatures.required': false,
  'extensions.autoDisableScopes': 0,
  'extensions.webextensions.uuids': JSON.stringify({ [PRODUCT_EXTENSION_ID]: PRODUCT_EXTENSION_UUID }),
  // The remote agent turns this off; users have it on, so file:// pages behave as users see them.
  'security.fileuri.strict_origin_policy': true,
  // Chrome-scope evaluation and the toolbox
  'devtools.chrome.enabled': true,
  'devtools.debugger.prompt-connection': false,
  'devtools.toolbox.host': 'bottom',
  // moz-extension://…/manifest.json as plain text: the harness's inert page inside the extension
  'devtools.jsonview.enabled': false,
  'dom.disable_open_during_load': false,
};

/** user.js text for a set of preferences (later keys win). */
export function userJs(prefs: Readonly<Record<string, PrefValue>>): string {
  return `${Object.entries(prefs)
    .map(([name, value]) => `user_pref(${JSON.stringify(name)}, ${JSON.stringify(value)});`)
    .join('\n')}\n`;
}
