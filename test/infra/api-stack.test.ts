import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_ROUTES, OAUTH_SCOPES } from '../../lambdas/contracts/api-routes.js';
import { synthApp } from '../support/synth.js';

type Template = ReturnType<typeof synthApp>['api'];
let api: Template;
let stacks: ReturnType<typeof synthApp>['stacks'];

beforeAll(() => {
  ({ api, stacks } = synthApp());
});

const resourcesOf = (template: Template, type: string) =>
  Object.entries(template.findResources(type)) as [string, Record<string, any>][];

const onlyResourceOf = (template: Template, type: string): [string, Record<string, any>] => {
  const found = resourcesOf(template, type);
  expect(found, type).toHaveLength(1);
  return found[0] as [string, Record<string, any>];
};

const clientIdNamed = (name: string) => {
  const found = resourcesOf(api, 'AWS::Cognito::UserPoolClient').find(
    ([, c]) => c.Properties.ClientName === name,
  );
  if (!found) throw new Error(`no client named ${name}`);
  return found[0];
};

const ADMIN_FUNCTION = 'Serves the reporting and management API';
const READ_FUNCTION = "Serves the reporting API's read routes";

/**
 * One of the API's two functions, the admin routes' by default (the stack also holds the webhook
 * delivery function, test/infra/webhooks.test.ts).
 */
const apiFunction = (description = ADMIN_FUNCTION): [string, Record<string, any>] => {
  const found = resourcesOf(api, 'AWS::Lambda::Function').filter(([, f]) =>
    String(f.Properties.Description).startsWith(description),
  );
  expect(found).toHaveLength(1);
  return found[0] as [string, Record<string, any>];
};

/** Every IAM statement attached to the role of one of the API's functions. */
const functionStatements = (description = ADMIN_FUNCTION): any[] => {
  const [, fn] = apiFunction(description);
  const roleId = fn.Properties.Role['Fn::GetAtt'][0];
  return resourcesOf(api, 'AWS::IAM::Policy')
    .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
};

/** The access log: the log group the stage writes to. */
const accessLogGroup = (): [string, Record<string, any>] => {
  const [, stage] = onlyResourceOf(api, 'AWS::ApiGatewayV2::Stage');
  const [id] = stage.Properties.AccessLogSettings.DestinationArn['Fn::GetAtt'];
  return [id, api.toJSON().Resources[id]];
};

const imported = (name: RegExp) => ({ 'Fn::ImportValue': expect.stringMatching(name) });
const indexArn = (table: RegExp, index: string) => ({
  'Fn::Join': ['', [imported(table), `/index/${index}`]],
});

