// Checks docs/openapi.yaml (or the files named on the command line) against the OpenAPI schema of
// its version (3.1: @seriousme/openapi-schema-validator, which reads YAML itself) and that every
// $ref in it points at something. Prints each problem with where it is; exits 1 if there is one.
// `npm run openapi`; scripts/test.sh runs it, so `make test` fails on an invalid description.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Validator } from '@seriousme/openapi-schema-validator';

export const SPEC = fileURLToPath(new URL('../../docs/openapi.yaml', import.meta.url));

// The problems of one description given as YAML or JSON text: an empty list when it is valid.
export async function openapiProblems(text) {
  const validator = new Validator({ allErrors: true });
  const result = await validator.validate(text);
  if (!result.valid) {
    const errors = Array.isArray(result.errors) ? result.errors : [{ message: String(result.errors) }];
    return errors.map((e) => {
      const where = e.instancePath ? decodePointer(e.instancePath) : '(document)';
      const extra = e.params?.unevaluatedProperty ?? e.params?.additionalProperty;
      return `${where}: ${e.message}${extra ? ` (${extra})` : ''}`;
    });
  }
  try {
    validator.resolveRefs();
  } catch (e) {
    return [`$ref: ${e.message}`];
  }
  return [];
}

// The problems of a description in a file (docs/openapi.yaml when none is named).
export function openapiFileProblems(file = SPEC) {
  return openapiProblems(readFileSync(file, 'utf8'));
}

// "/paths/~1api~1v1~1x/get" -> "paths./api/v1/x.get"
function decodePointer(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join(' › ');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const files = process.argv.length > 2 ? process.argv.slice(2) : [SPEC];
  let bad = 0;
  for (const file of files) {
    const problems = await openapiFileProblems(file);
    if (problems.length === 0) {
      console.log(`${file}: valid OpenAPI`);
      continue;
    }
    bad += 1;
    console.error(`${file}: not valid OpenAPI (${problems.length} problem${problems.length === 1 ? '' : 's'})`);
    for (const p of [...new Set(problems)]) console.error(`  ${p}`);
  }
  process.exit(bad ? 1 : 0);
}
