import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Browser features the site never uses, refused to it and to anything it could be made to
 * embed (review finding I4: helmet sets no Permissions-Policy). Payment stays off: card and
 * PayPal payments leave for the provider's own pages.
 */
const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'browsing-topics=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'usb=()',
].join(', ');

/** Two years, as the HSTS preload list asks. */
const HSTS_MAX_AGE_SECONDS = 2 * 365 * 24 * 60 * 60;

/**
 * The security headers of every answer: helmet's, with our content security policy (scripts,
 * styles and fonts from this site only, no framing), the Permissions-Policy, and in production
 * HSTS with preload (in development the site is plain http on localhost, which HSTS would break
 * for every other local project).
 */
export function securityHeaders(production: boolean): RequestHandler[] {
  return [
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'self'"],
          objectSrc: ["'none'"],
          ...(production ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: production
        ? { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true, preload: true }
        : false,
    }),
    (_req, res, next) => {
      res.setHeader('Permissions-Policy', PERMISSIONS_POLICY);
      next();
    },
  ];
}