describe('api stack: routes and authorization', () => {
  it('has one route per API_ROUTES entry, each behind the JWT authorizer with the scopes it accepts', () => {
    const [authorizerId] = onlyResourceOf(api, 'AWS::ApiGatewayV2::Authorizer');
    const routes = resourcesOf(api, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(
      API_ROUTES.map((r) => `${r.method} ${r.path}`).sort(),
    );
    for (const route of API_ROUTES) {
      const deployed = routes.find((r) => r.RouteKey === `${route.method} ${route.path}`);
      expect(deployed, route.operationId).toMatchObject({
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizerId },
      });
      const accepted = route.scope === 'admin' ? ['admin'] : ['admin', 'read'];
      expect([...(deployed?.AuthorizationScopes ?? [])].sort(), route.operationId).toEqual(
        accepted.map((scope) => `calltracking/${scope}`),
      );
    }
  });

  it('has no route without authorization and no $default route (unknown paths are 404s)', () => {
    for (const [id, route] of resourcesOf(api, 'AWS::ApiGatewayV2::Route')) {
      expect(route.Properties.AuthorizationType, id).toBe('JWT');
      expect(route.Properties.AuthorizationScopes?.length, id).toBeGreaterThan(0);
      expect(route.Properties.RouteKey, id).not.toBe('$default');
    }
  });

  it('accepts tokens issued by the user pool to its two clients only', () => {
    const [poolId] = onlyResourceOf(api, 'AWS::Cognito::UserPool');
    const [, authorizer] = onlyResourceOf(api, 'AWS::ApiGatewayV2::Authorizer');
    expect(authorizer.Properties).toMatchObject({
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Issuer: {
          'Fn::Join': ['', ['https://cognito-idp.us-east-1.amazonaws.com/', { Ref: poolId }]],
        },
      },
    });
    expect(authorizer.Properties.JwtConfiguration.Audience).toEqual([
      { Ref: clientIdNamed('read-only') },
      { Ref: clientIdNamed('admin') },
    ]);
  });

  it('sends the read routes to the read-only function and the admin routes to the other (Lambda proxy, payload v2)', () => {
    const integrationOf = (description: string) => {
      const [fnId] = apiFunction(description);
      const found = resourcesOf(api, 'AWS::ApiGatewayV2::Integration').filter(
        ([, i]) => i.Properties.IntegrationUri['Fn::GetAtt']?.[0] === fnId,
      );
      expect(found).toHaveLength(1);
      expect(found[0]?.[1].Properties).toMatchObject({
        IntegrationType: 'AWS_PROXY',
        PayloadFormatVersion: '2.0',
      });
      return { 'Fn::Join': ['', ['integrations/', { Ref: found[0]?.[0] }]] };
    };
    const target = { read: integrationOf(READ_FUNCTION), admin: integrationOf(ADMIN_FUNCTION) };
    expect(resourcesOf(api, 'AWS::ApiGatewayV2::Integration')).toHaveLength(2);
    const routes = resourcesOf(api, 'AWS::ApiGatewayV2::Route');
    expect(routes).toHaveLength(API_ROUTES.length);
    for (const route of API_ROUTES) {
      const [, found] =
        routes.find(([, r]) => r.Properties.RouteKey === `${route.method} ${route.path}`) ?? [];
      expect(found?.Properties.Target, route.operationId).toEqual(target[route.scope]);
    }
    const permissions = resourcesOf(api, 'AWS::Lambda::Permission');
    expect(permissions).toHaveLength(2);
    for (const [, permission] of permissions) {
      expect(permission.Properties.Principal).toBe('apigateway.amazonaws.com');
    }
  });
});

describe('api stack: stage', () => {
  it('auto-deploys one $default stage with a JSON access log kept 90 days', () => {
    const [logGroupId] = accessLogGroup();
    const [, stage] = onlyResourceOf(api, 'AWS::ApiGatewayV2::Stage');
    expect(stage.Properties).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stage.Properties.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logGroupId, 'Arn'],
    });
    const format = JSON.parse(stage.Properties.AccessLogSettings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      routeKey: '$context.routeKey',
      status: '$context.status',
      clientId: '$context.authorizer.claims.client_id',
    });
    expect(JSON.stringify(format)).not.toMatch(/querystring|requestBody/i);
  });

  it('keeps the access log (retained with the stack deleted), apart from the function log', () => {
    const [, accessLog] = accessLogGroup();
    expect(accessLog.Properties.RetentionInDays).toBe(90);
    expect(accessLog.DeletionPolicy).toBe('Retain');
  });

  it('throttles the stage at 50 requests per second, bursts of 100, unless told otherwise', () => {
    api.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
    const tuned = synthApp({ apiThrottle: { rateLimit: 5, burstLimit: 10 } }).api;
    tuned.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    });
  });

  it('has no CORS unless origins are given, and then allows the Authorization header', () => {
    const [, httpApi] = onlyResourceOf(api, 'AWS::ApiGatewayV2::Api');
    expect(httpApi.Properties.CorsConfiguration).toBeUndefined();
    const withCors = synthApp({ apiCorsOrigins: ['https://dashboard.example.com'] }).api;
    withCors.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: {
        AllowOrigins: ['https://dashboard.example.com'],
        AllowHeaders: Match.arrayWith(['Authorization']),
        AllowMethods: Match.arrayWith(['GET', 'PATCH', 'PUT', 'DELETE']),
      },
    });
  });

  it.each([
    ['*', /not "\*"/],
    ['dashboard.example.com', /is not an origin/],
    ['http://dashboard.example.com', /must use https/],
    ['https://dashboard.example.com/', /without path or trailing slash/],
  ])('fails on the CORS origin %s', (origin, message) => {
    expect(() => synthApp({ apiCorsOrigins: [origin] })).toThrow(message);
  });

  it('fails on a throttle that is not positive', () => {
    expect(() => synthApp({ apiThrottle: { rateLimit: 0, burstLimit: 10 } })).toThrow(
      /throttle rate must be a positive number/,
    );
  });
});

