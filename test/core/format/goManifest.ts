/**
 * The real Go encoding/json as an independent reader of manifest.json (docs/format.md §1): the struct a Go
 * consumer declares, built into small stdlib-only programs. Tests fail (never skip) without Go.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseExact, tempDir } from '../../helpers.ts';

/**
 * The consumer's struct: the nine json tags; `int` (int64 on the 64-bit machines the fleet runs)
 * for the two model versions, so negative values are legal; `uint64` for control_version.
 */
export const GO_MANIFEST_STRUCT = `type Manifest struct {
	Kind                 string \`json:"kind"\`
	Format               string \`json:"format"\`
	Checksum             string \`json:"checksum"\`
	ControlModelVersion  int    \`json:"control_model_version"\`
	CacheSchemaVersion   int    \`json:"cache_schema_version"\`
	ControlVersion       uint64 \`json:"control_version"\`
	CreatedAt            string \`json:"created_at"\`
	SourceChassisVersion string \`json:"source_chassis_version"\`
	DbMigrationVersion   string \`json:"db_migration_version"\`
}
`;

const built = new Map<string, string>();

/** Compiles `source` (package main, stdlib only) once per test process; returns the binary. */
export function buildGoProgram(source: string): string {
  const cached = built.get(source);
  if (cached) return cached;
  const version = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (version.error || version.status !== 0) {
    assert.fail(
      `Go is not installed (${version.error?.message ?? version.stderr}); install it with: apt-get install -y golang-go`,
    );
  }
  const dir = tempDir('snapshot-go-');
  const src = join(dir, 'src');
  mkdirSync(src);
  writeFileSync(join(src, 'go.mod'), 'module manifestcheck\n\ngo 1.19\n');
  writeFileSync(join(src, 'main.go'), source);
  const binary = join(dir, 'manifestcheck');
  const env = {
    PATH: process.env.PATH,
    HOME: dir,
    GOPATH: join(dir, 'gopath'),
    GOCACHE: join(dir, 'gocache'),
    GOTOOLCHAIN: 'local',
    GOPROXY: 'off',
    GOFLAGS: '',
    CGO_ENABLED: '0',
  };
  const result = spawnSync('go', ['build', '-o', binary, '.'], { cwd: src, env, encoding: 'utf8' });
  assert.equal(result.status, 0, `go build failed: ${result.stderr}`);
  built.set(source, binary);
  return binary;
}

/**
 * Judges many manifests in one Go process. A manifest is accepted when it is one JSON value
 * (json.Valid: no BOM, no trailing data), decodes into the struct with DisallowUnknownFields, and
 * its created_at parses as RFC 3339 and prints back unchanged in UTC. The decoded struct comes
 * back re-encoded, so the caller can compare Go's values with its own.
 */
const JUDGE_MAIN = `package main

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"io"
	"os"
	"time"
)

${GO_MANIFEST_STRUCT}
type verdict struct {
	OK       bool      \`json:"ok"\`
	Error    string    \`json:"error,omitempty"\`
	Manifest *Manifest \`json:"manifest,omitempty"\`
}

func judge(data []byte) verdict {
	if !json.Valid(data) {
		return verdict{Error: "not one valid JSON value"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var m Manifest
	if err := dec.Decode(&m); err != nil {
		return verdict{Error: err.Error()}
	}
	if _, err := dec.Token(); err != io.EOF {
		return verdict{Error: "trailing data"}
	}
	t, err := time.Parse(time.RFC3339, m.CreatedAt)
	if err != nil {
		return verdict{Error: err.Error()}
	}
	if t.UTC().Format("2006-01-02T15:04:05Z") != m.CreatedAt {
		return verdict{Error: "created_at is not UTC with seconds"}
	}
	return verdict{OK: true, Manifest: &m}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<28)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		data, err := base64.StdEncoding.DecodeString(in.Text())
		if err != nil {
			panic(err)
		}
		if err := enc.Encode(judge(data)); err != nil {
			panic(err)
		}
	}
	if err := in.Err(); err != nil {
		panic(err)
	}
}
`;

export interface GoVerdict {
  ok: boolean;
  error?: string;
  /** The decoded struct as Go re-encodes it, integers read exactly (bigint). */
  manifest?: Record<string, string | bigint>;
}

/** One Go run for the whole batch: each input is one manifest.json's bytes. */
export function judgeWithGo(inputs: readonly Uint8Array[]): GoVerdict[] {
  const stdin = inputs.map((bytes) => `${Buffer.from(bytes).toString('base64')}\n`).join('');
  const run = spawnSync(buildGoProgram(JUDGE_MAIN), [], { input: stdin, encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(run.status, 0, `the Go judge failed: ${run.stderr}`);
  const lines = run.stdout.split('\n').filter((line) => line !== '');
  assert.equal(lines.length, inputs.length, 'one Go verdict per manifest');
  return lines.map((line) => parseExact(line) as GoVerdict);
}
