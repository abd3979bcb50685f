import { describe, expect, it } from 'vitest';
import { ConfigError, listenHost, loadConfig } from '../../src/config.ts';

const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://u:p@db.example/m',
  SESSION_SECRET: 's'.repeat(40),
};

describe('runtime defaults (M8)', () => {
  it('listens on this computer only in development and test, unless HOST says otherwise', () => {
    expect(listenHost(loadConfig({}))).toBe('127.0.0.1');
    expect(listenHost(loadConfig({ NODE_ENV: 'test' }))).toBe('127.0.0.1');
    expect(listenHost(loadConfig({ HOST: '0.0.0.0' }))).toBe('0.0.0.0');
    expect(listenHost(loadConfig({ HOST: ' ' }))).toBe('127.0.0.1');
  });

  it('listens on every interface in production, as the container needs', () => {
    expect(listenHost(loadConfig(production))).toBe('0.0.0.0');
    expect(listenHost(loadConfig({ ...production, HOST: '127.0.0.1' }))).toBe('127.0.0.1');
  });

  it('refuses development mode, with its demo accounts, for a site at a public address', () => {
    const staging = { PUBLIC_URL: 'https://staging.example.ca' };
    expect(() => loadConfig(staging)).toThrow(ConfigError);
    expect(() => loadConfig(staging)).toThrow(/NODE_ENV: development mode .* NODE_ENV=production/);
    expect(() => loadConfig({ NODE_ENV: 'development', ...staging })).toThrow(ConfigError);
    expect(loadConfig({ ...production, ...staging }).PUBLIC_URL).toBe(staging.PUBLIC_URL);
    for (const local of ['http://localhost:3000', 'http://127.0.0.1:8080', 'http://[::1]:3000']) {
      expect(loadConfig({ PUBLIC_URL: local }).NODE_ENV).toBe('development');
    }
  });
});