describe('api stack: the function', () => {
  it('runs on Node.js 22 arm64 with the tables, bucket and cursor secret in its environment', () => {
    const [secretId] = onlyResourceOf(api, 'AWS::SecretsManager::Secret');
    const [, fn] = apiFunction();
    expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect(fn.Properties.Environment.Variables).toEqual({
      CALL_LOG_TABLE_NAME: imported(/RefCallLogTable/),
      ROUTING_TABLE_NAME: imported(/RefRoutingTable/),
      RECORDINGS_BUCKET_NAME: imported(/RefRecordingsBucket/),
      CURSOR_SECRET_ARN: { Ref: secretId },
      EVENT_BUS_NAME: { Ref: onlyResourceOf(api, 'AWS::Events::EventBus')[0] },
      CONTACT_RECORD_ARCHIVE_BUCKET_NAME: imported(/RefContactRecordArchiveBucket/),
    });
  });

  it('may do exactly what the API needs, and nothing else', () => {
    const [, fn] = apiFunction();
    const logsId = fn.Properties.LoggingConfig.LogGroup.Ref;
    const [secretId] = onlyResourceOf(api, 'AWS::SecretsManager::Secret');
    const allow = (Action: unknown, Resource: unknown) => ({ Action, Effect: 'Allow', Resource });
    // The role decrypts only through S3 (presigned links, archive objects), never directly.
    const viaS3 = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };
    expect(functionStatements()).toEqual([
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logsId, 'Arn'] }),
      allow(
        [
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          // A lead update's settle reads month days together and writes month rows.
          'dynamodb:BatchGetItem',
          'dynamodb:BatchWriteItem',
        ],
        imported(/CallLogTableArn/),
      ),
      allow(
        'dynamodb:Query',
        ['byMonth', 'byLocation', 'byTrackingNumber', 'bySource', 'byCaller'].map((index) =>
          indexArn(/CallLogTableArn/, index),
        ),
      ),
      allow(
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
        imported(/RoutingTableArn/),
      ),
      allow('s3:GetObject', {
        'Fn::Join': ['', [imported(/RecordingsBucketArn/), '/connect/*']],
      }),
      { ...allow('kms:Decrypt', imported(/RecordingsKeyArn/)), Condition: viaS3 },
      allow('secretsmanager:GetSecretValue', { Ref: secretId }),
      // Erasure: every version of a recording, and the caller's lines out of the archive.
      {
        ...allow('s3:ListBucketVersions', imported(/RecordingsBucketArn/)),
        Condition: { StringLike: { 's3:prefix': ['connect/*'] } },
      },
      allow(['s3:DeleteObject', 's3:DeleteObjectVersion'], {
        'Fn::Join': ['', [imported(/RecordingsBucketArn/), '/connect/*']],
      }),
      {
        ...allow('s3:ListBucket', imported(/ContactRecordArchiveBucketArn/)),
        Condition: { StringLike: { 's3:prefix': ['contact-records/*'] } },
      },
      allow(['s3:GetObject', 's3:PutObject'], {
        'Fn::Join': ['', [imported(/ContactRecordArchiveBucketArn/), '/contact-records/*']],
      }),
      { ...allow('kms:GenerateDataKey', imported(/RecordingsKeyArn/)), Condition: viaS3 },
      allow('events:PutEvents', {
        'Fn::GetAtt': [onlyResourceOf(api, 'AWS::Events::EventBus')[0], 'Arn'],
      }),
    ]);
  });

  it('serves read-only tokens from a function that may read and nothing else', () => {
    const [, fn] = apiFunction(READ_FUNCTION);
    const logsId = fn.Properties.LoggingConfig.LogGroup.Ref;
    const [secretId] = onlyResourceOf(api, 'AWS::SecretsManager::Secret');
    const allow = (Action: unknown, Resource: unknown) => ({ Action, Effect: 'Allow', Resource });
    const viaS3 = { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } };
    expect(functionStatements(READ_FUNCTION)).toEqual([
      allow(['logs:CreateLogStream', 'logs:PutLogEvents'], { 'Fn::GetAtt': [logsId, 'Arn'] }),
      allow(['dynamodb:GetItem', 'dynamodb:Query'], imported(/CallLogTableArn/)),
      allow(
        'dynamodb:Query',
        ['byMonth', 'byLocation', 'byTrackingNumber', 'bySource', 'byCaller'].map((index) =>
          indexArn(/CallLogTableArn/, index),
        ),
      ),
      allow('dynamodb:GetItem', imported(/RoutingTableArn/)),
      allow('s3:GetObject', {
        'Fn::Join': ['', [imported(/RecordingsBucketArn/), '/connect/*']],
      }),
      { ...allow('kms:Decrypt', imported(/RecordingsKeyArn/)), Condition: viaS3 },
      allow('secretsmanager:GetSecretValue', { Ref: secretId }),
    ]);
    // No event bus to publish to either: only a lead change (an admin route) publishes.
    expect(fn.Properties.Environment.Variables.EVENT_BUS_NAME).toBeUndefined();
  });

  it('never scans a table and uses no AWS managed policy', () => {
    expect(JSON.stringify(functionStatements().map((s) => s.Action))).not.toContain('Scan');
    // Neither the API's role nor the webhook delivery function's.
    for (const [, role] of resourcesOf(api, 'AWS::IAM::Role')) {
      expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    }
  });

  it('generates the cursor HMAC key in Secrets Manager', () => {
    const [, secret] = onlyResourceOf(api, 'AWS::SecretsManager::Secret');
    expect(secret.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 64,
      ExcludePunctuation: true,
    });
    expect(secret.Properties.SecretString).toBeUndefined();
  });
});

