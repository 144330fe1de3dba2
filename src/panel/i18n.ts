/**
 * Every string of the panel's own UI (buttons, headings, labels, empty state, aria labels) in en/ja/fr.
 * Explanations, reason titles and fixes come from src/explain; this file only names the furniture.
 */
import type { Locale } from '../explain/types.ts';

export interface UiStrings {
  /** Toolbar */
  toolbarLabel: string;
  clear: string;
  clearTitle: string;
  filterLabel: string;
  filterPlaceholder: string;
  reasonFilterLabel: string;
  allReasons: string;
  preserveLog: string;
  preserveLogTitle: string;
  reasonIndex: string;
  reasonIndexTitle: string;
  export: string;
  exportTitle: string;
  exportJson: string;
  exportMarkdown: string;
  copyMarkdown: string;
  /** Status */
  dropped: (n: number) => string;
  count: (shown: number, total: number) => string;
  reconnecting: string;
  disconnected: string;
  /** Empty states */
  emptyTitle: string;
  emptyBody: string;
  emptyBodyDevtoolsOnly: string;
  emptyHint: string;
  emptyIndexLink: string;
  noMatch: string;
  clearFilter: string;
  /** List */
  listLabel: string;
  colTime: string;
  colMethod: string;
  colUrl: string;
  colType: string;
  colReason: string;
  colStage: string;
  warningBadge: string;
  inferredBadge: string;
  /** Short stage names for the list's badges (the detail uses the long ones from src/explain). */
  stageShort: Record<'preflight' | 'actual' | 'redirect' | 'network', string>;
  /** Display names of webRequest resource types, where they differ from the raw type. */
  typeNames: Partial<Record<string, string>>;
  /** Detail */
  detailLabel: string;
  closeDetail: string;
  resizeDetail: string;
  openInIndex: string;
  engineName: (name: string) => string;
  inferred: string;
  alsoPossible: string;
  evidence: string;
  decidingHeaders: string;
  colHeader: string;
  colReceived: string;
  colNeeded: string;
  colResult: string;
  passed: string;
  failed: string;
  absent: string;
  request: string;
  requestUrl: string;
  requestMethod: string;
  requestOrigin: string;
  requestType: string;
  requestHeaders: string;
  preflight: string;
  preflightRequest: string;
  actualResponse: string;
  noPreflight: string;
  noResponse: string;
  notSentAfterPreflight: string;
  browserError: string;
  status: string;
  redirects: string;
  redirectedTo: string;
  noHeaders: string;
  whyBlocked: string;
  whyPreflight: string;
  fix: string;
  fixPreflightHeaders: (status: number) => string;
  fixActualHeaders: string;
  fixNoHeaders: string;
  fixServerStack: string;
  detectedStack: (label: string) => string;
  fixClient: string;
  curl: string;
  curlPreflight: string;
  curlActual: string;
  notes: string;
  learnMore: string;
  copy: string;
  copied: string;
  copyFailed: string;
  copyLabel: (what: string) => string;
  showAll: (size: string) => string;
  showLess: string;
  invisibleChars: string;
  detailError: string;
  /** Reason index */
  indexTitle: string;
  indexIntro: string;
  back: string;
  notObservable: string;
  notObservableNote: string;
  warningReason: string;
  inThisTab: (n: number) => string;
  /** Lists of text joined for display */
  listSeparator: string;
  /** Joins the sentences of one explanation into a paragraph. */
  sentenceJoiner: string;
}

