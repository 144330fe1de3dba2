/**
 * 日本語のテキスト。サーバー(またはページ)をすぐ直したいエンジニア向けに、何が失敗したか、どのヘッダーか、
 * 何を返せばよいかを簡潔に書く。ヘッダー名などの技術的なトークンはそのまま。
 */
import type { Stage } from '../cors/diagnosis.ts';
import type { LocaleText, VerdictFacts } from './text-types.ts';

function list(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  const head = items.slice(0, -1).join('、');
  return conjunction === 'and' ? `${head}、${items[items.length - 1]}` : `${head}、または ${items[items.length - 1]}`;
}

/** 「プリフライトのレスポンス」/「レスポンス」/「リダイレクトのレスポンス」 */
function response(stage: Stage): string {
  if (stage === 'preflight') return 'プリフライトのレスポンス';
  if (stage === 'redirect') return 'リダイレクトのレスポンス';
  return 'レスポンス';
}

function withStatus(f: VerdictFacts): string {
  return f.status ? `(${f.status})` : '';
}

function originPhrase(f: VerdictFacts): string {
  return f.origin === 'null' && f.redirects > 0
    ? 'クロスオリジンのリダイレクトを経たため、リクエストの Origin は null になっています'
    : `ページのオリジンは ${f.origin} です`;
}

