import { publicStatuses } from '../opportunities/states.ts';
import { API_BASE } from './present.ts';
import { MAX_LIMIT, DEFAULT_LIMIT } from './query.ts';

const bilingual = (description: string) => ({
  type: 'object',
  description,
  required: ['en', 'fr'],
  additionalProperties: false,
  properties: { en: { type: 'string' }, fr: { type: 'string' } },
});

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const opportunityProperties = {
  reference: { type: 'string', pattern: '^MA-[0-9]{4}-[0-9]{4}$', examples: ['MA-2026-0001'] },
  status: {
    type: 'string',
    enum: [...publicStatuses],
    description: 'As a visitor reads it: a published opportunity past its deadline is closed.',
  },
  title: ref('Bilingual'),
  summary: ref('Bilingual'),
  department: {
    type: 'object',
    required: ['acronym', 'name'],
    additionalProperties: false,
    properties: { acronym: ref('Bilingual'), name: ref('Bilingual') },
  },
  skills: {
    type: 'object',
    required: ['en', 'fr'],
    additionalProperties: false,
    properties: {
      en: { type: 'array', items: { type: 'string' } },
      fr: { type: 'array', items: { type: 'string' } },
    },
  },
  currency: { type: 'string', const: 'CAD' },
  price_cents: {
    type: 'integer',
    minimum: 1,
    description: 'The fixed price before tax, in cents.',
  },
  max_total_cents: {
    type: 'integer',
    minimum: 1,
    maximum: 1_000_000,
    description: 'The most it can cost with the highest sales tax, in cents (at most $10,000).',
  },
  published_at: { type: 'string', format: 'date-time' },
  closes_at: { type: ['string', 'null'], format: 'date-time' },
  delivery_due_on: { type: ['string', 'null'], format: 'date' },
  updated_at: {
    type: 'string',
    format: 'date-time',
    description: 'When what the public sees of it last changed.',
  },
  links: {
    type: 'object',
    required: ['self', 'page', 'calendar'],
    additionalProperties: false,
    properties: {
      self: { type: 'string', format: 'uri' },
      page: ref('LanguageLinks'),
      calendar: { ...ref('LanguageLinks'), description: 'The closing date as iCalendar.' },
    },
  },
};

const headers = {
  ETag: { $ref: '#/components/headers/ETag' },
  'Last-Modified': { $ref: '#/components/headers/LastModified' },
};

const opportunityRequired = Object.keys(opportunityProperties);

/**
 * The API's description (OpenAPI 3.1), written by hand: it is small, and the tests check every
 * answer against these schemas, so it cannot drift from what the API sends.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Micro-acquisition opportunities (open data)',
    version: '1.0.0',
    description:
      'Read-only: the opportunities the public may see, in English and French. No key, no cookie; any origin may read (CORS).',
    license: {
      name: 'Open Government Licence - Canada',
      url: 'https://open.canada.ca/en/open-government-licence-canada',
    },
  },
  servers: [{ url: API_BASE }],
  paths: {
    '/opportunities': {
      get: {
        operationId: 'listOpportunities',
        summary: 'Public opportunities, newest first',
        parameters: [
          {
            name: 'limit',
            in: 'query',
            required: false,
            schema: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT },
          },
          {
            name: 'cursor',
            in: 'query',
            required: false,
            description: 'Opaque: the `next` link of the previous page carries it.',
            schema: { type: 'string', maxLength: 80 },
          },
        ],
        responses: {
          '200': {
            description: 'A page of opportunities',
            headers,
            content: { 'application/json': { schema: ref('OpportunityList') } },
          },
          '304': { description: 'Not modified since the ETag or date the client has' },
          '400': {
            description: 'A malformed limit or cursor',
            content: { 'application/json': { schema: ref('Error') } },
          },
        },
      },
    },
    '/opportunities/{reference}': {
      get: {
        operationId: 'getOpportunity',
        summary: 'One public opportunity, with its description and criteria',
        parameters: [
          {
            name: 'reference',
            in: 'path',
            required: true,
            schema: { type: 'string', pattern: '^MA-[0-9]{4}-[0-9]{4}$' },
          },
        ],
        responses: {
          '200': {
            description: 'The opportunity',
            headers,
            content: { 'application/json': { schema: ref('OpportunityDetail') } },
          },
          '304': { description: 'Not modified since the ETag or date the client has' },
          '404': {
            description: 'No public opportunity has this reference',
            content: { 'application/json': { schema: ref('Error') } },
          },
        },
      },
    },
  },
  components: {
    headers: {
      ETag: { description: 'Strong, from the content', schema: { type: 'string' } },
      LastModified: { description: 'HTTP date', schema: { type: 'string' } },
    },
    schemas: {
      Bilingual: bilingual('The same text in English and in French'),
      LanguageLinks: {
        type: 'object',
        required: ['en', 'fr'],
        additionalProperties: false,
        properties: {
          en: { type: 'string', format: 'uri' },
          fr: { type: 'string', format: 'uri' },
        },
      },
      Opportunity: {
        type: 'object',
        required: opportunityRequired,
        additionalProperties: false,
        properties: opportunityProperties,
      },
      OpportunityDetail: {
        type: 'object',
        required: [
          ...opportunityRequired,
          'description',
          'repository_url',
          'licence',
          'acceptance_criteria',
          'mandatory_criteria',
        ],
        additionalProperties: false,
        properties: {
          ...opportunityProperties,
          description: { ...ref('Bilingual'), description: 'Markdown' },
          repository_url: { type: 'string', format: 'uri' },
          licence: { type: 'string', description: 'SPDX identifier' },
          acceptance_criteria: {
            type: 'array',
            description: 'Decide whether the delivered work is accepted.',
            items: ref('Bilingual'),
          },
          mandatory_criteria: {
            type: 'array',
            description: 'Pass or fail, for every application.',
            items: ref('Bilingual'),
          },
        },
      },
      OpportunityList: {
        type: 'object',
        required: ['data', 'links'],
        additionalProperties: false,
        properties: {
          data: { type: 'array', items: ref('Opportunity') },
          links: {
            type: 'object',
            required: ['self', 'next'],
            additionalProperties: false,
            properties: {
              self: { type: 'string', format: 'uri' },
              next: {
                type: ['string', 'null'],
                format: 'uri',
                description: 'The next page; null on the last one.',
              },
            },
          },
        },
      },
      Error: {
        type: 'object',
        required: ['error'],
        additionalProperties: false,
        properties: {
          error: {
            type: 'object',
            required: ['status', 'code', 'message'],
            additionalProperties: false,
            properties: {
              status: { type: 'integer' },
              code: { type: 'string' },
              message: ref('Bilingual'),
            },
          },
        },
      },
    },
  },
} as const;
