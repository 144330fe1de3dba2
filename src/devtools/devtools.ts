import browser from 'webextension-polyfill';

// The devtools page registers the CORS panel and nothing else.
browser.devtools.panels.create('CORS', '/icons/icon-32.png', '/src/panel/panel.html');
