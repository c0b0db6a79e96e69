// Scans of the real test images: identical to the CLI's JSON (and to Python's), progress,
// abort, responsiveness of the event loop.
'use strict'

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { spawnSync } = require('node:child_process')

const strata = require('strata')
const { Scanner, render, formats, scannerGroups } = strata
const { target, cliJson, cliRun, stripVolatile, PACKAGE } = require('./helpers')

const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-node-cache-'))
const scanner = new Scanner({ cacheDir })
const uncached = new Scanner({ noCache: true })

const SINGLE = [['oci', 'minbase.oci'], ['oci', 'layered.oci'], ['docker-archive', 'layered.tar']]

for (const [kind, name] of SINGLE) {
  test(`${kind}:${name} equals the CLI's JSON`, async (t) => {
    const tgt = target(kind, name)
    if (!tgt) return t.skip(`${name} missing: run scripts/build-test-images.sh`)
    const report = await scanner.scan(tgt)
    const expected = cliJson(tgt)
    assert.deepEqual(stripVolatile(report), stripVolatile(expected))
    assert.equal(report.target, tgt)
    assert.ok(report.packages.length > 90)
    assert.deepEqual(stripVolatile(scanner.scanSync(tgt)), stripVolatile(expected))
  })
}

test('an index gives one report per platform, as the CLI', async (t) => {
  const tgt = target('oci', 'multiarch.oci')
  if (!tgt) return t.skip('multiarch.oci missing')
  const out = await scanner.scan(tgt)
  assert.deepEqual(stripVolatile(out), stripVolatile(cliJson(tgt)))
  assert.deepEqual(out.platforms.map((r) => `${r.image.platform.os}/${r.image.platform.architecture}`).sort(), ['linux/386', 'linux/amd64'])
  assert.equal(out.summary.platforms, 2)
  const only = await scanner.scan(tgt, { platform: 'linux/386' })
  assert.deepEqual(stripVolatile(only), stripVolatile(cliJson(tgt, '--platform', 'linux/386')))
})

test('findings are identical to the Python binding', async (t) => {
  const python = process.env.STRATA_PYTHON
  if (!python) return t.skip('STRATA_PYTHON (a Python with the strata package) not set')
  for (const [kind, name] of [...SINGLE, ['oci', 'multiarch.oci']]) {
    const tgt = target(kind, name)
    if (!tgt) continue
    const py = spawnSync(python, ['-c', 'import sys, strata; print(strata.Scanner(no_cache=True).scan(sys.argv[1]).to_json())', tgt], { encoding: 'utf8', maxBuffer: 1 << 30 })
    assert.equal(py.status, 0, py.stderr)
    assert.deepEqual(stripVolatile(await scanner.scan(tgt)), stripVolatile(JSON.parse(py.stdout)))
  }
})

test('render() gives the CLI output of every format', async (t) => {
  const tgt = target('oci', 'minbase.oci')
  if (!tgt) return t.skip('minbase.oci missing')
  const report = await scanner.scan(tgt)
  assert.ok(formats().includes('json') && formats().includes('table'))
  assert.equal(render(report, 'table'), cliRun('scan', tgt, '-f', 'table', '-q', '--no-cache').stdout)
  assert.deepEqual(stripVolatile(JSON.parse(render(report, 'json'))), stripVolatile(cliJson(tgt)))
  for (const f of formats()) assert.ok(render(report, f).length > 0, f)
  assert.throws(() => render(report, 'no-such-format'), { code: 'ERR_STRATA_CONFIG', message: /unknown format/ })
  assert.throws(() => render({ nope: 1 }, 'json'), { code: 'ERR_STRATA_CONFIG', message: /not a strata report/ })
})

test('scanner groups', async (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  const onlyOs = new Scanner({ scanners: ['os'], noCache: true })
  assert.deepEqual(onlyOs.scanners, ['os'])
  const report = await onlyOs.scan(tgt)
  assert.deepEqual(stripVolatile(report), stripVolatile(cliJson(tgt, '--scanners', 'os')))
  assert.equal(report.secrets.length, 0)
  assert.ok(scannerGroups().includes('os'))
})

test('the event loop keeps running during a scan', async (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  let ticks = 0
  let done = false
  const timer = setInterval(() => { ticks++ }, 1)
  const seenAtEvents = []
  const report = await uncached.scan(tgt, { onProgress: () => seenAtEvents.push(ticks) }).finally(() => { done = true; clearInterval(timer) })
  assert.ok(done && report.packages.length > 0)
  // Timer callbacks ran between progress events, i.e. while the scan was running.
  assert.ok(seenAtEvents[seenAtEvents.length - 1] > seenAtEvents[0], `ticks at events: ${seenAtEvents}`)
})

test('progress events arrive in order before the promise settles', async (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  const events = []
  const report = await uncached.scan(tgt, { onProgress: (e) => events.push(e) })
  const kinds = events.map((e) => e.event)
  assert.equal(kinds[0], 'image_started')
  assert.equal(kinds[kinds.length - 1], 'image_finished')
  assert.ok(kinds.includes('analyzing'))
  assert.equal(events[0].layers, report.image.layers.length)
  const started = events.filter((e) => e.event === 'layer_started')
  assert.deepEqual(started.map((e) => e.index).sort(), [0, 1, 2, 3])
  assert.deepEqual(Object.fromEntries(started.map((e) => [e.index, e.digest])), Object.fromEntries(report.image.layers.map((l) => [l.index, l.digest])))
})

test('a throwing progress callback cancels the scan and rejects with its error', async (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  const boom = new Error('from the callback')
  const kinds = []
  await assert.rejects(uncached.scan(tgt, {
    onProgress: (e) => {
      kinds.push(e.event)
      if (e.event === 'layer_started') throw boom
    },
  }), (e) => e === boom)
  // Events are delivered asynchronously: the callback may see a few more before the
  // cancellation lands, never the end of the scan.
  assert.ok(!kinds.includes('image_finished'), kinds.join(','))
})

test('an AbortSignal stops a running scan', async (t) => {
  const tgt = target('oci', 'layered.oci')
  if (!tgt) return t.skip('layered.oci missing')
  const ac = new AbortController()
  const kinds = []
  await assert.rejects(uncached.scan(tgt, {
    signal: ac.signal,
    onProgress: (e) => {
      kinds.push(e.event)
      if (e.event === 'layer_started') ac.abort()
    },
  }), { code: 'ERR_STRATA_CANCELLED', message: /cancelled/ })
  assert.ok(!kinds.includes('image_finished'))
})

test('an aborted signal cancels before the scan starts', async (t) => {
  const tgt = target('oci', 'minbase.oci')
  if (!tgt) return t.skip('minbase.oci missing')
  await assert.rejects(uncached.scan(tgt, { signal: AbortSignal.abort() }), { code: 'ERR_STRATA_CANCELLED' })
  // The same signal object can be reused after a scan that was not aborted.
  const ac = new AbortController()
  const a = await scanner.scan(tgt, { signal: ac.signal })
  assert.ok(a.packages.length > 0)
})

test('require and ESM import both expose the binding', () => {
  const esm = spawnSync(process.execPath, ['--input-type=module', '-e',
    "import { Scanner, formats } from 'strata'; import def from 'strata'; " +
    "if (typeof Scanner !== 'function' || def.Scanner !== Scanner || !formats().includes('json')) process.exit(3)"], { cwd: PACKAGE, encoding: 'utf8' })
  assert.equal(esm.status, 0, esm.stderr)
  assert.equal(typeof strata.Scanner, 'function')
  assert.equal(strata.version(), require('../package.json').version)
})
