/**
 * Texte français : chaque raison, constat, note et étape de correction. Écrit pour un développeur qui doit
 * corriger le serveur (ou la page) rapidement : ce qui a échoué, quel en-tête, quoi envoyer. Les noms
 * d'en-têtes et autres éléments techniques restent tels quels.
 */
import type { Stage } from '../cors/diagnosis.ts';
import type { LocaleText, VerdictFacts } from './text-types.ts';

function list(items: string[], conjunction: 'and' | 'or'): string {
  if (items.length <= 1) return items.join('');
  const word = conjunction === 'and' ? 'et' : 'ou';
  return `${items.slice(0, -1).join(', ')} ${word} ${items[items.length - 1]}`;
}

/** « La réponse au preflight » / « La réponse » / « La réponse de redirection ». */
function response(stage: Stage): string {
  if (stage === 'preflight') return 'La réponse au preflight';
  if (stage === 'redirect') return 'La réponse de redirection';
  return 'La réponse';
}

/** « de la réponse au preflight » / « de la réponse » / « de la redirection ». */
function ofResponse(stage: Stage): string {
  if (stage === 'preflight') return 'de la réponse au preflight';
  if (stage === 'redirect') return 'de la réponse de redirection';
  return 'de la réponse';
}

function withStatus(f: VerdictFacts): string {
  return f.status ? ` (${f.status})` : '';
}

function originPhrase(f: VerdictFacts): string {
  return f.origin === 'null' && f.redirects > 0
    ? 'après la redirection vers une autre origine, la requête porte Origin: null'
    : `l'origine de la page est ${f.origin}`;
}

