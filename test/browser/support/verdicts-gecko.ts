// Firefox's own CORS verdicts (console keys → reason ids) live beside the Firefox launcher in src/cli.
export * from '../../../src/cli/firefox/console-verdicts.ts';
