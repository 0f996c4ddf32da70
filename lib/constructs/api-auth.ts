import { Duration, RemovalPolicy, Stack, Token, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { OAUTH_SCOPES, type Scope } from '../../lambdas/contracts/api-routes.js';

/** The resource server every scope of OAUTH_SCOPES belongs to (`calltracking/read` → `calltracking`). */
const [RESOURCE_SERVER_ID] = OAUTH_SCOPES.read.split('/') as [string, string];

/** What each scope allows, as Cognito's resource server and openapi.yaml's scheme describe it. */
export const SCOPE_DESCRIPTIONS: Readonly<Record<Scope, string>> = {
  read: 'Read calls, reports, locations and tracking numbers',
  admin: 'Also update calls and manage locations and tracking numbers',
};

/** Words Cognito refuses anywhere in a domain prefix. */
const RESERVED_PREFIX_WORDS = ['aws', 'amazon', 'cognito'];

/** Why Cognito would refuse this domain prefix at deploy, or undefined if it would not. */
export const domainPrefixProblem = (prefix: string): string | undefined => {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(prefix)) {
    return `"${prefix}" is not 1 to 63 lowercase letters, digits and inner hyphens`;
  }
  const reserved = RESERVED_PREFIX_WORDS.find((word) => prefix.includes(word));
  return reserved ? `"${prefix}" contains "${reserved}", a word Cognito reserves` : undefined;
};

export interface ApiAuthProps {
  /** Prefix of the names the construct gives resources (the default domain prefix starts with it). */
  readonly namePrefix: string;
  /**
   * Prefix of the Cognito domain (`<prefix>.auth.<region>.amazoncognito.com`), unique per region.
   * @default - `<namePrefix in lowercase>-<account id>`
   */
  readonly domainPrefix?: string;
  /** How long an access token is accepted. @default - one hour */
  readonly accessTokenValidity?: Duration;
  /**
   * Where the sign-in page may send people back to (a dashboard's callback URLs). Given, a third
   * client lets people sign in (authorization code with PKCE, no secret) for read-only tokens.
   * @default - no client for people: machine clients only
   */
  readonly peopleCallbackUrls?: readonly string[];
}

/**
 * The API's token issuer: a Cognito user pool nobody can sign up to. Its resource server
 * `calltracking` defines the scopes of OAUTH_SCOPES; two machine clients get tokens with the
 * client-credentials grant, `read-only` (calltracking/read) and `admin` (calltracking/read and
 * calltracking/admin), from the pool's token endpoint. Each has a generated secret, which stays in
 * Cognito: the stack outputs client ids only. Optionally a third client lets people an
 * administrator added sign in to a dashboard for read-only tokens.
 */