describe('api stack: Cognito token issuer', () => {
  it('is a user pool nobody can sign up to, with the calltracking resource server and its scopes', () => {
    const [, pool] = onlyResourceOf(api, 'AWS::Cognito::UserPool');
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.MfaConfiguration).toBe('ON');
    const [, server] = onlyResourceOf(api, 'AWS::Cognito::UserPoolResourceServer');
    expect(server.Properties.Identifier).toBe('calltracking');
    const scopes = server.Properties.Scopes.map((s: any) => `calltracking/${s.ScopeName}`);
    expect(scopes.sort()).toEqual(Object.values(OAUTH_SCOPES).sort());
  });

  it.each([
    ['read-only', ['/read']],
    ['admin', ['/read', '/admin']],
  ])('gives the %s client the client-credentials grant, a secret and scopes %j', (name, scopes) => {
    const [serverId] = onlyResourceOf(api, 'AWS::Cognito::UserPoolResourceServer');
    const client = api.toJSON().Resources[clientIdNamed(name)].Properties;
    expect(client).toMatchObject({
      GenerateSecret: true,
      AllowedOAuthFlows: ['client_credentials'],
      AllowedOAuthFlowsUserPoolClient: true,
      ExplicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      AccessTokenValidity: 60,
      TokenValidityUnits: { AccessToken: 'minutes' },
    });
    expect(client.AllowedOAuthScopes).toEqual(
      scopes.map((scope) => ({ 'Fn::Join': ['', [{ Ref: serverId }, scope]] })),
    );
    expect(client.CallbackURLs).toBeUndefined();
  });

  it('has a sign-in client for people only when callback URLs are given: code flow, no secret, read only', () => {
    expect(
      resourcesOf(api, 'AWS::Cognito::UserPoolClient').map(([, c]) => c.Properties.ClientName),
    ).not.toContain('people');
    const withPeople = synthApp({ apiCallbackUrls: ['https://dashboard.example.com/callback'] });
    const resources = withPeople.api.toJSON().Resources as Record<string, any>;
    const [peopleId, people] = Object.entries(resources).find(
      ([, r]) => r.Properties?.ClientName === 'people',
    ) as [string, any];
    expect(people.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      CallbackURLs: ['https://dashboard.example.com/callback'],
    });
    const scopes = JSON.stringify(people.Properties.AllowedOAuthScopes);
    expect(scopes).toContain('"openid"');
    expect(scopes).toContain('/read');
    expect(scopes).not.toContain('/admin');
    withPeople.api.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Audience: Match.arrayWith([{ Ref: peopleId }]) },
    });
    expect(withPeople.api.toJSON().Outputs.PeopleClientId.Value).toEqual({ Ref: peopleId });
    expect(() => synthApp({ apiCallbackUrls: ['http://dashboard.example.com/cb'] })).toThrow(
      /must use https/,
    );
  });

  it('serves tokens from a domain named after the stage and account, or the one given', () => {
    api.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
      Domain: 'call-tracking-123456789012',
    });
    synthApp({ authDomainPrefix: 'acme-calls' }).api.hasResourceProperties(
      'AWS::Cognito::UserPoolDomain',
      { Domain: 'acme-calls' },
    );
  });

  it('fails on a domain prefix Cognito would refuse, saying what to do', () => {
    expect(() => synthApp({ authDomainPrefix: 'acme-aws-calls' })).toThrow(
      /contains "aws".*-c authDomainPrefix=/,
    );
    expect(() => synthApp({ authDomainPrefix: 'Acme_Calls' })).toThrow(/lowercase letters/);
    expect(() => synthApp({ stackPrefix: 'aws-staging' })).toThrow(
      /starts with the stack prefix.*-c authDomainPrefix=/,
    );
  });

  it('outputs the API URL, token endpoint, user pool and client ids, never a client secret', () => {
    const outputs = api.toJSON().Outputs as Record<string, any>;
    // Besides the exports CDK makes for other stacks (the API URL the voicemail email links to, the
    // HTTP API's id the operations stack's alarms read).
    expect(
      Object.keys(outputs)
        .filter((k) => !k.startsWith('ExportsOutput'))
        .sort(),
    ).toEqual(
      [
        'AdminClientId',
        'ApiUrl',
        'ReadOnlyClientId',
        'TokenEndpoint',
        'UserPoolId',
        'WebhookDeadLetterQueueArn',
      ].sort(),
    );
    expect(outputs.ReadOnlyClientId.Value).toEqual({ Ref: clientIdNamed('read-only') });
    expect(outputs.AdminClientId.Value).toEqual({ Ref: clientIdNamed('admin') });
    expect(JSON.stringify(outputs.TokenEndpoint.Value)).toContain(
      '.auth.us-east-1.amazoncognito.com/oauth2/token',
    );
    expect(JSON.stringify(api.toJSON())).not.toMatch(/ClientSecret|DescribeCognitoUserPoolClient/);
  });
});

