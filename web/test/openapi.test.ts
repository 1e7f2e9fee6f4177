// docs/openapi.yaml against the OpenAPI 3.1 schema (scripts/validate-openapi.mjs, which
// scripts/test.sh also runs): the shipped description is valid, and the check does catch the
// mistakes a hand-written YAML description makes.
import { describe, expect, it } from 'vitest';
import { openapiFileProblems, openapiProblems } from '../scripts/validate-openapi.mjs';

const spec = (paths: string, components = '') => `openapi: 3.1.0
info: {title: t, version: '1'}
paths:
${paths}
${components}`;

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 description whose every $ref resolves', async () => {
    expect(await openapiFileProblems()).toEqual([]);
  });

  it('a small valid description passes', async () => {
    const ok = spec(
      "  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Ok'}",
      'components:\n  responses:\n    Ok: {description: fine}',
    );
    expect(await openapiProblems(ok)).toEqual([]);
  });

  it('an unquoted description with commas in a flow mapping is caught, with where it is', async () => {
    // YAML reads {description: a, b} as two keys: "description" and "b".
    const bad = spec("  /x:\n    get:\n      responses:\n        '200': {description: report with ok, entries}");
    const problems = await openapiProblems(bad);
    expect(problems.join('\n')).toContain('paths › /x › get › responses › 200');
    expect(problems.join('\n')).toContain('entries');
  });

  it('a $ref to nothing is caught', async () => {
    const bad = spec("  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}");
    expect((await openapiProblems(bad)).join('\n')).toContain('#/components/responses/Missing');
  });

  it('a missing required field is caught', async () => {
    expect(await openapiProblems('openapi: 3.1.0\npaths: {}\n')).not.toEqual([]);
  });
});
