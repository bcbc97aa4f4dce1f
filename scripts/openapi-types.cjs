// Reads an OpenAPI document (JSON) on stdin, writes the openapi-typescript types for openapi-fetch on stdout.
// Plain Node on purpose: openapi-typescript loads ES modules that jest's CommonJS runtime cannot, so the build
// (scripts/openapi.ts) and the staleness test (test/openapi-client.spec.ts) both run this same file.
const openapiTS = require('openapi-typescript');

const NOTE = '// Regenerate with `npm run openapi:client` (the build does it too); test/openapi-client.spec.ts fails when it is stale.\n';

async function main() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const ast = await openapiTS.default(JSON.parse(Buffer.concat(chunks).toString('utf8')));
  process.stdout.write(openapiTS.COMMENT_HEADER + NOTE + openapiTS.astToString(ast));
}

main().catch((error) => {
  console.error(`openapi-types: ${error.message}`);
  process.exit(1);
});