describe('api stack: deploy order and synth gates', () => {
  it('deploys after the data stack', () => {
    expect(stacks.api.dependencies).toContain(stacks.data);
  });

  it('passes both gates (schema and cdk-nag) with exactly these acknowledged findings', () => {
    // synthApp already failed if either gate had refused the stack; this pins what was waived.
    const acknowledged = stacks.api.node
      .findAll()
      .flatMap((c) =>
        c.node.metadata
          .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
          .flatMap((m) => Object.keys(m.data).map((id) => id.replace(/^Annotation::/, ''))),
      );
    // The API's two functions' and the webhook delivery function's (Node 22, recording links),
    // and the webhook dead-letter queue's (it is one).
    const recordings =
      /^AwsSolutions-IAM5\[Resource::call-tracking-data:ExportsOutputFnGetAttRecordingsBucketArn\w+\/connect\/\*\]$/;
    expect(acknowledged.filter((id) => recordings.test(id))).toHaveLength(3);
    const archive =
      /^AwsSolutions-IAM5\[Resource::call-tracking-data:ExportsOutputFnGetAttContactRecordArchiveBucketArn\w+\/contact-records\/\*\]$/;
    expect(acknowledged.filter((id) => archive.test(id))).toHaveLength(1);
    expect(acknowledged.filter((id) => !recordings.test(id) && !archive.test(id)).sort()).toEqual(
      [
        'AwsSolutions-COG8',
        'AwsSolutions-L1',
        'AwsSolutions-L1',
        'AwsSolutions-L1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
      ].sort(),
    );
  });
});
