import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import type { IContainer } from 'kubernetes-models/v1/Container';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import knex from 'knex';
import { parse, parseAllDocuments } from 'yaml';
import { CONFIG_VARIABLES, ConfigError, loadConfig, type Config } from '../../src/config.ts';
import { drawKeyOf } from '../../src/draw/key.ts';
import { createTestApp } from '../helpers/app.ts';

/**
 * The deployment files (deploy/kubernetes/, compose.yaml) checked against the Kubernetes schemas
 * (kubernetes-models' typed objects) and against the app itself: its configuration schema, its
 * health routes, its migration entry point.
 */

const KUBERNETES_DIR = 'deploy/kubernetes';

/** Every kind the manifests may hold; any other fails the first test. */
const MODELS = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
} as const;

interface Manifest {
  file: string;
  doc: { apiVersion?: unknown; kind?: unknown };
}

const manifests: Manifest[] = readdirSync(KUBERNETES_DIR)
  .filter((file) => /\.ya?ml$/.test(file))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(KUBERNETES_DIR, file), 'utf8')).map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return { file, doc: document.toJS() as Manifest['doc'] };
    }),
  );

const typeOf = (doc: Manifest['doc']) => `${String(doc.apiVersion)}/${String(doc.kind)}`;

/** The one manifest of a kind, as its typed object. */
function only<T>(Model: { new (data: never): T; apiVersion: string; kind: string }): T {
  const found = manifests.filter((m) => typeOf(m.doc) === `${Model.apiVersion}/${Model.kind}`);
  expect(found, `one ${Model.kind}`).toHaveLength(1);
  return new Model(found[0]?.doc as never);
}

const deployment = only(Deployment);
const job = only(Job);
const configMap = only(ConfigMap);
const secret = only(Secret);
const podSpec = deployment.spec?.template.spec;
const appContainer = podSpec?.containers[0] as IContainer;
const jobContainer = job.spec?.template.spec?.containers[0] as IContainer;
const podLabels = deployment.spec?.template.metadata?.labels ?? {};

/** The checks of the app's start-up: its configuration, then (production) the draw key. */
function startupCheck(env: Record<string, string>): Config {
  const config = loadConfig(env);
  drawKeyOf(config);
  return config;
}

/** Values a real Secret would hold, in the formats the app asks for. */
const realSecrets: Record<string, string> = {
  SESSION_SECRET: randomBytes(48).toString('base64'),
  DRAW_KEY: randomBytes(32).toString('hex'),
  POSTGRES_PASSWORD: randomBytes(24).toString('hex'),
};

/** What a container's environment is: its ConfigMap, then its env entries (which win). */
function environmentOf(
  container: IContainer,
  secretValues: Record<string, string | undefined>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    expect(source.configMapRef?.name, 'envFrom names the ConfigMap').toBe(configMap.metadata?.name);
    Object.assign(env, configMap.data);
  }
  for (const entry of container.env ?? []) {
    const ref = entry.valueFrom?.secretKeyRef;
    const value = ref ? secretValues[ref.key] : entry.value;
    if (value !== undefined) env[entry.name] = value;
  }
  return env;
}

const exampleValues = { ...secret.stringData, ...secret.data };
const withRealSecrets = { ...exampleValues, ...realSecrets };

const secretRefs = (container: IContainer) =>
  (container.env ?? []).flatMap((entry) => {
    const ref = entry.valueFrom?.secretKeyRef;
    return ref ? [{ variable: entry.name, ...ref }] : [];
  });