const en: UiStrings = {
  toolbarLabel: 'CORS failures toolbar',
  clear: 'Clear',
  clearTitle: 'Clear the failures recorded for this tab',
  filterLabel: 'Filter failures',
  filterPlaceholder: 'Filter by URL, method, header…',
  reasonFilterLabel: 'Filter by reason',
  allReasons: 'All reasons',
  preserveLog: 'Preserve log',
  preserveLogTitle: 'Keep the failures when the page navigates or reloads',
  reasonIndex: 'Reasons',
  reasonIndexTitle: 'Every reason a cross-origin request can be blocked',
  export: 'Export',
  exportTitle: 'Export the failures shown in the list',
  exportJson: 'Save as JSON',
  exportMarkdown: 'Save as Markdown',
  copyMarkdown: 'Copy as Markdown',
  dropped: (n) => (n === 1 ? '1 older record dropped' : `${n.toLocaleString('en')} older records dropped`),
  count: (shown, total) =>
    shown === total
      ? `${total.toLocaleString('en')} ${total === 1 ? 'failure' : 'failures'}`
      : `${shown.toLocaleString('en')} of ${total.toLocaleString('en')} failures`,
  reconnecting: 'Reconnecting to the extension…',
  disconnected: 'Lost the connection to the extension. Reopen DevTools.',
  emptyTitle: 'No CORS failures in this tab yet.',
  emptyBody:
    'Failures are recorded while the extension is enabled, even before DevTools opens. Reload the page or repeat the action that failed, and each blocked request appears here with its cause and fix.',
  emptyBodyDevtoolsOnly:
    'Recording is set to tabs with DevTools open, so failures from before DevTools opened were not kept. Reload the page or repeat the action that failed, and each blocked request appears here with its cause and fix.',
  emptyHint: 'Looking for a console message you already have?',
  emptyIndexLink: 'Browse every reason',
  noMatch: 'No failure matches this filter.',
  clearFilter: 'Clear the filter',
  listLabel: 'Blocked cross-origin requests',
  colTime: 'Time',
  colMethod: 'Method',
  colUrl: 'URL',
  colType: 'Type',
  colReason: 'Reason',
  colStage: 'Stage',
  warningBadge: 'Warning',
  inferredBadge: 'likely',
  stageShort: { preflight: 'Preflight', actual: 'Request', redirect: 'Redirect', network: 'Network' },
  typeNames: { xmlhttprequest: 'fetch/xhr' },
  detailLabel: 'Failure detail',
  closeDetail: 'Close the detail (Esc)',
  resizeDetail: 'Resize the list and the detail',
  openInIndex: 'Open this reason in the index',
  engineName: (name) => `Browser's name: ${name}`,
  inferred: 'Inferred',
  alsoPossible: 'It could also be',
  evidence: 'Evidence',
  decidingHeaders: 'Deciding headers',
  colHeader: 'Header',
  colReceived: 'Received',
  colNeeded: 'Needed',
  colResult: 'Result',
  passed: 'passed',
  failed: 'failed',
  absent: '(absent)',
  request: 'Request',
  requestUrl: 'URL',
  requestMethod: 'Method',
  requestOrigin: 'Origin',
  requestType: 'Type',
  requestHeaders: 'Request headers',
  preflight: 'Preflight response (OPTIONS)',
  preflightRequest: 'Preflight request headers',
  actualResponse: 'Actual response',
  noPreflight: 'No preflight was sent.',
  noResponse: 'No response reached the browser.',
  notSentAfterPreflight: 'Not sent: the browser stopped after the preflight failed.',
  browserError: 'Browser error',
  status: 'Status',
  redirects: 'Redirects',
  redirectedTo: 'Redirected to',
  noHeaders: 'No headers.',
  whyBlocked: 'Why the browser blocks it',
  whyPreflight: 'Why a preflight was sent',
  fix: 'Fix',
  fixPreflightHeaders: (status) => `On the preflight (OPTIONS) response, answer ${status} with:`,
  fixActualHeaders: 'On the actual response, send:',
  fixNoHeaders: 'No response header fixes this one; see the explanation above.',
  fixServerStack: 'Server',
  detectedStack: (label) => `${label} — detected`,
  fixClient: 'Or change the request',
  curl: 'Reproduce with curl',
  curlPreflight: 'Preflight',
  curlActual: 'Actual request',
  notes: 'Also worth knowing',
  learnMore: 'Read the MDN article',
  copy: 'Copy',
  copied: 'Copied',
  copyFailed: 'Copy failed',
  copyLabel: (what) => `Copy ${what}`,
  showAll: (size) => `Show all (${size})`,
  showLess: 'Show less',
  invisibleChars: 'invisible characters',
  detailError: 'This failure could not be explained. Export it as JSON and report it, please.',
  indexTitle: 'Reason index',
  indexIntro:
    'Every reason a browser can block a cross-origin request for, with what the server has to change. The ones marked “not observable” never reach an extension: look for them in the console.',
  back: 'Back to failures',
  notObservable: 'Not observable',
  notObservableNote: 'Browsers send no request event for this one, so it cannot appear in the list.',
  warningReason: 'Warning: the request still succeeded',
  inThisTab: (n) => (n === 1 ? '1 in this tab' : `${n.toLocaleString('en')} in this tab`),
  listSeparator: ', ',
  sentenceJoiner: ' ',
};

