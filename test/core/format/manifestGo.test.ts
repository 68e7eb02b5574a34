/**
 * docs/format.md §1: Go consumers unmarshal manifest.json into a typed struct (control_version is a uint64).
 * A tiny stdlib-only Go program decodes our manifest strictly and prints it back. (The
 * differential test against Go, edge cases and mutations, is manifestStrict.test.ts.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { buildSnapshot } from '../../../src/core/build/build.ts';
import { verifySnapshot } from '../../../src/core/verify/verify.ts';
import { parseExact, sqlite3, tempDir } from '../../helpers.ts';
import { buildGoProgram, GO_MANIFEST_STRUCT } from './goManifest.ts';

const GO_MAIN = `package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"
)

${GO_MANIFEST_STRUCT}
func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, format+"\\n", args...)
	os.Exit(1)
}

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		fail("open: %v", err)
	}
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		fail("decode: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		fail("trailing data after the manifest object")
	}
	t, err := time.Parse(time.RFC3339, m.CreatedAt)
	if err != nil {
		fail("created_at: %v", err)
	}
	_, offset := t.Zone()
	out, _ := json.Marshal(struct {
		Manifest      Manifest \`json:"manifest"\`
		CreatedAtUnix int64    \`json:"created_at_unix"\`
		UTCOffset     int      \`json:"utc_offset"\`
	}{m, t.Unix(), offset})
	fmt.Println(string(out))
}
`;

function readWithGo(manifestPath: string): { ok: boolean; stdout: string; stderr: string } {
  const run = spawnSync(buildGoProgram(GO_MAIN), [manifestPath], { encoding: 'utf8' });
  return { ok: run.status === 0, stdout: run.stdout, stderr: run.stderr };
}

async function buildArtifact(controlVersion: bigint): Promise<string> {
  const dir = tempDir();
  const db = join(dir, 'fixture.db');
  sqlite3(db, "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y');");
  const outDir = join(dir, 'out');
  await buildSnapshot({
    database: db,
    outDir,
    controlModelVersion: 7n,
    cacheSchemaVersion: 3n,
    controlVersion,
    dbMigrationVersion: '20260101120000',
    sourceVersion: 'f38901d8d375d4d8d337dd62af249d2f74f38ead',
    env: { SOURCE_DATE_EPOCH: '1798776334' },
  });
  return outDir;
}

test('Go encoding/json (DisallowUnknownFields) reads the manifest and every value round-trips exactly', async () => {
  for (const controlVersion of [18446744073709551615n, 9007199254740993n, 0n]) {
    const outDir = await buildArtifact(controlVersion);
    const manifestPath = join(outDir, 'manifest.json');
    const run = readWithGo(manifestPath);
    assert.ok(run.ok, `Go could not read the manifest: ${run.stderr}`);
    const back = parseExact(run.stdout) as { manifest: Record<string, unknown>; created_at_unix: bigint };
    const ours = parseExact(readFileSync(manifestPath, 'utf8'));
    assert.deepEqual(back.manifest, {
      kind: 'bootstrap.sqlite.dump',
      format: 'sqlite3dump.sql',
      checksum: ours.checksum,
      control_model_version: 7n,
      cache_schema_version: 3n,
      control_version: controlVersion,
      created_at: '2027-01-01T04:05:34Z',
      source_chassis_version: 'f38901d8d375d4d8d337dd62af249d2f74f38ead',
      db_migration_version: '20260101120000',
    });
    assert.match(run.stdout, new RegExp(`"control_version":${controlVersion},`), 'Go printed the exact uint64');
    assert.equal(back.created_at_unix, 1798776334n, 'time.Parse(time.RFC3339) gives SOURCE_DATE_EPOCH back');
    assert.equal((back as unknown as { utc_offset: bigint }).utc_offset, 0n, 'created_at is UTC');
  }
});

test('what Go refuses to unmarshal, verify refuses too (and the Go reader is really strict)', async () => {
  const outDir = await buildArtifact(5n);
  const manifestPath = join(outDir, 'manifest.json');
  const good = readFileSync(manifestPath, 'utf8');
  const variants: [string, string][] = [
    ['control_version as a string', good.replace('"control_version": 5,', '"control_version": "5",')],
    ['control_version above uint64', good.replace('"control_version": 5,', '"control_version": 18446744073709551616,')],
    ['negative control_version', good.replace('"control_version": 5,', '"control_version": -1,')],
    ['control_version -0', good.replace('"control_version": 5,', '"control_version": -0,')],
    ['control_model_version 1.5', good.replace('"control_model_version": 7,', '"control_model_version": 1.5,')],
    ['control_model_version 7.0', good.replace('"control_model_version": 7,', '"control_model_version": 7.0,')],
    ['an unknown field', good.replace('{\n', '{\n  "extra": 1,\n')],
    ['created_at not RFC 3339', good.replace('"2027-01-01T04:05:34Z"', '"2027-01-01 04:05:34"')],
  ];
  for (const [what, text] of variants) {
    assert.notEqual(text, good, `${what}: the tamper applied`);
    writeFileSync(manifestPath, text);
    const go = readWithGo(manifestPath);
    assert.equal(go.ok, false, `${what}: Go should reject it`);
    const report = await verifySnapshot(outDir);
    assert.equal(report.ok, false, `${what}: verify should reject what Go rejects`);
  }
  writeFileSync(manifestPath, good);
  assert.ok(readWithGo(manifestPath).ok);
  assert.ok((await verifySnapshot(outDir)).ok);
});
