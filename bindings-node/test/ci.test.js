// The strata-ci entry point: summary, reports, and exit codes agreeing with the CLI's
// --exit-code/--fail-on.
'use strict'

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const { formats } = require('strata')
const { target, cliRun, cliJson, stripVolatile, PACKAGE } = require('./helpers')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-ci-'))
const BIN = path.join(PACKAGE, 'bin', 'strata-ci.js')

function ci(...args) {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 })
}

for (const name of ['minbase.oci', 'layered.oci']) {
  for (const sev of ['critical', 'high', 'low']) {
    test(`strata-ci ${name} --fail-on ${sev} exits as strata --exit-code 1`, (t) => {
      const tgt = target('oci', name)
      if (!tgt) return t.skip(`${name} missing`)
      const json = path.join(tmp, `${name}-${sev}.json`)
      const r = ci(tgt, '--fail-on', sev, '--json', json, '--no-cache')
      const expected = cliRun('scan', tgt, '-f', 'json', '-q', '--no-cache', '--exit-code', '1', '--fail-on', sev)
      assert.equal(r.status, expected.status, r.stdout + r.stderr)
      assert.match(r.stdout, r.status === 1 ? /FAIL/ : /OK/)
      assert.match(r.stdout, /packages \d+/)
      assert.deepEqual(stripVolatile(JSON.parse(fs.readFileSync(json, 'utf8'))), stripVolatile(cliJson(tgt)))
    })
  }
}

test('the planted secrets of layered fail --fail-on high', (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  const high = cliJson(tgt).secrets.filter((s) => ['high', 'critical'].includes(s.severity)).length
  const r = ci(tgt, '--fail-on', 'high', '--no-cache')
  assert.equal(r.status, high > 0 ? 1 : 0, r.stdout)
  assert.ok(high > 0, 'layered.oci plants an AWS key and a GitHub token')
})

test('--sarif writes SARIF when the format exists, else exits 2', (t) => {
  const tgt = target('oci', 'minbase.oci')
  if (!tgt) return t.skip('minbase.oci missing')
  const out = path.join(tmp, 'out.sarif')
  const r = ci(tgt, '--fail-on', 'critical', '--sarif', out, '--no-cache')
  if (formats().includes('sarif')) {
    assert.notEqual(r.status, 2, r.stderr)
    assert.equal(JSON.parse(fs.readFileSync(out, 'utf8')).version, '2.1.0')
  } else {
    assert.equal(r.status, 2)
    assert.match(r.stderr, /SARIF/)
  }
})

test('errors and usage exit 2', () => {
  const missing = ci(path.join(tmp, 'absent.tar'), '--fail-on', 'high')
  assert.equal(missing.status, 2)
  assert.match(missing.stderr, /ENOENT/)
  assert.equal(ci().status, 2)
  assert.equal(ci('x', '--fail-on', 'severe').status, 2)
  assert.equal(ci('x', '--bogus').status, 2)
  assert.equal(ci('--help').status, 0)
})