const ja: UiStrings = {
  toolbarLabel: 'CORS 失敗のツールバー',
  clear: 'クリア',
  clearTitle: 'このタブで記録した失敗を消去',
  filterLabel: '失敗を絞り込む',
  filterPlaceholder: 'URL・メソッド・ヘッダーで絞り込み…',
  reasonFilterLabel: '原因で絞り込む',
  allReasons: 'すべての原因',
  preserveLog: 'ログを保持',
  preserveLogTitle: 'ページの移動や再読み込みのあとも失敗を残す',
  reasonIndex: '原因一覧',
  reasonIndexTitle: 'クロスオリジンリクエストがブロックされるすべての原因',
  export: 'エクスポート',
  exportTitle: '一覧に表示中の失敗をエクスポート',
  exportJson: 'JSON で保存',
  exportMarkdown: 'Markdown で保存',
  copyMarkdown: 'Markdown としてコピー',
  dropped: (n) => `古い記録 ${n.toLocaleString('ja')} 件を破棄しました`,
  count: (shown, total) =>
    shown === total ? `失敗 ${total.toLocaleString('ja')} 件` : `失敗 ${total.toLocaleString('ja')} 件中 ${shown.toLocaleString('ja')} 件を表示`,
  reconnecting: '拡張機能に再接続しています…',
  disconnected: '拡張機能との接続が切れました。DevTools を開き直してください。',
  emptyTitle: 'このタブではまだ CORS の失敗はありません。',
  emptyBody:
    '拡張機能が有効な間は、DevTools を開く前の失敗も記録されます。ページを再読み込みするか、失敗した操作をもう一度行うと、ブロックされたリクエストが原因と修正方法とともにここに表示されます。',
  emptyBodyDevtoolsOnly:
    '記録の対象が「DevTools を開いているタブ」に設定されているため、DevTools を開く前の失敗は残っていません。ページを再読み込みするか、失敗した操作をもう一度行うと、ブロックされたリクエストが原因と修正方法とともにここに表示されます。',
  emptyHint: 'コンソールに出たメッセージを調べたい場合は',
  emptyIndexLink: '原因の一覧を見る',
  noMatch: 'この条件に一致する失敗はありません。',
  clearFilter: '絞り込みを解除',
  listLabel: 'ブロックされたクロスオリジンリクエスト',
  colTime: '時刻',
  colMethod: 'メソッド',
  colUrl: 'URL',
  colType: '種類',
  colReason: '原因',
  colStage: '段階',
  warningBadge: '警告',
  inferredBadge: '推定',
  stageShort: { preflight: 'プリフライト', actual: 'リクエスト', redirect: 'リダイレクト', network: 'ネットワーク' },
  typeNames: { xmlhttprequest: 'fetch/xhr' },
  detailLabel: '失敗の詳細',
  closeDetail: '詳細を閉じる (Esc)',
  resizeDetail: '一覧と詳細の大きさを変更',
  openInIndex: 'この原因を一覧で開く',
  engineName: (name) => `ブラウザーでの名前: ${name}`,
  inferred: '推定',
  alsoPossible: 'ほかに考えられる原因',
  evidence: '根拠',
  decidingHeaders: '判定に使われたヘッダー',
  colHeader: 'ヘッダー',
  colReceived: '受信した値',
  colNeeded: '必要な値',
  colResult: '結果',
  passed: '合格',
  failed: '不合格',
  absent: '(なし)',
  request: 'リクエスト',
  requestUrl: 'URL',
  requestMethod: 'メソッド',
  requestOrigin: 'オリジン',
  requestType: '種類',
  requestHeaders: 'リクエストヘッダー',
  preflight: 'プリフライトのレスポンス (OPTIONS)',
  preflightRequest: 'プリフライトのリクエストヘッダー',
  actualResponse: '本リクエストのレスポンス',
  noPreflight: 'プリフライトは送信されていません。',
  noResponse: 'レスポンスはブラウザーに届いていません。',
  notSentAfterPreflight: '送信されていません: プリフライトが失敗したため、ブラウザーはここで止めました。',
  browserError: 'ブラウザーのエラー',
  status: 'ステータス',
  redirects: 'リダイレクト',
  redirectedTo: 'リダイレクト先',
  noHeaders: 'ヘッダーはありません。',
  whyBlocked: 'ブラウザーがブロックする理由',
  whyPreflight: 'プリフライトが送られた理由',
  fix: '修正方法',
  fixPreflightHeaders: (status) => `プリフライト (OPTIONS) のレスポンスでは、ステータス ${status} で次を返します:`,
  fixActualHeaders: '本リクエストのレスポンスでは、次を返します:',
  fixNoHeaders: 'これはレスポンスヘッダーでは直りません。上の説明を参照してください。',
  fixServerStack: 'サーバー',
  detectedStack: (label) => `${label} (検出)`,
  fixClient: 'またはリクエストを変更する',
  curl: 'curl で再現',
  curlPreflight: 'プリフライト',
  curlActual: '本リクエスト',
  notes: '補足',
  learnMore: 'MDN の記事を読む',
  copy: 'コピー',
  copied: 'コピーしました',
  copyFailed: 'コピーできませんでした',
  copyLabel: (what) => `${what}をコピー`,
  showAll: (size) => `すべて表示 (${size})`,
  showLess: '折りたたむ',
  invisibleChars: '不可視文字あり',
  detailError: 'この失敗は説明できませんでした。JSON でエクスポートして報告してください。',
  indexTitle: '原因一覧',
  indexIntro:
    'ブラウザーがクロスオリジンリクエストをブロックするすべての原因と、サーバー側で変えるべき点です。「観測不可」の原因は拡張機能には届かないため、コンソールで確認してください。',
  back: '失敗の一覧に戻る',
  notObservable: '観測不可',
  notObservableNote: 'この原因ではブラウザーがリクエストのイベントを出さないため、一覧には表示されません。',
  warningReason: '警告: リクエスト自体は成功しています',
  inThisTab: (n) => `このタブで ${n.toLocaleString('ja')} 件`,
  listSeparator: '、',
  sentenceJoiner: '',
};

