import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { expect } from 'vitest';

// ajv-formats is CommonJS: its function is the default export's default under ESM.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

const DOCUMENT_ID = 'https://open-data.test/api/v1/openapi.json';

/**
 * Checks JSON answers against the schemas of the API's own OpenAPI description, with ajv on the
 * JSON Schema 2020-12 draft (OpenAPI 3.1's); and the description itself with a validator of
 * OpenAPI documents.
 */
export async function openApiChecker(document: object) {
  const validity = await new Validator().validate(document as Record<string, unknown>);
  expect(validity.errors ?? [], 'the OpenAPI document').toEqual([]);
  expect(validity.valid).toBe(true);
  // OpenAPI's own keywords (paths, servers…) are not JSON Schema: strict mode would refuse them.
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  return function expectMatches(schema: string, value: unknown): void {
    const validate = ajv.getSchema(`${DOCUMENT_ID}#/components/schemas/${schema}`);
    if (!validate) throw new Error(`no schema ${schema} in the OpenAPI document`);
    const ok = validate(value);
    expect(validate.errors ?? [], `${schema}: ${JSON.stringify(value).slice(0, 200)}`).toEqual([]);
    expect(ok).toBe(true);
  };
}
