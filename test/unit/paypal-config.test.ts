import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { paypalSettings } from '../../src/payments/paypal/client.ts';

const paypal = {
  PAYPAL_API_URL: 'https://api-m.sandbox.paypal.com',
  PAYPAL_CLIENT_ID: 'client',
  PAYPAL_CLIENT_SECRET: 'secret',
  PAYPAL_WEBHOOK_ID: '4JH86294D6297924G',
};

describe('PayPal configuration', () => {
  it('is off with none of the four settings, on with all four', () => {
    expect(paypalSettings(loadConfig({ NODE_ENV: 'test' }))).toBeUndefined();
    expect(paypalSettings(loadConfig({ NODE_ENV: 'test', ...paypal }))).toMatchObject({
      baseUrl: 'https://api-m.sandbox.paypal.com',
      timeoutMs: 10_000,
    });
  });

  it('stops start-up when only some are set, naming the four', () => {
    const three = { ...paypal, PAYPAL_WEBHOOK_ID: '' };
    expect(() => loadConfig({ NODE_ENV: 'test', ...three })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'test', ...three })).toThrow(/PAYPAL_WEBHOOK_ID/);
  });

  it('wants https in production', () => {
    const production = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://localhost/x',
      SESSION_SECRET: 'x'.repeat(40),
      PUBLIC_URL: 'https://example.gc.ca',
    };
    expect(() =>
      loadConfig({ ...production, ...paypal, PAYPAL_API_URL: 'http://api-m.paypal.com' }),
    ).toThrow(/https/);
    expect(() => loadConfig({ ...production, ...paypal })).not.toThrow();
  });

  it('reads the certificate hosts as a list, in lower case', () => {
    expect(
      loadConfig({ NODE_ENV: 'test', PAYPAL_CERT_HOSTS: ' API-M.PayPal.com, ,127.0.0.1:9 ' })
        .PAYPAL_CERT_HOSTS,
    ).toEqual(['api-m.paypal.com', '127.0.0.1:9']);
  });
});