const fr: UiStrings = {
  toolbarLabel: 'Barre d’outils des échecs CORS',
  clear: 'Effacer',
  clearTitle: 'Effacer les échecs enregistrés pour cet onglet',
  filterLabel: 'Filtrer les échecs',
  filterPlaceholder: 'Filtrer par URL, méthode, en-tête…',
  reasonFilterLabel: 'Filtrer par raison',
  allReasons: 'Toutes les raisons',
  preserveLog: 'Conserver le journal',
  preserveLogTitle: 'Garder les échecs quand la page navigue ou se recharge',
  reasonIndex: 'Raisons',
  reasonIndexTitle: 'Toutes les raisons pour lesquelles une requête cross-origin peut être bloquée',
  export: 'Exporter',
  exportTitle: 'Exporter les échecs affichés dans la liste',
  exportJson: 'Enregistrer en JSON',
  exportMarkdown: 'Enregistrer en Markdown',
  copyMarkdown: 'Copier en Markdown',
  dropped: (n) =>
    n === 1 ? '1 enregistrement ancien supprimé' : `${n.toLocaleString('fr')} enregistrements anciens supprimés`,
  count: (shown, total) =>
    shown === total
      ? `${total.toLocaleString('fr')} ${total <= 1 ? 'échec' : 'échecs'}`
      : `${shown.toLocaleString('fr')} échecs sur ${total.toLocaleString('fr')}`,
  reconnecting: 'Reconnexion à l’extension…',
  disconnected: 'La connexion à l’extension est perdue. Rouvrez les DevTools.',
  emptyTitle: 'Aucun échec CORS dans cet onglet pour l’instant.',
  emptyBody:
    'Les échecs sont enregistrés tant que l’extension est active, même avant l’ouverture des DevTools. Rechargez la page ou refaites l’action qui a échoué : chaque requête bloquée s’affichera ici avec sa cause et sa correction.',
  emptyBodyDevtoolsOnly:
    'L’enregistrement est limité aux onglets dont les DevTools sont ouverts : les échecs d’avant leur ouverture n’ont pas été gardés. Rechargez la page ou refaites l’action qui a échoué : chaque requête bloquée s’affichera ici avec sa cause et sa correction.',
  emptyHint: 'Vous cherchez à comprendre un message de la console ?',
  emptyIndexLink: 'Parcourir toutes les raisons',
  noMatch: 'Aucun échec ne correspond à ce filtre.',
  clearFilter: 'Effacer le filtre',
  listLabel: 'Requêtes cross-origin bloquées',
  colTime: 'Heure',
  colMethod: 'Méthode',
  colUrl: 'URL',
  colType: 'Type',
  colReason: 'Raison',
  colStage: 'Étape',
  warningBadge: 'Avertissement',
  inferredBadge: 'probable',
  stageShort: { preflight: 'Prévol', actual: 'Requête', redirect: 'Redirection', network: 'Réseau' },
  typeNames: { xmlhttprequest: 'fetch/xhr' },
  detailLabel: 'Détail de l’échec',
  closeDetail: 'Fermer le détail (Échap)',
  resizeDetail: 'Redimensionner la liste et le détail',
  openInIndex: 'Ouvrir cette raison dans l’index',
  engineName: (name) => `Nom dans le navigateur : ${name}`,
  inferred: 'Déduit',
  alsoPossible: 'Cela pourrait aussi être',
  evidence: 'Éléments observés',
  decidingHeaders: 'En-têtes décisifs',
  colHeader: 'En-tête',
  colReceived: 'Reçu',
  colNeeded: 'Attendu',
  colResult: 'Résultat',
  passed: 'réussi',
  failed: 'échoué',
  absent: '(absent)',
  request: 'Requête',
  requestUrl: 'URL',
  requestMethod: 'Méthode',
  requestOrigin: 'Origine',
  requestType: 'Type',
  requestHeaders: 'En-têtes de requête',
  preflight: 'Réponse de prévol (OPTIONS)',
  preflightRequest: 'En-têtes de la requête de prévol',
  actualResponse: 'Réponse à la requête',
  noPreflight: 'Aucune requête de prévol n’a été envoyée.',
  noResponse: 'Aucune réponse n’est parvenue au navigateur.',
  notSentAfterPreflight: 'Non envoyée : le navigateur s’est arrêté après l’échec du prévol.',
  browserError: 'Erreur du navigateur',
  status: 'Statut',
  redirects: 'Redirections',
  redirectedTo: 'Redirigée vers',
  noHeaders: 'Aucun en-tête.',
  whyBlocked: 'Pourquoi le navigateur la bloque',
  whyPreflight: 'Pourquoi une requête de prévol a été envoyée',
  fix: 'Correction',
  fixPreflightHeaders: (status) => `Sur la réponse de prévol (OPTIONS), répondre ${status} avec :`,
  fixActualHeaders: 'Sur la réponse à la requête, envoyer :',
  fixNoHeaders: 'Aucun en-tête de réponse ne corrige ce cas ; voir l’explication ci-dessus.',
  fixServerStack: 'Serveur',
  detectedStack: (label) => `${label} — détecté`,
  fixClient: 'Ou modifier la requête',
  curl: 'Reproduire avec curl',
  curlPreflight: 'Prévol',
  curlActual: 'Requête',
  notes: 'À savoir aussi',
  learnMore: 'Lire l’article MDN',
  copy: 'Copier',
  copied: 'Copié',
  copyFailed: 'Échec de la copie',
  copyLabel: (what) => `Copier : ${what}`,
  showAll: (size) => `Tout afficher (${size})`,
  showLess: 'Réduire',
  invisibleChars: 'caractères invisibles',
  detailError: 'Cet échec n’a pas pu être expliqué. Exportez-le en JSON et signalez-le, s’il vous plaît.',
  indexTitle: 'Index des raisons',
  indexIntro:
    'Toutes les raisons pour lesquelles un navigateur peut bloquer une requête cross-origin, avec ce que le serveur doit changer. Celles marquées « non observable » n’atteignent jamais une extension : cherchez-les dans la console.',
  back: 'Retour aux échecs',
  notObservable: 'Non observable',
  notObservableNote: 'Le navigateur n’émet aucun événement de requête dans ce cas : il ne peut pas apparaître dans la liste.',
  warningReason: 'Avertissement : la requête a quand même réussi',
  inThisTab: (n) => `${n.toLocaleString('fr')} dans cet onglet`,
  listSeparator: ', ',
  sentenceJoiner: ' ',
};

export const UI_STRINGS: Readonly<Record<Locale, UiStrings>> = { en, ja, fr };

export function uiStrings(locale: Locale): UiStrings {
  return UI_STRINGS[locale] ?? en;
}