/** Capitalises the first letter of a sentence built from pieces. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export const fr: LocaleText = {
  reasons: {
    CORSDisabled: {
      title: 'CORS désactivé dans le navigateur',
      summary:
        "Firefox peut refuser toute requête cross-origin si la préférence content.cors.disable est activée. Dans ce cas, rien de ce que renvoie le serveur n'y change quoi que ce soit, et aucune extension ne voit la requête : Firefox l'arrête avant qu'elle parte. C'est un réglage de ce profil de navigateur, pas une propriété du site.",
      why: [
        'CORS est désactivé dans ce navigateur : toutes les requêtes cross-origin sont refusées d’office.',
        'Aucun en-tête de réponse ne peut rien y faire, puisque la requête ne part jamais.',
        'Remettez content.cors.disable à false dans about:config.',
      ],
      verdict: () =>
        "CORS est désactivé dans ce navigateur (préférence content.cors.disable de Firefox) : il refuse toutes les requêtes cross-origin, y compris celle-ci.",
    },
    CORSDidNotSucceed: {
      title: 'Pas de réponse HTTP (échec réseau)',
      summary:
        "La requête a échoué sous la couche HTTP : connexion refusée ou coupée, délai dépassé, échec TLS. Le navigateur la signale avec la même erreur qu'un refus CORS, d'où sa présence ici. Aucun en-tête n'y remédie : il faut d'abord que le serveur soit joignable.",
      why: [
        "Le navigateur n'a reçu aucune réponse HTTP : il n'y avait rien sur quoi effectuer la vérification CORS.",
        "La page obtient pourtant la même TypeError qu'avec un vrai refus CORS.",
        'Rendez le serveur joignable (démarré, bon hôte et bon port, certificat valide), puis regardez à nouveau.',
      ],
      verdict: (f) => {
        if (f.stage === 'redirect') {
          return `Le serveur a redirigé la requête vers une URL contenant un nom d'utilisateur et un mot de passe${f.target ? ` (${f.target}, affichée sans eux)` : ''} ; le navigateur a refusé de la suivre et signale seulement que la requête n'a pas abouti.`;
        }
        const what = f.stage === 'preflight' ? 'La requête de preflight (OPTIONS)' : 'La requête';
        return f.error
          ? `${what} vers ${f.url} a échoué avant toute réponse HTTP : ${f.error}.`
          : `${what} vers ${f.url} a échoué avant qu'une réponse HTTP exploitable n'arrive.`;
      },
    },
    CORSOriginHeaderNotAdded: {
      title: "Impossible d'ajouter l'en-tête Origin",
      summary:
        "Firefox n'a pas pu ajouter l'en-tête Origin dont toute requête CORS a besoin, et a donc renoncé à l'envoyer. Cela concerne les requêtes faites pour le compte d'un module complémentaire ou d'un autre code privilégié, pas les pages ordinaires, et rien ne part sur le réseau.",
      why: [
        "Une requête CORS doit indiquer au serveur d'où elle vient, dans l'en-tête Origin.",
        "Ici, le navigateur n'a pas pu poser cet en-tête et n'a donc pas envoyé la requête.",
        'Cherchez du côté du code qui a fait la requête (souvent un module complémentaire), pas du serveur.',
      ],
      verdict: () => "Le navigateur n'a pas pu ajouter d'en-tête Origin à cette requête et a renoncé à l'envoyer.",
    },
    CORSExternalRedirectNotAllowed: {
      title: 'Redirection non autorisée',
      summary:
        "Le serveur a répondu par une redirection là où le navigateur ne peut pas la suivre : le plus souvent, la requête de vérification préalable (preflight, OPTIONS) a été redirigée, par exemple pour ajouter une barre oblique finale ou passer de http à https. Un preflight doit recevoir sa réponse directement, à l'URL où il a été envoyé.",
      why: [
        "Un preflight demande une autorisation au serveur ; une redirection n'est pas une réponse à cette question.",
        'Les navigateurs refusent de suivre une redirection pendant un preflight.',
        "Répondez à OPTIONS à l'URL demandée avec 204 et les en-têtes CORS, ou faites appeler directement l'URL finale par la page.",
      ],
      verdict: (f) =>
        f.stage === 'preflight'
          ? `Le serveur a répondu au preflight par une redirection${f.target ? ` vers ${f.target}` : ''} ; un preflight doit recevoir une réponse directe, jamais une redirection.`
          : `La requête a été redirigée${f.target ? ` vers ${f.target}` : ''}, et le navigateur ne suit pas cette redirection en mode CORS.`,
    },
    CORSRequestNotHttp: {
      title: "La requête n'est pas en http(s)",
      summary:
        "CORS n'existe que pour les URL http: et https:. Une requête en mode CORS vers une URL file: (ou un autre schéma) est refusée ; cela arrive typiquement quand une page ouverte depuis le disque charge un autre fichier local. Les navigateurs ne donnent aucun événement aux extensions pour ces requêtes : cette raison est donc expliquée ici plutôt qu'enregistrée.",
      why: [
        'Les requêtes cross-origin ne peuvent viser que des URL http: et https:.',
        "Une page ouverte en file:// a une origine opaque, et le navigateur ne lui donne pas accès aux autres fichiers.",
        'Servez la page et ses fichiers depuis un serveur web local et ouvrez-la via http://localhost.',
      ],
      verdict: (f) => `La requête vise ${f.url}, qui n'est pas une URL http: ou https: : elle ne peut pas être faite en mode CORS.`,
    },
    CORSMissingAllowOrigin: {
      title: 'Access-Control-Allow-Origin absent',
      summary:
        "La réponse ne contient pas d'en-tête Access-Control-Allow-Origin : le navigateur la cache donc à la page. C'est l'erreur CORS la plus courante. Regardez aussi le statut : une page d'erreur (404, 500) ou une requête OPTIONS non gérée n'a souvent pas l'en-tête, même quand les réponses normales l'ont.",
      why: [
        'Une page ne peut lire une réponse cross-origin que si le serveur la lui ouvre explicitement.',
        "Le serveur l'ouvre en envoyant Access-Control-Allow-Origin avec l'origine de la page (ou *, sans identifiants).",
        "Cette réponse n'avait pas cet en-tête : le navigateur l'a donc gardée pour lui.",
      ],
      verdict: (f) => {
        if (f.status && f.status >= 400) {
          const what = f.stage === 'preflight' ? 'au preflight' : f.stage === 'redirect' ? 'à la redirection' : 'à la requête';
          return `Le serveur a répondu ${what} par ${f.status}, sans Access-Control-Allow-Origin.`;
        }
        return `${response(f.stage)}${withStatus(f)} ne contient pas d'en-tête Access-Control-Allow-Origin.`;
      },
    },
    CORSAllowOriginNotMatchingOrigin: {
      title: "Access-Control-Allow-Origin ne correspond pas à l'origine",
      summary:
        "Le serveur a bien envoyé Access-Control-Allow-Origin, mais avec une valeur qui n'est pas l'origine de cette page. La comparaison se fait au caractère près sur le schéma, l'hôte et le port : une barre oblique finale, un autre port, http au lieu de https ou une liste d'origines échouent tous. Après une redirection vers une autre origine, l'origine de la requête devient null, ce qui surprend souvent.",
      why: [
        "Le navigateur compare Access-Control-Allow-Origin à l'en-tête Origin de la requête, caractère par caractère.",
        'Tout ce qui n’est pas identique (ou *, pour une requête sans identifiants) vaut refus.',
        "Le serveur doit renvoyer l'origine de la requête si elle figure dans sa liste autorisée, et ajouter Vary: Origin.",
      ],
      verdict: (f) => {
        const slash =
          f.got?.endsWith('/') && f.got.slice(0, -1) === f.origin ? ' La barre oblique finale suffit à en faire une autre chaîne.' : '';
        return `L'en-tête Access-Control-Allow-Origin ${ofResponse(f.stage)} vaut ${f.got ?? '(absent)'}, mais ${originPhrase(f)}.${slash}`;
      },
    },
    CORSNotSupportingCredentials: {
      title: 'Origine générique (*) avec identifiants',
      summary:
        "La requête a été envoyée avec des identifiants (cookies ou authentification HTTP), et le serveur a répondu Access-Control-Allow-Origin: *. Les navigateurs n'acceptent jamais cette combinaison : une réponse lisible par n'importe quel site ne doit pas transporter la session de l'utilisateur. Le serveur doit nommer l'origine exacte.",
      why: [
        "Avec des identifiants, la réponse est propre à l'utilisateur ; * la rendrait lisible par tous les sites.",
        "Avec des identifiants, le navigateur ignore donc * et exige l'origine exacte.",
        "Le serveur doit envoyer l'origine de la page et Access-Control-Allow-Credentials: true ; ou la page envoie la requête sans identifiants.",
      ],
      verdict: (f) =>
        `L'en-tête Access-Control-Allow-Origin ${ofResponse(f.stage)} vaut *, mais cette requête a été faite avec des identifiants, qui exigent l'origine exacte (${f.origin}).`,
    },
    CORSMethodNotFound: {
      title: 'Méthode non autorisée par le preflight',
      summary:
        "L'en-tête Access-Control-Allow-Methods du preflight ne contient pas la méthode que la page veut utiliser. Les noms de méthode sont comparés en respectant la casse, et * ne vaut que pour les requêtes sans identifiants. GET, HEAD et POST n'ont jamais besoin d'y figurer.",
      why: [
        "Avant un PUT, un PATCH, un DELETE ou toute autre méthode non simple, le navigateur interroge le serveur par un preflight.",
        "Le serveur l'autorise en listant la méthode dans Access-Control-Allow-Methods, écrite exactement comme dans la requête.",
        "La méthode n'y figurait pas : le navigateur n'a pas envoyé la requête.",
      ],
      verdict: (f) => {
        const method = f.culprit ?? f.method;
        if (f.got === null || f.got === undefined) return `La réponse au preflight ne contient pas d'Access-Control-Allow-Methods : ${method} n'est donc pas autorisée.`;
        if (f.got.trim() === '*' && f.credentials)
          return `L'en-tête Access-Control-Allow-Methods du preflight vaut *, ce qui ne compte pas pour une requête avec identifiants : ${method} n'est donc pas autorisée.`;
        const caseOnly = f.got
          .split(',')
          .map((m) => m.trim())
          .some((m) => m !== method && m.toLowerCase() === method.toLowerCase());
        return `L'en-tête Access-Control-Allow-Methods du preflight ne contient pas ${method} (il indique : ${f.got}).${caseOnly ? ` La casse compte : il faut écrire ${method}.` : ''}`;
      },
    },
    CORSMissingAllowCredentials: {
      title: 'Access-Control-Allow-Credentials: true absent',
      summary:
        "La requête a été faite avec des identifiants et le serveur a correctement nommé l'origine, mais il n'a pas envoyé Access-Control-Allow-Credentials: true. La valeur doit être exactement « true », en minuscules. Sans elle, le navigateur ne transmet pas une réponse obtenue avec identifiants, ni n'envoie la requête avec identifiants après un preflight.",
      why: [
        "Une requête avec identifiants exige que le serveur les accepte explicitement.",
        "Il le fait avec Access-Control-Allow-Credentials: true, exactement cette valeur, sur le preflight comme sur la réponse.",
        'Cet en-tête manquait ou avait une autre valeur.',
      ],
      verdict: (f) =>
        f.got === null || f.got === undefined
          ? `${response(f.stage)} ne contient pas d'Access-Control-Allow-Credentials, alors qu'une requête avec identifiants exige qu'il vaille exactement true.`
          : `L'en-tête Access-Control-Allow-Credentials ${ofResponse(f.stage)} vaut ${f.got} ; une requête avec identifiants exige exactement true.`,
    },
    CORSPreflightDidNotSucceed: {
      title: "Preflight reçu avec un statut d'erreur",
      summary:
        "La requête de preflight (OPTIONS) a reçu un statut hors de la plage 200–299, bien qu'elle portât un Access-Control-Allow-Origin correct. Causes typiques : le framework envoie OPTIONS vers un gestionnaire qui échoue, ou une couche d'authentification rejette le preflight, qui ne transporte jamais ni cookies ni Authorization.",
      why: [
        "Le navigateur ne considère un preflight comme accordé que s'il reçoit un statut 2xx.",
        "Un preflight ne porte jamais d'identifiants : un contrôle d'authentification placé avant OPTIONS les rejette donc tous.",
        "Répondez à OPTIONS par 204 avec les en-têtes CORS, avant toute authentification ou tout routage susceptible d'échouer.",
      ],
      verdict: (f) =>
        f.status
          ? `Le serveur a répondu au preflight par ${f.status} ; un preflight a besoin d'un statut 2xx, par exemple 204.`
          : "Le preflight n'a pas reçu de statut 2xx ; il lui en faut un, par exemple 204.",
    },
    CORSInvalidAllowMethod: {
      title: 'Access-Control-Allow-Methods invalide',
      summary:
        "L'en-tête Access-Control-Allow-Methods du preflight contient quelque chose qui n'est pas un nom de méthode valide, comme un point-virgule égaré ou une valeur entre guillemets. Une seule entrée fautive invalide tout l'en-tête : même les méthodes bien listées échouent.",
      why: [
        'Access-Control-Allow-Methods doit être une liste de noms de méthode (jetons HTTP) séparés par des virgules.',
        'Le navigateur rejette le preflight dès qu’une entrée est mal formée.',
        'Envoyez une liste propre, par exemple « GET, PUT, DELETE ».',
      ],
      verdict: (f) =>
        `L'en-tête Access-Control-Allow-Methods du preflight contient ${f.culprit ?? f.got ?? 'une entrée invalide'}, qui n'est pas un nom de méthode valide : le navigateur rejette toute la liste.`,
    },
    CORSInvalidAllowHeader: {
      title: 'Access-Control-Allow-Headers invalide',
      summary:
        "L'en-tête Access-Control-Allow-Headers du preflight contient quelque chose qui n'est pas un nom d'en-tête valide, comme un point-virgule final. Une seule entrée fautive invalide tout l'en-tête : tous les en-têtes de requête personnalisés échouent.",
      why: [
        "Access-Control-Allow-Headers doit être une liste de noms d'en-têtes (jetons HTTP) séparés par des virgules.",
        'Le navigateur rejette le preflight dès qu’une entrée est mal formée.',
        'Envoyez une liste propre, par exemple « content-type, x-token ».',
      ],
      verdict: (f) =>
        `L'en-tête Access-Control-Allow-Headers du preflight contient ${f.culprit ?? f.got ?? 'une entrée invalide'}, qui n'est pas un nom d'en-tête valide : le navigateur rejette toute la liste.`,
    },
    CORSMissingAllowHeaderFromPreflight: {
      title: 'En-tête de requête non autorisé par le preflight',
      summary:
        "La page ajoute un en-tête de requête (personnalisé, Authorization, ou un Content-Type non simple) que l'en-tête Access-Control-Allow-Headers du preflight ne liste pas. Les noms d'en-têtes sont comparés sans tenir compte de la casse ; * couvre tous les en-têtes sauf Authorization, et seulement sans identifiants.",
      why: [
        "Hormis une courte liste d'en-têtes sûrs, chaque en-tête demande l'accord du serveur, sollicité par le preflight.",
        "Le serveur l'accorde en listant chaque nom d'en-tête dans Access-Control-Allow-Headers.",
        "L'un des en-têtes demandés n'y figurait pas : le navigateur n'a pas envoyé la requête.",
      ],
      verdict: (f) => {
        const header = f.culprit ?? "l'en-tête demandé";
        if (f.got === null || f.got === undefined)
          return `La réponse au preflight ne contient pas d'Access-Control-Allow-Headers : ${header} n'est donc pas autorisé.`;
        if (f.got.trim() === '*' && f.credentials)
          return `L'en-tête Access-Control-Allow-Headers du preflight vaut *, ce qui ne compte pas pour une requête avec identifiants : ${header} n'est donc pas autorisé.`;
        return `L'en-tête Access-Control-Allow-Headers du preflight ne contient pas ${header} (il indique : ${f.got}).`;
      },
    },
    CORSMultipleAllowOriginNotAllowed: {
      title: 'Plusieurs Access-Control-Allow-Origin',
      summary:
        "La réponse porte deux fois Access-Control-Allow-Origin, ou un seul en-tête contenant plusieurs origines. Le plus souvent, deux couches l'ajoutent chacune (l'application et un proxy ou un CDN devant elle), ou le serveur liste toutes les origines autorisées au lieu de renvoyer celle qui a fait la requête.",
      why: [
        'Access-Control-Allow-Origin ne peut contenir qu’une seule valeur : *, null ou une origine.',
        'Deux lignes d’en-tête ou une liste séparée par des virgules sont refusées.',
        "Ajoutez l'en-tête à un seul endroit et renvoyez l'unique origine qui a fait la requête.",
      ],
      verdict: (f) =>
        `${response(f.stage)} contient plus d'une valeur d'Access-Control-Allow-Origin (${f.got ?? '?'}) ; il en faut exactement une.`,
    },
    CORSInvalidAllowOrigin: {
      title: 'Access-Control-Allow-Origin mal formé',
      summary:
        "Access-Control-Allow-Origin contient autre chose que *, null ou une origine sérialisée comme https://app.example — par exemple un nom d'hôte sans schéma. Chromium le signale à part ; Firefox constate simplement que la valeur ne correspond pas.",
      why: [
        "L'en-tête doit valoir *, null ou une origine : schéma, hôte et port éventuel, rien d'autre.",
        "Une valeur d'une autre forme ne peut jamais correspondre : le navigateur refuse la réponse.",
        "Renvoyez exactement l'en-tête Origin de la requête.",
      ],
      verdict: (f) =>
        `L'en-tête Access-Control-Allow-Origin ${ofResponse(f.stage)} vaut ${f.got ?? '(vide)'}, qui n'est ni une origine (schéma://hôte[:port]), ni *, ni null ; l'origine de la page est ${f.origin}.`,
    },
    CORSRedirectContainsCredentials: {
      title: 'Redirection vers une URL avec identifiants',
      summary:
        "Le serveur a redirigé la requête CORS vers une URL contenant un nom d'utilisateur ou un mot de passe (https://user:pass@hôte/…). Les navigateurs refusent de suivre une telle redirection en mode CORS, car elle ferait passer des identifiants d'une origine à l'autre.",
      why: [
        "Une URL avec user:password embarque des identifiants que la page n'a jamais choisi d'envoyer.",
        'Les navigateurs refusent donc cette redirection pour les requêtes cross-origin.',
        "Redirigez vers une URL sans identifiants, ou faites appeler la cible directement par la page.",
      ],
      verdict: (f) =>
        `La requête a été redirigée vers une URL contenant un nom d'utilisateur ou un mot de passe${f.target ? ` (${f.target}, affichée sans eux)` : ''}, et le navigateur refuse de la suivre en mode CORS.`,
    },
    CORSLocalNetworkAccess: {
      title: 'Accès au réseau local bloqué',
      summary:
        "Chromium protège les adresses de bouclage et privées (127.0.0.1, 192.168.x.x…) contre les pages situées sur un réseau plus public. Une telle requête exige l'accord de l'utilisateur (Local Network Access) ; les versions plus anciennes interrogeaient le serveur par un en-tête de preflight. Faute de l'un ou de l'autre, la requête est bloquée.",
      why: [
        "Sans cela, un site public pourrait sonder ou attaquer les appareils de votre réseau.",
        "Chromium ne laisse donc une page atteindre une adresse plus privée que si l'utilisateur l'accepte.",
        "La page doit être servie en HTTPS (contexte sécurisé) et l'utilisateur doit autoriser l'accès au réseau local quand on le lui demande.",
      ],
      verdict: (f) =>
        `Une page de ${f.pageOrigin} a tenté d'atteindre ${f.address ?? f.url}, une adresse d'un réseau plus privé, et le navigateur l'a bloquée.`,
    },
    CORSDisallowedByMode: {
      title: 'Requête cross-origin en mode same-origin',
      summary:
        "La requête a été créée avec le mode « same-origin » mais vise une autre origine : le navigateur la refuse avant d'envoyer quoi que ce soit. Le serveur n'y est pour rien ; c'est le mode de la requête, dans la page, qu'il faut changer.",
      why: [
        "mode: « same-origin » indique au navigateur que la requête ne doit jamais quitter l'origine de la page.",
        "L'URL est sur une autre origine : le navigateur la rejette sans l'envoyer.",
        "Utilisez le mode « cors » (celui de fetch par défaut) et faites autoriser l'origine par le serveur.",
      ],
      verdict: (f) => `La requête a été faite en mode « same-origin », mais ${f.url} est sur une autre origine que la page (${f.pageOrigin}).`,
    },
    CORSAllowHeaderFromPreflightDeprecation: {
      title: 'Authorization autorisé seulement par * (obsolète)',
      summary:
        "La requête envoie Authorization, et le preflight ne l'autorise que via Access-Control-Allow-Headers: *. Les navigateurs l'acceptent encore, avec un avertissement, mais la norme précise que le joker ne couvre pas Authorization. Listez-le nommément pour que cela continue de fonctionner.",
      why: [
        "La norme exclut Authorization du joker *, parce qu'il transporte des identifiants.",
        "Les navigateurs le tolèrent pour l'instant et affichent un avertissement d'obsolescence.",
        'Ajoutez explicitement authorization à Access-Control-Allow-Headers.',
      ],
      verdict: () =>
        "Le preflight n'autorise Authorization que via Access-Control-Allow-Headers: *. La requête est passée, mais selon la norme, * ne couvre pas Authorization.",
    },
  },

  unknownReason: {
    title: 'Requête cross-origin bloquée',
    summary: "Le navigateur a bloqué une requête cross-origin pour une raison que cette version ne connaît pas par son nom.",
    why: [
      "Le navigateur a refusé de transmettre cette réponse cross-origin à la page.",
      "Comparez les en-têtes de la réponse avec ce que demandait la requête : origine, méthode et en-têtes.",
    ],
    verdict: (f) => `Le navigateur a bloqué la requête vers ${f.url}.`,
  },

  stages: {
    preflight: 'Preflight (OPTIONS)',
    actual: 'Requête',
    redirect: 'Redirection',
    network: 'Réseau',
  },

  findings: {
    'http-error-status': (x) => {
      if (x.stage === 'preflight') {
        if (x.status === 404 || x.status === 405)
          return `Le preflight a reçu ${x.status} : le serveur n'a pas de gestionnaire pour OPTIONS à cette URL. Répondez à OPTIONS par 204 avec les en-têtes CORS ; le message CORS n'est que le symptôme.`;
        if (x.status === 401 || x.status === 403)
          return `Le preflight a reçu ${x.status} : une couche d'authentification ou un pare-feu le rejette. Un preflight ne porte jamais ni cookies ni Authorization : laissez passer OPTIONS avant le contrôle d'authentification.`;
        return `Le serveur a répondu au preflight par ${x.status}. Corrigez d'abord cette erreur : le message CORS en est le symptôme.`;
      }
      return `Le serveur a répondu ${x.status}. Les réponses d'erreur oublient souvent les en-têtes CORS, si bien que la page voit une erreur CORS au lieu du ${x.status} : corrigez d'abord l'erreur, et envoyez aussi les en-têtes CORS sur les réponses d'erreur.`;
    },
    'network-error': (x) => `La connexion a échoué : ${x.error}. Aucune réponse HTTP n'est arrivée ; aucun en-tête ne peut corriger cela.`,
    'cached-response': (x) =>
      x.stage === 'preflight'
        ? "Le résultat du preflight vient du cache de preflight du navigateur (Access-Control-Max-Age) : une modification côté serveur n'apparaîtra qu'à l'expiration de cette entrée."
        : "La réponse vient d'un cache. Si la réponse du serveur dépend de l'origine, une copie mise en cache pour une autre origine échoue ici : envoyez Vary: Origin.",
    'missing-vary-origin': () =>
      "La réponse choisit Access-Control-Allow-Origin selon l'origine mais n'envoie pas Vary: Origin : un cache (navigateur ou CDN) peut servir à une origine la réponse destinée à une autre.",
    'credentials-sent': (x) =>
      x.via === 'cookie'
        ? "La requête portait un Cookie : elle a donc été faite avec des identifiants. Le serveur doit nommer l'origine exacte (jamais *) et envoyer Access-Control-Allow-Credentials: true."
        : "Le navigateur a ajouté un en-tête Authorization (authentification HTTP) : la requête compte comme faite avec des identifiants. Le serveur doit nommer l'origine exacte et envoyer Access-Control-Allow-Credentials: true.",
    'null-origin-after-redirect': (x) =>
      `${sentence(x.redirectCount === 1 ? 'après une redirection vers une autre origine' : `après ${x.redirectCount} redirections, dont au moins une vers une autre origine`)}, le navigateur a envoyé Origin: null. Autoriser null admet aussi les pages en bac à sable et les pages file:// ; mieux vaut en général appeler directement l'URL finale.`,
    'local-network': (x) =>
      `La requête visait ${x.address}, une adresse locale ou privée, depuis une page située sur un réseau plus public. Chromium demande l'accord de l'utilisateur (Local Network Access) avant de laisser une page l'atteindre.`,
    'file-page': () =>
      "La page a été ouverte depuis une URL file://. Son origine est null, et les navigateurs refusent la plupart de ses requêtes cross-origin ; servez-la plutôt depuis un serveur web local (http://localhost).",
    'authorization-via-wildcard': () =>
      "Authorization n'est autorisé que via Access-Control-Allow-Headers: *. La norme exclut Authorization du joker ; listez-le nommément avant que les navigateurs ne l'imposent.",
    'preflight-reason': (x) => {
      if (x.cause === 'method') return `La requête a nécessité un preflight à cause de sa méthode, ${x.value}.`;
      if (x.cause === 'header') return `La requête a nécessité un preflight parce qu'elle ajoute l'en-tête ${x.value}.`;
      return `La requête a nécessité un preflight à cause de son Content-Type, ${x.value}.`;
    },
    'header-value-truncated': (x) => `La valeur de ${x.header} était très longue et a été raccourcie à l'enregistrement.`,
  },

  networkError: {
    refused: "rien n'écoute sur cet hôte et ce port",
    dns: "le nom d'hôte ne se résout pas",
    reset: 'le serveur a fermé la connexion sans répondre',
    timeout: "le serveur n'a pas répondu à temps",
    certificate: "le certificat TLS du serveur n'a pas été accepté",
    tls: 'la négociation TLS a échoué',
    'blocked-by-client': "une extension (un bloqueur de publicité, par exemple) l'a bloquée",
    unreachable: "le réseau ou l'hôte est injoignable",
    'local-network': "Chromium a bloqué l'accès à une adresse du réseau local",
    aborted: 'la requête a été annulée (par la page, une navigation ou le navigateur)',
    other: 'une erreur réseau',
  },

  errorWithHint: (error, hint) => `${error} (${hint})`,

  certainty: (unseen, alternatives) => {
    const others = alternatives.length > 0 ? list(alternatives, 'or') : '';
    switch (unseen) {
      case 'credentials-mode':
        return `Cette requête ne portait aucun cookie : impossible de savoir si elle a été faite avec des identifiants (credentials: 'include' pour fetch, ou withCredentials pour XMLHttpRequest). Si c'est le cas, le diagnostic ci-dessus s'applique. ${
          others ? `Sinon, la cause probable est : ${others}.` : "Sinon, rien d'autre n'explique l'échec : c'est donc presque certainement le cas."
        }`;
      case 'request-mode':
        return `Les extensions ne voient pas le mode de la requête (cors, no-cors, same-origin) : ce diagnostic est déduit des autres éléments.${others ? ` Il pourrait aussi s'agir de : ${others}.` : ''}`;
      case 'response-headers':
        return `Le navigateur n'a pas montré les en-têtes de cette réponse aux extensions : le diagnostic ne repose que sur l'erreur.${others ? ` Il pourrait aussi s'agir de : ${others}.` : ''}`;
      case 'console-only':
        return `Ce navigateur n'indique la raison exacte que dans sa console : le diagnostic est déduit des en-têtes.${others ? ` Il pourrait aussi s'agir de : ${others}.` : ''}`;
      default:
        return `Une partie de cette requête n'était pas visible : le diagnostic est déduit.${others ? ` Il pourrait aussi s'agir de : ${others}.` : ''}`;
    }
  },

  preflightWhy: (causes) => {
    if (causes.length === 0)
      return "Le navigateur a envoyé un preflight, bien que la requête enregistrée ne montre ni méthode ni en-tête qui l'exige. Autres déclencheurs possibles : un écouteur de progression d'envoi sur XMLHttpRequest, ou un corps de requête en flux (stream).";
    if (causes.every((c) => c.cause === 'local-network'))
      return "Le preflight demandait au serveur s'il accepte d'être joint depuis un réseau moins privé (Private Network Access) ; il ne portait ni sur la méthode ni sur les en-têtes.";
    const parts: string[] = [];
    const method = causes.find((c) => c.cause === 'method');
    if (method) parts.push(`la méthode est ${method.value}`);
    const headers = causes.filter((c) => c.cause === 'header').map((c) => c.value);
    if (headers.length > 0) parts.push(`la requête ajoute ${list(headers, 'and')}`);
    const type = causes.find((c) => c.cause === 'content-type');
    if (type) parts.push(type.value ? `le Content-Type est ${type.value}` : "le Content-Type n'est pas l'un des trois types simples");
    const several = parts.length > 1 || headers.length > 1;
    return `Le navigateur a d'abord envoyé un preflight (OPTIONS) parce que ${list(parts, 'and')}. Une requête en GET, HEAD ou POST, avec uniquement des en-têtes sûrs et un Content-Type text/plain, multipart/form-data ou application/x-www-form-urlencoded, s'en passe : ${several ? 'les éviter' : "l'éviter"} est souvent la correction la plus simple.`;
  },

  client: {
    'omit-credentials': () =>
      "Si la requête n'a besoin ni des cookies de l'utilisateur ni d'authentification HTTP, envoyez-la sans identifiants (retirez credentials: 'include' ou withCredentials). Access-Control-Allow-Origin: * suffit alors.",
    'drop-header': (c) =>
      `Si le serveur peut se passer de ${c.detail ?? "l'en-tête personnalisé"}, cessez de l'envoyer : la requête n'aura plus besoin de preflight. La réponse doit toujours porter Access-Control-Allow-Origin.`,
    'simple-content-type': () =>
      "Envoyez le corps en text/plain (et analysez-le côté serveur) : la requête n'aura plus besoin de preflight. La réponse doit toujours porter Access-Control-Allow-Origin.",
    'use-final-url': (c) => `Appelez directement ${c.detail ?? "l'URL finale"}, pour qu'aucune redirection n'intervienne ; sa réponse devra alors autoriser ${c.origin}.`,
    'use-simple-method': (c) =>
      `Si l'API propose la même opération en POST, l'utiliser à la place de ${c.detail ?? c.method} évite le preflight. La réponse doit toujours porter Access-Control-Allow-Origin.`,
    'serve-over-http': () => 'Servez la page depuis un serveur web local et ouvrez-la via http://localhost plutôt que file://.',
    'use-cors-mode': () => "Faites la requête en mode: 'cors' (le défaut de fetch) plutôt que 'same-origin' ; le serveur devra alors autoriser l'origine.",
  },

  other: {
    'fix-server-error': () =>
      "Corrigez l'erreur du serveur elle-même : les en-têtes CORS rendent l'erreur lisible par la page, ils ne la font pas disparaître.",
    'fix-network': () => "Rendez le serveur joignable : vérifiez qu'il tourne, qu'il écoute sur cet hôte et ce port, et que son certificat est valide.",
    'local-network-permission': () =>
      "Servez la page en HTTPS et laissez l'utilisateur lui accorder l'accès au réseau local quand Chromium le demande ; ou servez la page depuis le même réseau que l'appareil.",
    'remove-url-credentials': () =>
      "Retirez le nom d'utilisateur et le mot de passe de l'en-tête Location de la redirection ; transmettez les identifiants dans un en-tête.",
    'serve-over-http': () => "Servez la page depuis un serveur web au lieu de l'ouvrir depuis le disque.",
    'change-request-mode': () => "Changez le mode de la requête de 'same-origin' à 'cors' dans le code de la page.",
    'browser-setting': (reason) =>
      reason === 'CORSDisabled'
        ? 'Remettez content.cors.disable à false dans about:config.'
        : 'Examinez le code qui fait la requête (souvent un module complémentaire) ; le serveur ne peut rien y changer.',
  },
  avoidRedirect: (url) => `Répondez à l'URL demandée au lieu de rediriger, ou faites appeler ${url} directement par la page.`,
  removeHeaders: (names) =>
    `Supprimez d'abord l'en-tête ${list(names, 'and')} existant : il est souvent ajouté deux fois, par l'application et par un proxy ou un CDN placé devant elle.`,
  setOnUrl: (url) => `Placez ces en-têtes sur la réponse de ${url}.`,
  list,

  markdown: {
    heading: (count) => `Échecs CORS (${count})`,
    page: 'Page',
    generated: 'Généré le',
    engine: 'Moteur du navigateur',
    extension: 'CORS Explainer',
    dropped: (count) => `${count} échec${count > 1 ? 's plus anciens ont été écartés' : ' plus ancien a été écarté'} (limite par onglet).`,
    none: "Aucun échec CORS n'a été enregistré.",
    reason: 'Raison',
    verdict: 'Diagnostic',
    evidence: 'Éléments',
    stage: 'Étape',
    header: 'En-tête',
    got: 'Reçu',
    needed: 'Attendu',
    ok: 'OK',
    absent: '(absent)',
    yes: 'oui',
    no: 'non',
    headersToSet: 'En-têtes à envoyer',
    preflightResponse: (status) => `Réponse au preflight (OPTIONS, statut ${status})`,
    actualResponse: 'Réponse',
    redirectResponse: 'Réponse de redirection',
    onUrl: (url) => `sur ${url}`,
    alsoDo: 'À faire aussi',
    clientAlternative: 'Alternative côté client',
    reproduce: 'Reproduire',
    notes: 'Remarques',
    truncated: (chars) => `… (coupé, ${chars} caractères au total)`,
  },
};