export class ApiAuth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly readOnlyClient: cognito.UserPoolClient;
  readonly adminClient: cognito.UserPoolClient;
  /** People signing in to a dashboard (only with `peopleCallbackUrls`). */
  readonly peopleClient?: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** The OAuth 2.0 token endpoint: POST grant_type=client_credentials with the client's id and secret. */
  readonly tokenEndpoint: string;

  constructor(scope: Construct, id: string, props: ApiAuthProps) {
    super(scope, id);
    const domainPrefix = props.domainPrefix ?? this.defaultDomainPrefix(props.namePrefix);
    const problem = Token.isUnresolved(domainPrefix)
      ? undefined
      : domainPrefixProblem(domainPrefix);
    if (problem) {
      throw new Error(
        `Cognito domain prefix ${problem}: choose another with -c authDomainPrefix=<prefix>`,
      );
    }

    this.userPool = new cognito.UserPool(this, 'UserPool', {
      // Nobody signs up: machine clients need no users, and people are added by an administrator.
      selfSignUpEnabled: false,
      accountRecovery: cognito.AccountRecovery.NONE,
      // People, if an administrator adds any, get a strong password and TOTP.
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: cognito.Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      featurePlan: cognito.FeaturePlan.ESSENTIALS,
      // Holds no data, only clients: a redeploy recreates it (new client ids and secrets).
      removalPolicy: RemovalPolicy.DESTROY,
    });
    Validations.of(this.userPool).acknowledge({
      id: 'AwsSolutions-COG8',
      reason:
        'The Plus plan adds threat protection (compromised-credential checks, adaptive authentication), which evaluates user sign-ins and passwords; this pool has no users and self sign-up is off: its only callers are client-credentials app clients, so Plus would add cost and no protection.',
    });

    const scopes = {
      read: resourceServerScope('read'),
      admin: resourceServerScope('admin'),
    } satisfies Record<Scope, cognito.ResourceServerScope>;
    const resourceServer = this.userPool.addResourceServer('ResourceServer', {
      identifier: RESOURCE_SERVER_ID,
      scopes: Object.values(scopes),
    });
    // Through the resource server, so each client is created after the scopes it is given.
    const oauthScope = (name: Scope) =>
      cognito.OAuthScope.resourceServer(resourceServer, scopes[name]);

    const machineClient = (clientId: string, name: string, granted: readonly Scope[]) =>
      this.userPool.addClient(clientId, {
        userPoolClientName: name,
        generateSecret: true,
        oAuth: { flows: { clientCredentials: true }, scopes: granted.map(oauthScope) },
        // No user sign-in flows: only refresh-token auth remains, which client credentials never use.
        authFlows: { userSrp: false },
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: props.accessTokenValidity ?? Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
    this.readOnlyClient = machineClient('ReadOnlyClient', 'read-only', ['read']);
    this.adminClient = machineClient('AdminClient', 'admin', ['read', 'admin']);

    const callbackUrls = props.peopleCallbackUrls ?? [];
    for (const url of callbackUrls) {
      const urlProblem = callbackUrlProblem(url);
      if (urlProblem) throw new Error(urlProblem);
    }
    if (callbackUrls.length > 0) {
      this.peopleClient = this.userPool.addClient('PeopleClient', {
        userPoolClientName: 'people',
        // A browser app cannot keep a secret: it sends a PKCE code challenge instead.
        generateSecret: false,
        oAuth: {
          flows: { authorizationCodeGrant: true },
          scopes: [cognito.OAuthScope.OPENID, oauthScope('read')],
          callbackUrls: [...callbackUrls],
        },
        authFlows: { userSrp: true },
        supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
        accessTokenValidity: props.accessTokenValidity ?? Duration.hours(1),
        enableTokenRevocation: true,
        preventUserExistenceErrors: true,
      });
    }

    this.domain = this.userPool.addDomain('Domain', { cognitoDomain: { domainPrefix } });
    this.tokenEndpoint = `${this.domain.baseUrl()}/oauth2/token`;
  }

  /** `<stack prefix>-<account>`: unique per stage and account, as a domain prefix must be per region. */
  private defaultDomainPrefix(namePrefix: string): string {
    const prefix = namePrefix.toLowerCase();
    // The account may be a token (an environment-agnostic synth): check the part known now.
    const problem = domainPrefixProblem(prefix);
    if (problem) {
      throw new Error(
        `the default Cognito domain prefix starts with the stack prefix, and ${problem}: choose a prefix with -c authDomainPrefix=<prefix>`,
      );
    }
    return `${prefix}-${Stack.of(this).account}`;
  }
}

/** Why Cognito would refuse a callback URL, or undefined if it would not. */
export const callbackUrlProblem = (url: string): string | undefined => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `apiCallbackUrls "${url}" is not a URL: give the dashboard's full callback URL, e.g. https://dashboard.example.com/callback`;
  }
  const local = parsed.hostname === 'localhost' || parsed.hostname === '127.0.0.1';
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local)) {
    return `apiCallbackUrls "${url}" must use https (Cognito allows http only for localhost)`;
  }
  if (parsed.hash !== '') return `apiCallbackUrls "${url}" must not have a #fragment`;
  return undefined;
};

/** `read` → the `read` scope of the resource server, as OAUTH_SCOPES names it (`calltracking/read`). */
const resourceServerScope = (scope: Scope): cognito.ResourceServerScope => {
  const [server, scopeName] = OAUTH_SCOPES[scope].split('/');
  if (server !== RESOURCE_SERVER_ID || !scopeName) {
    throw new Error(
      `OAUTH_SCOPES.${scope} is "${OAUTH_SCOPES[scope]}": every scope must be "${RESOURCE_SERVER_ID}/<name>"`,
    );
  }
  return new cognito.ResourceServerScope({
    scopeName,
    scopeDescription: SCOPE_DESCRIPTIONS[scope],
  });
};
