// Firefox for browser tests: the WebDriver-BiDi launcher is product code (the CLI and `npm run
// start:firefox` use it); tests keep importing it from here.
export * from '../../../src/cli/firefox/launch.ts';
