import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../../config.ts';

type DkimSettings = Pick<
  Config,
  'DKIM_DOMAIN' | 'DKIM_SELECTOR' | 'DKIM_PRIVATE_KEY' | 'DKIM_PRIVATE_KEY_FILE'
>;

interface DkimOptions {
  domainName: string;
  keySelector: string;
  privateKey: string;
}

/**
 * DKIM signing from the configuration, or undefined when it is off. The key is read and parsed
 * here, at start-up, so a wrong one stops the server instead of every email failing later.
 */
export function dkimOptionsOf(config: DkimSettings): DkimOptions | undefined {
  const { DKIM_DOMAIN: domainName, DKIM_SELECTOR: keySelector } = config;
  if (!domainName || !keySelector) return undefined;
  const pem = config.DKIM_PRIVATE_KEY_FILE
    ? readFileSync(config.DKIM_PRIVATE_KEY_FILE, 'utf8')
    : // One line in an environment variable: "\n" stands for the line breaks.
      (config.DKIM_PRIVATE_KEY ?? '').replaceAll('\\n', '\n');
  try {
    createPrivateKey(pem);
  } catch (error) {
    throw new Error(
      `DKIM private key: not a PEM private key (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  return { domainName, keySelector, privateKey: pem };
}

/** The SMTP transport for SMTP_URL; nodemailer signs each message when DKIM is configured. */
export function createMailTransport(smtpUrl: string, config: DkimSettings): Transporter {
  const dkim = dkimOptionsOf(config);
  return nodemailer.createTransport(smtpUrl, dkim ? { dkim } : {});
}
