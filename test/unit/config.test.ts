import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('has working defaults for development', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.NODE_ENV).toBe('development');
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it('treats an empty DATABASE_URL as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).DATABASE_URL).toBeUndefined();
  });

  it('stops with a message naming each wrong variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', LOG_LEVEL: 'loud' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT/);
      expect((error as Error).message).toMatch(/LOG_LEVEL/);
    }
  });

  it('requires DATABASE_URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/DATABASE_URL/);
    expect(
      loadConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://u:p@db/x',
        SESSION_SECRET: 'x'.repeat(40),
      }).NODE_ENV,
    ).toBe('production');
  });

  it('treats empty sign-in provider settings as unset, and needs an https issuer in production', () => {
    const config = loadConfig({ OIDC_ISSUER_URL: '', OIDC_CLIENT_ID: ' ', GITHUB_CLIENT_ID: '' });
    expect(config.OIDC_ISSUER_URL).toBeUndefined();
    expect(config.OIDC_CLIENT_ID).toBeUndefined();
    expect(config.GITHUB_CLIENT_ID).toBeUndefined();
    expect(config.GITHUB_BASE_URL).toBe('https://github.com');
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://u:p@db/x',
      SESSION_SECRET: 'x'.repeat(40),
    };
    expect(() => loadConfig({ ...production, OIDC_ISSUER_URL: 'http://idp.example' })).toThrow(
      /OIDC_ISSUER_URL/,
    );
    expect(
      loadConfig({ ...production, OIDC_ISSUER_URL: 'https://idp.example' }).OIDC_ISSUER_URL,
    ).toBe('https://idp.example');
  });

  it('trusts no proxy unless TRUST_PROXY names them, by count or by address (M3)', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,loopback' }).TRUST_PROXY).toEqual([
      '10.0.0.5',
      '172.16.0.0/12',
      'loopback',
    ]);
    expect(loadConfig({ TRUST_PROXY: 'fd00::/8,10.0.0.0/255.0.0.0' }).TRUST_PROXY).toEqual([
      'fd00::/8',
      '10.0.0.0/255.0.0.0',
    ]);
    for (const wrong of ['true', 'proxy.example', '10.0.0.0/33', '10.0.0.1/ffff::', '1,2']) {
      expect(() => loadConfig({ TRUST_PROXY: wrong }), wrong).toThrow(/TRUST_PROXY/);
    }
  });
});
