/**
 * The files generated from the option spec are up to date: each one, rendered from src/spec and
 * formatted, equals what is committed. Fails after a spec change that was not followed by
 * `npm run generate`, or after a hand edit of a generated file or region.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generatedText } from '../../scripts/generate.ts';
import { GENERATED_FILES } from '../../src/spec/generatedFiles.ts';
import { replaceRegion } from '../../src/spec/renderRegions.ts';

for (const { path, render } of GENERATED_FILES) {
  test(`${path} is what npm run generate writes`, () => {
    const { current, next } = generatedText(path, render);
    assert.ok(current === next, `${path} is stale: run npm run generate (and commit the result)`);
  });
}

test('a hand edit inside a generated region is undone; text around it is kept', () => {
  const text = 'intro\n<!-- inputs:start -->\n| edited by hand |\n<!-- inputs:end -->\noutro\n';
  assert.equal(
    replaceRegion(text, 'inputs', 'fresh'),
    'intro\n<!-- inputs:start -->\nfresh\n<!-- inputs:end -->\noutro\n',
  );
  assert.throws(
    () => replaceRegion('no markers', 'inputs', 'x'),
    /markers of the generated region "inputs" are missing/,
  );
});