/** Labels a selector's matchLabels asks for, all present in these labels. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>) =>
  selector !== undefined &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([key, value]) => labels[key] === value);

describe('Kubernetes manifests (deploy/kubernetes/)', () => {
  it('every document is a kind we expect, accepted by its Kubernetes schema, one of each', () => {
    expect(manifests.length).toBeGreaterThan(0);
    for (const { file, doc } of manifests) {
      const Model = MODELS[typeOf(doc) as keyof typeof MODELS];
      expect(Model, `${file}: ${typeOf(doc)} is not a kind these files use`).toBeDefined();
      expect(() => new Model(doc as never).validate(), `${file}: ${typeOf(doc)}`).not.toThrow();
    }
    expect(manifests.map((m) => typeOf(m.doc)).sort()).toEqual(Object.keys(MODELS).sort());
  });

  it('the only Secret is an example: its file says so and the app refuses its placeholders', () => {
    const file = manifests.find((m) => m.doc.kind === 'Secret')?.file;
    expect(file).toMatch(/\.example\.yaml$/);
    const env = environmentOf(appContainer, exampleValues);
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(/SESSION_SECRET/);
    expect(() => loadConfig({ ...env, SESSION_SECRET: realSecrets.SESSION_SECRET })).toThrow(
      /DRAW_KEY/,
    );
  });

  it('with real secrets, what the instances and the Job get passes the production check', () => {
    const config = startupCheck(environmentOf(appContainer, withRealSecrets));
    expect(config.NODE_ENV).toBe('production');
    expect(config.PUBLIC_URL).toMatch(/^https:\/\//);
    expect(config.TRUST_PROXY).not.toBe(false);
    expect(config.DATABASE_URL).toMatch(/sslmode=verify-full/);
    const jobEnv = environmentOf(jobContainer, withRealSecrets);
    expect(() => startupCheck(jobEnv)).not.toThrow();
    // The Job migrates for these instances: their image, their database, their settings.
    expect(jobContainer.image).toBe(appContainer.image);
    expect(jobEnv).toEqual(
      Object.fromEntries(
        Object.entries(environmentOf(appContainer, withRealSecrets)).filter(([name]) =>
          Object.keys(jobEnv).includes(name),
        ),
      ),
    );
  });

  it('every variable they name is one the app reads (src/config.ts)', () => {
    const named = [
      ...Object.keys(configMap.data ?? {}),
      ...Object.keys(exampleValues),
      ...[appContainer, jobContainer].flatMap((c) => (c.env ?? []).map((entry) => entry.name)),
    ];
    expect(named.filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
  });

  it('every secret reference names a key of the example Secret, and every key is used', () => {
    const refs = [...secretRefs(appContainer), ...secretRefs(jobContainer)];
    for (const ref of refs) {
      expect(ref.name, ref.variable).toBe(secret.metadata?.name);
      expect(Object.keys(exampleValues), ref.variable).toContain(ref.key);
      expect(ref.key, 'a secret goes to the variable of its name').toBe(ref.variable);
    }
    expect(
      secretRefs(appContainer)
        .map((ref) => ref.key)
        .sort(),
    ).toEqual(Object.keys(exampleValues).sort());
    const required = refs.filter((ref) => ref.optional !== true).map((ref) => ref.key);
    expect(required).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'SESSION_SECRET', 'DRAW_KEY']),
    );
  });

  it("the Job runs the app's migration entry point", () => {
    const [program, script] = jobContainer.command ?? [];
    expect(program).toBe('node');
    // dist/src/migrate.js is what `npm run build` makes of src/migrate.ts.
    expect(script).toBe('dist/src/migrate.js');
    expect(existsSync(script?.replace(/^dist\//, '').replace(/\.js$/, '.ts') ?? '')).toBe(true);
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: object })
      .scripts;
    expect(scripts).toHaveProperty('migrate:prod', `node ${script}`);
    expect(job.spec?.template.spec?.restartPolicy).toBe('Never');
  });

  it("the probes ask the app's health routes: liveness without the database, readiness with it", async () => {
    const env = environmentOf(appContainer, withRealSecrets);
    // A database nobody answers at: liveness must not restart an instance for it, readiness must
    // take it out of the Service.
    const quiet = () => undefined;
    const db = knex({
      client: 'pg',
      connection: 'postgres://nobody:nothing@127.0.0.1:1/none',
      log: { warn: quiet, error: quiet, debug: quiet, deprecate: quiet },
    });
    const { app } = await createTestApp(db, { env: { ...env, LOG_LEVEL: 'silent' } });
    try {
      const probes = [appContainer.startupProbe, appContainer.livenessProbe].map(
        (probe) => probe?.httpGet,
      );
      for (const probe of probes) {
        expect(probe?.port).toBe(appContainer.ports?.[0]?.name);
        await request(app)
          .get(probe?.path ?? '')
          .expect(200);
      }
      const readiness = appContainer.readinessProbe?.httpGet;
      expect(readiness?.port).toBe(appContainer.ports?.[0]?.name);
      await request(app)
        .get(readiness?.path ?? '')
        .expect(503);
    } finally {
      await db.destroy();
    }
  });

  it("the Service, the PDB, the HPA and the NetworkPolicy reach the Deployment's instances", () => {
    const port = appContainer.ports?.[0];
    expect(appContainer.ports).toHaveLength(1);
    expect(port?.containerPort).toBe(loadConfig(environmentOf(appContainer, withRealSecrets)).PORT);
    expect(selects(deployment.spec?.selector.matchLabels, podLabels)).toBe(true);

    const service = only(Service);
    expect(selects(service.spec?.selector, podLabels)).toBe(true);
    const jobLabels = job.spec?.template.metadata?.labels ?? {};
    expect(selects(service.spec?.selector, jobLabels), 'the Job gets no traffic').toBe(false);
    for (const { targetPort } of service.spec?.ports ?? []) {
      expect([port?.name, port?.containerPort]).toContain(targetPort);
    }

    const budget = only(PodDisruptionBudget);
    expect(selects(budget.spec?.selector?.matchLabels, podLabels)).toBe(true);
    expect(selects(budget.spec?.selector?.matchLabels, jobLabels)).toBe(false);

    const autoscaler = only(HorizontalPodAutoscaler);
    expect(autoscaler.spec?.scaleTargetRef).toEqual({
      apiVersion: deployment.apiVersion,
      kind: deployment.kind,
      name: deployment.metadata?.name,
    });
    expect(autoscaler.spec?.minReplicas).toBe(deployment.spec?.replicas);
    expect(deployment.spec?.replicas).toBeGreaterThanOrEqual(2);

    const policy = only(NetworkPolicy);
    expect(selects(policy.spec?.podSelector.matchLabels, podLabels)).toBe(true);
    const allowed = policy.spec?.ingress?.flatMap((rule) => rule.ports ?? []) ?? [];
    expect(allowed.map((p) => p.port)).toEqual([port?.name]);
  });

  it('an instance runs as a non-root user on a read-only filesystem and stops in its grace period', () => {
    for (const spec of [podSpec, job.spec?.template.spec]) {
      expect(spec?.securityContext?.runAsNonRoot).toBe(true);
      // The image's USER is a name (node): the kubelet checks non-root only on a numeric id.
      expect(spec?.securityContext?.runAsUser).toBeGreaterThan(0);
    }
    for (const container of [appContainer, jobContainer]) {
      expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
      expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
      expect(container.resources?.limits?.memory).toBeDefined();
    }
    expect(appContainer.resources?.requests?.memory).toBeDefined();
    const preStop = appContainer.lifecycle?.preStop?.sleep?.seconds ?? 0;
    expect(podSpec?.terminationGracePeriodSeconds).toBeGreaterThan(preStop + 20);
    expect(deployment.spec?.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
  });
});

describe('compose.yaml', () => {
  interface ComposeService {
    image?: string;
    command?: string[];
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    volumes?: string[];
    ports?: string[];
  }
  const compose = parse(readFileSync('compose.yaml', 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const { postgres, migrate, app1, app2, proxy } = compose.services;

  /** Compose's interpolation: ${NAME:?message} from .env (here: real secrets), ${NAME:-default}. */
  const interpolate = (environment: Record<string, string> = {}) =>
    Object.fromEntries(
      Object.entries(environment).map(([name, value]) => [
        name,
        value.replace(/\$\{(\w+)(?::([?-])([^}]*))?\}/g, (_all, variable: string, how, rest) => {
          const given = realSecrets[variable];
          if (given !== undefined) return given;
          if (how === '-') return rest as string;
          throw new Error(`${name} needs ${variable}, and .env would not set it`);
        }),
      ]),
    );

  it('has PostgreSQL 18, a migration run, two instances and the proxy', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['app1', 'app2', 'migrate', 'postgres', 'proxy'].sort(),
    );
    expect(postgres?.image).toBe('postgres:18');
    expect(postgres?.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(postgres?.volumes?.[0]).toMatch(/^[\w-]+:\/var\/lib\/postgresql$/);
    expect(migrate?.command).toEqual(jobContainer.command);
    expect(migrate?.depends_on?.postgres?.condition).toBe('service_healthy');
    for (const instance of [app1, app2]) {
      expect(instance?.depends_on?.migrate?.condition).toBe('service_completed_successfully');
      expect(instance?.healthcheck?.test.join(' ')).toContain(
        appContainer.readinessProbe?.httpGet?.path,
      );
    }
  });

  it('the instances get the names the Kubernetes ones get, and pass the production check', () => {
    const kubernetesNames = Object.keys(environmentOf(appContainer, withRealSecrets));
    for (const service of [migrate, app1, app2]) {
      const names = Object.keys(service?.environment ?? {});
      expect(names.filter((name) => !kubernetesNames.includes(name))).toEqual([]);
      const config = startupCheck(interpolate(service?.environment));
      expect(config.NODE_ENV).toBe('production');
      const database = new URL(config.DATABASE_URL ?? '');
      expect(database.hostname).toBe('postgres');
      expect(database.username).toBe(postgres?.environment?.POSTGRES_USER);
      expect(database.pathname).toBe(`/${postgres?.environment?.POSTGRES_DB}`);
      expect(decodeURIComponent(database.password)).toBe(realSecrets.POSTGRES_PASSWORD);
    }
    expect(app2?.environment).toEqual(app1?.environment);
  });

  it('the proxy runs deploy/nginx.conf as a template, with every variable it uses set', () => {
    const mount = proxy?.volumes?.find((volume) => volume.includes('nginx.conf'));
    const [source, target] = mount?.split(':') ?? [];
    expect(source).toBe('./deploy/nginx.conf');
    expect(target).toMatch(/^\/etc\/nginx\/templates\/[\w.-]+\.conf\.template$/);
    // The variables of its directives, not of its comments.
    const directives = readFileSync('deploy/nginx.conf', 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    const used = [...directives.matchAll(/\$\{(\w+)\}/g)].map((match) => match[1]);
    expect([...new Set(used)].sort()).toEqual(Object.keys(proxy?.environment ?? {}).sort());
    const port = loadConfig(interpolate(app1?.environment)).PORT;
    expect([proxy?.environment?.APP_1, proxy?.environment?.APP_2]).toEqual([
      `app1:${port}`,
      `app2:${port}`,
    ]);
    expect(proxy?.ports?.[0]).toMatch(new RegExp(`:${proxy?.environment?.LISTEN_PORT}$`));
  });
});