export const ja: LocaleText = {
  reasons: {
    CORSDisabled: {
      title: 'ブラウザーで CORS が無効',
      summary:
        'Firefox では content.cors.disable 設定によって、すべてのクロスオリジンリクエストを拒否させることができます。この設定が有効だと、サーバーが何を返しても通りません。リクエストは送信前に止められるため、拡張機能からも見えません。サイト側ではなく、このブラウザープロファイルの設定の問題です。',
      why: [
        'このブラウザーでは CORS が無効になっており、クロスオリジンリクエストはすべて拒否されます。',
        'リクエスト自体が送信されないので、レスポンスヘッダーでは解決できません。',
        'about:config で content.cors.disable を false に戻してください。',
      ],
      verdict: () =>
        'このブラウザーは CORS が無効(Firefox の content.cors.disable 設定)になっているため、このリクエストを含むすべてのクロスオリジンリクエストを拒否しています。',
    },
    CORSDidNotSucceed: {
      title: 'HTTP レスポンスなし(ネットワークエラー)',
      summary:
        'HTTP より下の層でリクエストが失敗しました。接続の拒否、切断、タイムアウト、TLS のエラーなどです。ブラウザーは CORS による拒否と同じエラーとして報告するため、ここに表示されます。ヘッダーでは直せません。まずサーバーに到達できるようにする必要があります。',
      why: [
        'HTTP レスポンスが届かなかったので、CORS チェックを行う対象がありませんでした。',
        'ページ側からは、本物の CORS エラーと同じ TypeError にしか見えません。',
        'サーバーが起動しているか、ホストとポート、証明書が正しいかを確認してから、改めて見てください。',
      ],
      verdict: (f) => {
        if (f.stage === 'redirect') {
          return `サーバーはこのリクエストをユーザー名とパスワードを含む URL${f.target ? `(${f.target}、資格情報を除いて表示)` : ''}へリダイレクトしました。ブラウザーはそのリダイレクトをたどらず、「リクエストが成功しなかった」とだけ報告しています。`;
        }
        const what = f.stage === 'preflight' ? 'プリフライト(OPTIONS)リクエスト' : 'リクエスト';
        return f.error
          ? `${f.url} への${what}は、HTTP レスポンスを受け取る前に失敗しました: ${f.error}。`
          : `${f.url} への${what}は、使える HTTP レスポンスを受け取る前に失敗しました。`;
      },
    },
    CORSOriginHeaderNotAdded: {
      title: 'Origin ヘッダーを付加できない',
      summary:
        'CORS リクエストには Origin ヘッダーが必須ですが、Firefox がそれを付けられなかったため、リクエストを送信しませんでした。アドオンなど特権的なコードが代わりに行うリクエストで起こるもので、通常のページでは起こりません。ネットワークには出ていきません。',
      why: [
        'CORS リクエストは、どこから来たかを Origin ヘッダーでサーバーに伝える必要があります。',
        'ブラウザーがこのヘッダーを付けられなかったため、リクエストは送信されませんでした。',
        'サーバーではなく、リクエストを発行したコード(多くはアドオン)を確認してください。',
      ],
      verdict: () => 'ブラウザーがこのリクエストに Origin ヘッダーを付けられなかったため、送信を取りやめました。',
    },
    CORSExternalRedirectNotAllowed: {
      title: '許可されないリダイレクト',
      summary:
        'ブラウザーが従えない場面でサーバーがリダイレクトを返しました。多いのは、プリフライト(OPTIONS)リクエストが末尾スラッシュの付加や http から https への移動でリダイレクトされるケースです。プリフライトには、送られた URL でそのまま応答する必要があります。',
      why: [
        'プリフライトはサーバーに許可を求めるもので、リダイレクトはその答えになりません。',
        'ブラウザーはプリフライト中のリダイレクトには従いません。',
        'リクエストされた URL で OPTIONS に 204 と CORS ヘッダーで応答するか、ページから最終的な URL を直接呼び出してください。',
      ],
      verdict: (f) =>
        f.stage === 'preflight'
          ? `サーバーはプリフライトに${f.target ? ` ${f.target} への` : ''}リダイレクトで応答しました。プリフライトにはリダイレクトせず直接応答する必要があります。`
          : `リクエストは${f.target ? ` ${f.target} へ` : ''}リダイレクトされましたが、ブラウザーは CORS モードではこのリダイレクトに従いません。`,
    },
    CORSRequestNotHttp: {
      title: 'http(s) 以外へのリクエスト',
      summary:
        'CORS が成り立つのは http: と https: の URL だけです。CORS モードで file: などの URL にリクエストすると拒否されます。典型的なのは、ディスクから開いたページが別のローカルファイルを読み込む場合です。こうしたリクエストは拡張機能にイベントが届かないため、記録ではなくここで説明しています。',
      why: [
        'クロスオリジンリクエストを送れるのは http: と https: の URL だけです。',
        'file:// で開いたページのオリジンは不透明(opaque)で、ブラウザーは他のファイルを渡しません。',
        'ページとファイルをローカルの Web サーバーから配信し、http://localhost で開いてください。',
      ],
      verdict: (f) => `リクエスト先の ${f.url} は http: でも https: でもない URL なので、CORS モードでは送れません。`,
    },
    CORSMissingAllowOrigin: {
      title: 'Access-Control-Allow-Origin がない',
      summary:
        'レスポンスに Access-Control-Allow-Origin ヘッダーがないため、ブラウザーはページにレスポンスを渡しません。最もよくある CORS エラーです。ステータスも確認してください。エラーページ(404 や 500)や、処理されていない OPTIONS リクエストへの応答には、通常のレスポンスにはあるこのヘッダーが付いていないことがよくあります。',
      why: [
        'ページが読めるのは、サーバーが明示的に共有を許可したクロスオリジンレスポンスだけです。',
        'サーバーは Access-Control-Allow-Origin にページのオリジン(資格情報がなければ * でも可)を入れて共有を許可します。',
        'このレスポンスにはそのヘッダーがなかったため、ブラウザーはページに渡しませんでした。',
      ],
      verdict: (f) => {
        if (f.status && f.status >= 400) {
          const what = f.stage === 'preflight' ? 'プリフライト' : f.stage === 'redirect' ? 'リダイレクト' : 'リクエスト';
          return `サーバーは${what}に ${f.status} で応答し、Access-Control-Allow-Origin を付けていません。`;
        }
        return `${response(f.stage)}${withStatus(f)}に Access-Control-Allow-Origin ヘッダーがありません。`;
      },
    },
    CORSAllowOriginNotMatchingOrigin: {
      title: 'Access-Control-Allow-Origin がオリジンと一致しない',
      summary:
        'サーバーは Access-Control-Allow-Origin を返していますが、その値がこのページのオリジンではありません。比較はスキーム・ホスト・ポートの完全一致です。末尾のスラッシュ、ポート違い、https ではなく http、複数オリジンの列挙はどれも通りません。また、クロスオリジンのリダイレクトの後ではリクエストのオリジンが null になる点もよく見落とされます。',
      why: [
        'ブラウザーは Access-Control-Allow-Origin とリクエストの Origin ヘッダーを 1 文字ずつ比較します。',
        '完全一致(資格情報のないリクエストなら * も可)以外はすべて拒否です。',
        'サーバーは、許可リストにあるオリジンならリクエストの Origin をそのまま返し、Vary: Origin を付けてください。',
      ],
      verdict: (f) => {
        const where = f.stage === 'preflight' ? 'プリフライトのレスポンス' : f.stage === 'redirect' ? 'リダイレクトのレスポンス' : 'レスポンス';
        const slash = f.got?.endsWith('/') && f.got.slice(0, -1) === f.origin ? '末尾のスラッシュだけで別の文字列になります。' : '';
        return `${where}の Access-Control-Allow-Origin は ${f.got ?? '(なし)'} ですが、${originPhrase(f)}。${slash}`;
      },
    },
    CORSNotSupportingCredentials: {
      title: '資格情報付きリクエストにワイルドカードのオリジン',
      summary:
        'リクエストは資格情報(Cookie や HTTP 認証)付きで送られ、サーバーは Access-Control-Allow-Origin: * と応答しました。ブラウザーはこの組み合わせを認めません。どのサイトからでも読めるレスポンスに、ユーザーのセッションを載せてはいけないからです。サーバーはオリジンを正確に指定する必要があります。',
      why: [
        '資格情報付きのレスポンスはユーザー固有のものです。* ではどのサイトにも読まれてしまいます。',
        'そのため、資格情報付きの場合ブラウザーは * を無視し、正確なオリジンを求めます。',
        'サーバーがページのオリジンと Access-Control-Allow-Credentials: true を返すか、ページが資格情報なしで送ってください。',
      ],
      verdict: (f) => {
        const where = f.stage === 'preflight' ? 'プリフライトのレスポンス' : f.stage === 'redirect' ? 'リダイレクトのレスポンス' : 'レスポンス';
        return `${where}の Access-Control-Allow-Origin は * ですが、このリクエストは資格情報付きなので、正確なオリジン(${f.origin})が必要です。`;
      },
    },
    CORSMethodNotFound: {
      title: 'プリフライトでメソッドが許可されていない',
      summary:
        'プリフライトの Access-Control-Allow-Methods に、ページが使いたいメソッドが含まれていません。メソッド名は大文字と小文字を区別して比較され、* は資格情報のないリクエストにしか効きません。GET、HEAD、POST は列挙しなくても許可されます。',
      why: [
        'PUT、PATCH、DELETE などの単純でないメソッドを使う前に、ブラウザーはプリフライトでサーバーに確認します。',
        'サーバーは、リクエストと同じ綴りのメソッドを Access-Control-Allow-Methods に列挙して許可します。',
        'そのメソッドが含まれていなかったため、ブラウザーはリクエストを送りませんでした。',
      ],
      verdict: (f) => {
        const method = f.culprit ?? f.method;
        if (f.got === null || f.got === undefined) return `プリフライトのレスポンスに Access-Control-Allow-Methods がないため、${method} は許可されていません。`;
        if (f.got.trim() === '*' && f.credentials)
          return `プリフライトの Access-Control-Allow-Methods は * ですが、資格情報付きリクエストには * が効かないため、${method} は許可されていません。`;
        const caseOnly = f.got
          .split(',')
          .map((m) => m.trim())
          .some((m) => m !== method && m.toLowerCase() === method.toLowerCase());
        return `プリフライトの Access-Control-Allow-Methods(値: ${f.got})に ${method} が含まれていません。${caseOnly ? `メソッド名は大文字・小文字を区別するので、${method} と書く必要があります。` : ''}`;
      },
    },
    CORSMissingAllowCredentials: {
      title: 'Access-Control-Allow-Credentials: true がない',
      summary:
        'リクエストは資格情報付きで、サーバーはオリジンを正しく返していますが、Access-Control-Allow-Credentials: true を返していません。値は小文字の "true" ちょうどでなければなりません。これがないと、ブラウザーは資格情報付きのレスポンスをページに渡さず、プリフライト後の資格情報付きリクエストも送りません。',
      why: [
        '資格情報付きのリクエストには、サーバー側が資格情報を明示的に受け入れる必要があります。',
        'その意思表示が、プリフライトとレスポンスの両方に付ける Access-Control-Allow-Credentials: true(この値ちょうど)です。',
        'このヘッダーがないか、別の値になっていました。',
      ],
      verdict: (f) => {
        if (f.got === null || f.got === undefined)
          return `${response(f.stage)}に Access-Control-Allow-Credentials がありません。資格情報付きリクエストには、値がちょうど true のこのヘッダーが必要です。`;
        return `${response(f.stage)}の Access-Control-Allow-Credentials は ${f.got} です。資格情報付きリクエストには、ちょうど true が必要です。`;
      },
    },
    CORSPreflightDidNotSucceed: {
      title: 'プリフライトがエラーステータスで返された',
      summary:
        'プリフライト(OPTIONS)リクエストは、一致する Access-Control-Allow-Origin が付いていたものの、200〜299 以外のステータスを受け取りました。よくある原因は、フレームワークが OPTIONS を失敗するハンドラーに回している場合や、認証レイヤーがプリフライトを拒否している場合です。プリフライトには Cookie も Authorization も付きません。',
      why: [
        'ブラウザーがプリフライトを許可とみなすのは、2xx のステータスが返ったときだけです。',
        'プリフライトには資格情報が付かないので、OPTIONS の前に認証チェックがあるとすべて拒否されます。',
        '認証やルーティングより前で、OPTIONS に 204 と CORS ヘッダーで応答してください。',
      ],
      verdict: (f) =>
        f.status
          ? `サーバーはプリフライトに ${f.status} で応答しました。プリフライトには 204 などの 2xx ステータスが必要です。`
          : 'プリフライトが 2xx のステータスを受け取れませんでした。204 などの 2xx が必要です。',
    },
    CORSInvalidAllowMethod: {
      title: '不正な Access-Control-Allow-Methods',
      summary:
        'プリフライトの Access-Control-Allow-Methods に、メソッド名として正しくないもの(余分なセミコロンや引用符付きの値など)が含まれています。1 つでも不正な項目があるとヘッダー全体が無効になり、正しく列挙したメソッドも通らなくなります。',
      why: [
        'Access-Control-Allow-Methods は、メソッド名(HTTP トークン)のカンマ区切りリストでなければなりません。',
        '不正な項目が 1 つでもあると、ブラウザーはプリフライトを拒否します。',
        '"GET, PUT, DELETE" のような正しいリストを返してください。',
      ],
      verdict: (f) =>
        `プリフライトの Access-Control-Allow-Methods に、メソッド名として正しくない ${f.culprit ?? f.got ?? '項目'} が含まれているため、ブラウザーはリスト全体を拒否しました。`,
    },
    CORSInvalidAllowHeader: {
      title: '不正な Access-Control-Allow-Headers',
      summary:
        'プリフライトの Access-Control-Allow-Headers に、ヘッダー名として正しくないもの(末尾のセミコロンなど)が含まれています。1 つでも不正な項目があるとヘッダー全体が無効になり、カスタムのリクエストヘッダーはすべて通らなくなります。',
      why: [
        'Access-Control-Allow-Headers は、ヘッダー名(HTTP トークン)のカンマ区切りリストでなければなりません。',
        '不正な項目が 1 つでもあると、ブラウザーはプリフライトを拒否します。',
        '"content-type, x-token" のような正しいリストを返してください。',
      ],
      verdict: (f) =>
        `プリフライトの Access-Control-Allow-Headers に、ヘッダー名として正しくない ${f.culprit ?? f.got ?? '項目'} が含まれているため、ブラウザーはリスト全体を拒否しました。`,
    },
    CORSMissingAllowHeaderFromPreflight: {
      title: 'プリフライトでリクエストヘッダーが許可されていない',
      summary:
        'ページが付けるリクエストヘッダー(カスタムヘッダー、Authorization、単純でない Content-Type)が、プリフライトの Access-Control-Allow-Headers に含まれていません。ヘッダー名は大文字・小文字を区別せずに比較されます。* は Authorization 以外のすべてのヘッダーに効きますが、資格情報のないリクエストに限られます。',
      why: [
        'ごく一部の安全なヘッダー以外は、プリフライトでサーバーの許可を得る必要があります。',
        'サーバーは各ヘッダー名を Access-Control-Allow-Headers に列挙して許可します。',
        '要求されたヘッダーの 1 つが含まれていなかったため、ブラウザーはリクエストを送りませんでした。',
      ],
      verdict: (f) => {
        const header = f.culprit ?? '要求されたヘッダー';
        if (f.got === null || f.got === undefined) return `プリフライトのレスポンスに Access-Control-Allow-Headers がないため、${header} は許可されていません。`;
        if (f.got.trim() === '*' && f.credentials)
          return `プリフライトの Access-Control-Allow-Headers は * ですが、資格情報付きリクエストには * が効かないため、${header} は許可されていません。`;
        return `プリフライトの Access-Control-Allow-Headers(値: ${f.got})に ${header} が含まれていません。`;
      },
    },
    CORSMultipleAllowOriginNotAllowed: {
      title: 'Access-Control-Allow-Origin が複数ある',
      summary:
        'レスポンスに Access-Control-Allow-Origin が 2 つある、または 1 つのヘッダーに複数のオリジンが入っています。多くの場合、アプリケーションとその前段のプロキシや CDN の両方がヘッダーを付けているか、リクエスト元のオリジンを返す代わりに許可するオリジンをすべて列挙しています。',
      why: [
        'Access-Control-Allow-Origin に入れられる値は 1 つだけです(*、null、または 1 つのオリジン)。',
        'ヘッダー行が 2 つある場合も、カンマ区切りのリストも拒否されます。',
        'ヘッダーを付ける場所を 1 か所にし、リクエスト元のオリジンを 1 つだけ返してください。',
      ],
      verdict: (f) => `${response(f.stage)}に Access-Control-Allow-Origin の値が複数あります(${f.got ?? '?'})。値は 1 つだけでなければなりません。`,
    },
    CORSInvalidAllowOrigin: {
      title: '形式が不正な Access-Control-Allow-Origin',
      summary:
        'Access-Control-Allow-Origin の値が、*、null、https://app.example のようなオリジンのどれでもありません(スキームのないホスト名だけ、など)。Chromium はこれを別のエラーとして報告し、Firefox は単に一致しないと判断します。',
      why: [
        'このヘッダーの値は *、null、またはオリジン(スキーム、ホスト、省略可能なポート)のいずれかです。',
        'それ以外の形の値は決して一致しないので、ブラウザーはレスポンスを拒否します。',
        'リクエストの Origin ヘッダーをそのまま返してください。',
      ],
      verdict: (f) => {
        const where = f.stage === 'preflight' ? 'プリフライトのレスポンス' : f.stage === 'redirect' ? 'リダイレクトのレスポンス' : 'レスポンス';
        return `${where}の Access-Control-Allow-Origin は ${f.got ?? '(空)'} で、オリジン(scheme://host[:port])、*、null のいずれでもありません。ページのオリジンは ${f.origin} です。`;
      },
    },
    CORSRedirectContainsCredentials: {
      title: '資格情報を含む URL へのリダイレクト',
      summary:
        'サーバーが CORS リクエストを、ユーザー名やパスワードを含む URL(https://user:pass@host/…)へリダイレクトしました。オリジンをまたいで資格情報を持ち込むことになるため、ブラウザーは CORS モードではこのリダイレクトに従いません。',
      why: [
        'user:password 付きの URL には、ページが送るつもりのない資格情報が埋め込まれています。',
        'そのため、クロスオリジンリクエストではブラウザーはこのリダイレクトを拒否します。',
        '資格情報を含まない URL にリダイレクトするか、ページからリダイレクト先を直接呼び出してください。',
      ],
      verdict: (f) =>
        `リクエストはユーザー名またはパスワードを含む URL${f.target ? `(${f.target}、資格情報は伏せて表示)` : ''}へリダイレクトされ、ブラウザーは CORS モードでこれに従いませんでした。`,
    },
    CORSLocalNetworkAccess: {
      title: 'ローカルネットワークへのアクセスがブロックされた',
      summary:
        'Chromium は、より公開されたネットワーク上のページから、ループバックやプライベートアドレス(127.0.0.1、192.168.x.x など)へのアクセスを制限しています。このようなリクエストにはユーザーの許可(Local Network Access)が必要で、以前のバージョンではプリフライトのヘッダーでサーバーに確認していました。どちらもない場合、リクエストはブロックされます。',
      why: [
        'そうしないと、公開サイトがあなたのネットワーク内の機器を探ったり攻撃したりできてしまいます。',
        'そのため Chromium は、ユーザーが許可した場合にだけ、よりプライベートなアドレスへのアクセスを認めます。',
        'ページを HTTPS(セキュアコンテキスト)で配信し、確認が表示されたらユーザーがローカルネットワークへのアクセスを許可する必要があります。',
      ],
      verdict: (f) =>
        `${f.pageOrigin} のページが、よりプライベートなネットワーク上のアドレス ${f.address ?? f.url} にアクセスしようとしたため、ブラウザーがブロックしました。`,
    },
    CORSDisallowedByMode: {
      title: 'same-origin モードでのクロスオリジンリクエスト',
      summary:
        'リクエストは mode "same-origin" で作られましたが、宛先が別のオリジンなので、ブラウザーは何も送らずに拒否しました。サーバーは関係ありません。ページ側でリクエストのモードを変える必要があります。',
      why: [
        'mode: "same-origin" は、リクエストがページのオリジンの外に出てはならないという指定です。',
        'URL が別のオリジンなので、ブラウザーは送信せずに拒否しました。',
        'mode "cors"(fetch の既定値)を使い、サーバー側でオリジンを許可してください。',
      ],
      verdict: (f) => `リクエストは mode "same-origin" で作られましたが、${f.url} はページ(${f.pageOrigin})とは別のオリジンです。`,
    },
    CORSAllowHeaderFromPreflightDeprecation: {
      title: 'Authorization をワイルドカードだけで許可(非推奨)',
      summary:
        'リクエストは Authorization を送っており、プリフライトは Access-Control-Allow-Headers: * によってのみそれを許可しています。ブラウザーは今のところ警告付きで受け入れていますが、仕様ではワイルドカードは Authorization を含みません。動き続けるよう、名前で列挙してください。',
      why: [
        'Authorization は資格情報を運ぶため、仕様では * の対象から外されています。',
        'ブラウザーは当面これを許容し、非推奨の警告を出しています。',
        'Access-Control-Allow-Headers に authorization を明示的に加えてください。',
      ],
      verdict: () =>
        'プリフライトは Authorization を Access-Control-Allow-Headers: * でしか許可していません。リクエストは通りましたが、仕様では * は Authorization を含みません。',
    },
  },

  unknownReason: {
    title: 'クロスオリジンリクエストがブロックされた',
    summary: 'このバージョンが名前を知らない理由で、ブラウザーがクロスオリジンリクエストをブロックしました。',
    why: [
      'ブラウザーは、このクロスオリジンレスポンスをページと共有しませんでした。',
      'レスポンスヘッダーと、リクエストが求めたもの(オリジン、メソッド、ヘッダー)を比べてください。',
    ],
    verdict: (f) => `ブラウザーは ${f.url} へのリクエストをブロックしました。`,
  },

  stages: {
    preflight: 'プリフライト (OPTIONS)',
    actual: '本リクエスト',
    redirect: 'リダイレクト',
    network: 'ネットワーク',
  },

  findings: {
    'http-error-status': (x) => {
      if (x.stage === 'preflight') {
        if (x.status === 404 || x.status === 405)
          return `プリフライトが ${x.status} を受け取りました。サーバーにはこの URL の OPTIONS を処理するハンドラーがありません。OPTIONS に 204 と CORS ヘッダーで応答してください。CORS のメッセージは症状にすぎません。`;
        if (x.status === 401 || x.status === 403)
          return `プリフライトが ${x.status} を受け取りました。認証やファイアウォールのレイヤーが拒否しています。プリフライトには Cookie も Authorization も付かないので、認証チェックより前で OPTIONS を通してください。`;
        return `サーバーはプリフライトに ${x.status} で応答しました。まずこのエラーを直してください。CORS のメッセージはその症状です。`;
      }
      return `サーバーは ${x.status} で応答しました。エラーレスポンスには CORS ヘッダーが付いていないことが多く、ページには ${x.status} ではなく CORS エラーとして見えます。まずエラーを直し、エラーレスポンスにも CORS ヘッダーを付けてください。`;
    },
    'network-error': (x) => `接続に失敗しました: ${x.error}。HTTP レスポンスが届いていないので、ヘッダーでは直せません。`,
    'cached-response': (x) =>
      x.stage === 'preflight'
        ? 'プリフライトの結果はブラウザーのプリフライトキャッシュ(Access-Control-Max-Age)から来ています。サーバーの変更は、このエントリーの期限が切れるまで反映されません。'
        : 'レスポンスはキャッシュから来ています。サーバーの応答がオリジンによって変わる場合、別のオリジン向けにキャッシュされたものがここで失敗します。Vary: Origin を付けてください。',
    'missing-vary-origin': () =>
      'レスポンスはオリジンごとに Access-Control-Allow-Origin を変えていますが、Vary: Origin を付けていません。ブラウザーや CDN のキャッシュが、あるオリジン向けの応答を別のオリジンに返してしまう可能性があります。',
    'credentials-sent': (x) =>
      x.via === 'cookie'
        ? 'リクエストに Cookie が付いていたので、資格情報付きのリクエストです。サーバーはオリジンを正確に指定し(* は不可)、Access-Control-Allow-Credentials: true を返す必要があります。'
        : 'ブラウザーが Authorization ヘッダー(HTTP 認証)を付けたので、資格情報付きのリクエストとして扱われます。サーバーはオリジンを正確に指定し、Access-Control-Allow-Credentials: true を返す必要があります。',
    'null-origin-after-redirect': (x) =>
      `${x.redirectCount === 1 ? 'クロスオリジンのリダイレクト' : `${x.redirectCount} 回のリダイレクト(少なくとも 1 回はクロスオリジン)`}の後、ブラウザーは Origin: null を送りました。null を許可すると、サンドボックス化されたページや file:// のページも通してしまいます。最終的な URL を直接呼び出すほうが通常は適切です。`,
    'local-network': (x) =>
      `リクエストは、より公開されたネットワーク上のページから、ローカルまたはプライベートなアドレス ${x.address} に向かいました。Chromium は、このようなアクセスの前にユーザーの許可(Local Network Access)を求めます。`,
    'file-page': () =>
      'このページは file:// の URL から開かれています。オリジンは null になり、ブラウザーはそのクロスオリジンリクエストの多くを拒否します。ローカルの Web サーバー(http://localhost)から配信してください。',
    'authorization-via-wildcard': () =>
      'Authorization は Access-Control-Allow-Headers: * によってのみ許可されています。仕様ではワイルドカードは Authorization を含みません。ブラウザーがこれを強制する前に、名前で列挙してください。',
    'preflight-reason': (x) => {
      if (x.cause === 'method') return `メソッドが ${x.value} なので、プリフライトが送られました。`;
      if (x.cause === 'header') return `ヘッダー ${x.value} を付けているので、プリフライトが送られました。`;
      return `Content-Type が ${x.value} なので、プリフライトが送られました。`;
    },
    'header-value-truncated': (x) => `${x.header} の値が非常に長かったため、記録時に短縮されました。`,
  },

  networkError: {
    refused: 'そのホストとポートで待ち受けているものがありません',
    dns: 'ホスト名を解決できません',
    reset: 'サーバーが応答せずに接続を閉じました',
    timeout: 'サーバーが時間内に応答しませんでした',
    certificate: 'サーバーの TLS 証明書が受け入れられませんでした',
    tls: 'TLS ハンドシェイクに失敗しました',
    'blocked-by-client': '拡張機能(広告ブロッカーなど)がブロックしました',
    unreachable: 'ネットワークまたはホストに到達できません',
    'local-network': 'Chromium がローカルネットワークのアドレスへのアクセスをブロックしました',
    aborted: 'リクエストが取り消されました(ページ、画面遷移、またはブラウザーによる)',
    other: 'ネットワークエラー',
  },

  errorWithHint: (error, hint) => `${error}(${hint})`,

  certainty: (unseen, alternatives) => {
    const others = alternatives.length > 0 ? list(alternatives, 'or') : '';
    switch (unseen) {
      case 'credentials-mode':
        return `このリクエストには Cookie が付いていないため、資格情報付き(fetch の credentials: 'include'、または XMLHttpRequest の withCredentials)で送られたかどうかは分かりません。資格情報付きであれば、上の判定のとおりです。${
          others ? `そうでなければ、考えられる原因は次のとおりです: ${others}。` : 'そうでない場合に失敗を説明できるものはないので、ほぼ確実に資格情報付きです。'
        }`;
      case 'request-mode':
        return `拡張機能からはリクエストのモード(cors、no-cors、same-origin)が見えないため、この判定は他の情報からの推定です。${others ? `次の可能性もあります: ${others}。` : ''}`;
      case 'response-headers':
        return `ブラウザーがこのレスポンスのヘッダーを拡張機能に見せなかったため、判定はエラーだけに基づいています。${others ? `次の可能性もあります: ${others}。` : ''}`;
      case 'console-only':
        return `このブラウザーは正確な理由をコンソールにしか出さないため、判定はヘッダーからの推定です。${others ? `次の可能性もあります: ${others}。` : ''}`;
      default:
        return `このリクエストの一部が見えなかったため、判定は推定です。${others ? `次の可能性もあります: ${others}。` : ''}`;
    }
  },

  preflightWhy: (causes) => {
    if (causes.length === 0)
      return 'ブラウザーはプリフライトを送りましたが、記録されたリクエストには、それが必要になるメソッドやヘッダーが見当たりません。ほかの原因としては、XMLHttpRequest のアップロード進捗リスナーや、ストリームのリクエストボディがあります。';
    if (causes.every((c) => c.cause === 'local-network'))
      return 'このプリフライトは、よりプライベートでないネットワークからのアクセスを受け入れるかをサーバーに確認するもの(Private Network Access)で、メソッドやヘッダーとは関係ありません。';
    const parts: string[] = [];
    const method = causes.find((c) => c.cause === 'method');
    if (method) parts.push(`メソッドが ${method.value} であること`);
    const headers = causes.filter((c) => c.cause === 'header').map((c) => c.value);
    if (headers.length > 0) parts.push(`${list(headers, 'and')} を付けていること`);
    const type = causes.find((c) => c.cause === 'content-type');
    if (type) parts.push(type.value ? `Content-Type が ${type.value} であること` : 'Content-Type が 3 つの単純な型のどれでもないこと');
    return `ブラウザーが先にプリフライト(OPTIONS)を送ったのは、${list(parts, 'and')}が理由です。GET、HEAD、POST のいずれかで、安全なヘッダーだけを使い、Content-Type が text/plain、multipart/form-data、application/x-www-form-urlencoded のどれかであれば、プリフライトは不要です。これを避けるのが一番簡単な解決策であることもよくあります。`;
  },

  client: {
    'omit-credentials': () =>
      "リクエストにユーザーの Cookie や HTTP 認証が不要なら、資格情報なしで送ってください(credentials: 'include' や withCredentials をやめる)。それなら Access-Control-Allow-Origin: * で足ります。",
    'drop-header': (c) =>
      `サーバーが ${c.detail ?? 'そのカスタムヘッダー'} なしでも動くなら、送るのをやめてください。プリフライトが不要になります。レスポンスには引き続き Access-Control-Allow-Origin が必要です。`,
    'simple-content-type': () =>
      'ボディを text/plain として送り(サーバー側でパースする)、プリフライトを不要にできます。レスポンスには引き続き Access-Control-Allow-Origin が必要です。',
    'use-final-url': (c) => `リダイレクトが起きないよう、${c.detail ?? '最終的な URL'} を直接呼び出してください。その場合、そのレスポンスが ${c.origin} を許可している必要があります。`,
    'use-simple-method': (c) =>
      `API が同じ操作を POST でも受け付けるなら、${c.detail ?? c.method} の代わりに POST を使うとプリフライトを避けられます。レスポンスには引き続き Access-Control-Allow-Origin が必要です。`,
    'serve-over-http': () => 'ページをローカルの Web サーバーから配信し、file:// ではなく http://localhost で開いてください。',
    'use-cors-mode': () => "リクエストを 'same-origin' ではなく mode: 'cors'(fetch の既定値)で送ってください。そのうえでサーバーがオリジンを許可する必要があります。",
  },

  other: {
    'fix-server-error': () => 'サーバーのエラー自体を直してください。CORS ヘッダーはエラーをページから読めるようにするだけで、エラーはなくなりません。',
    'fix-network': () => 'サーバーに到達できるようにしてください。起動しているか、このホストとポートで待ち受けているか、証明書が有効かを確認してください。',
    'local-network-permission': () =>
      'ページを HTTPS で配信し、Chromium が確認を出したらユーザーがローカルネットワークへのアクセスを許可してください。または、ページを機器と同じネットワークから配信してください。',
    'remove-url-credentials': () => 'リダイレクトの Location ヘッダーからユーザー名とパスワードを取り除き、資格情報はヘッダーで送ってください。',
    'serve-over-http': () => 'ディスクから開くのではなく、Web サーバーからページを配信してください。',
    'change-request-mode': () => "ページのコードで、リクエストのモードを 'same-origin' から 'cors' に変えてください。",
    'browser-setting': (reason) =>
      reason === 'CORSDisabled'
        ? 'about:config で content.cors.disable を false に戻してください。'
        : 'リクエストを発行しているコード(多くはアドオン)を確認してください。サーバー側では変えられません。',
  },
  avoidRedirect: (url) => `リダイレクトせずにリクエストされた URL で応答するか、ページから ${url} を直接呼び出してください。`,
  removeHeaders: (names) =>
    `まず既存の ${list(names, 'and')} を取り除いてください。アプリケーションと、その前段のプロキシや CDN の両方が付けていることがよくあります。`,
  setOnUrl: (url) => `これらのヘッダーは ${url} のレスポンスに付けてください。`,
  list,

  markdown: {
    heading: (count) => `CORS エラー(${count} 件)`,
    page: 'ページ',
    generated: '作成日時',
    engine: 'ブラウザーエンジン',
    extension: 'CORS Explainer',
    dropped: (count) => `古いエラー ${count} 件は破棄されました(タブごとの上限)。`,
    none: 'CORS エラーは記録されていません。',
    reason: '理由',
    verdict: '判定',
    evidence: '根拠',
    stage: '段階',
    header: 'ヘッダー',
    got: '受信した値',
    needed: '必要な値',
    ok: 'OK',
    absent: '(なし)',
    yes: 'はい',
    no: 'いいえ',
    headersToSet: '設定するヘッダー',
    preflightResponse: (status) => `プリフライトのレスポンス(OPTIONS、ステータス ${status})`,
    actualResponse: 'レスポンス',
    redirectResponse: 'リダイレクトのレスポンス',
    onUrl: (url) => `対象: ${url}`,
    alsoDo: 'あわせて',
    clientAlternative: 'クライアント側の代替策',
    reproduce: '再現',
    notes: '補足',
    truncated: (chars) => `…(省略、全 ${chars} 文字)`,
  },
};
