// Every error code, raised by real failures.
'use strict'

const test = require('node:test')
const assert = require('node:assert/strict')
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const crypto = require('node:crypto')

const { Scanner } = require('strata')
const { target } = require('./helpers')

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-node-err-'))
const scanner = new Scanner({ noCache: true })

test('a missing image is ENOENT with the cause chain', async () => {
  const missing = path.join(tmp, 'no-such-image.tar')
  await assert.rejects(scanner.scan(`docker-archive:${missing}`), (e) => {
    assert.ok(e instanceof Error)
    assert.equal(e.code, 'ENOENT')
    assert.equal(e.errno, -2)
    assert.match(e.message, /no-such-image\.tar/)
    assert.match(e.message, /No such file or directory/)
    return true
  })
  assert.throws(() => scanner.scanSync(missing), { code: 'ENOENT' })
})

test('a garbage file is ERR_STRATA_IMAGE', async () => {
  const garbage = path.join(tmp, 'garbage.tar')
  fs.writeFileSync(garbage, crypto.randomBytes(4096))
  await assert.rejects(scanner.scan(`docker-archive:${garbage}`), { code: 'ERR_STRATA_IMAGE' })
})

test('platforms: invalid string is ERR_STRATA_CONFIG, absent one ERR_STRATA_IMAGE', async (t) => {
  const tgt = target('oci', 'multiarch.oci')
  if (!tgt) return t.skip('multiarch.oci missing')
  await assert.rejects(scanner.scan(tgt, { platform: 'linux' }), { code: 'ERR_STRATA_CONFIG', message: /invalid platform/ })
  assert.throws(() => scanner.scanSync(tgt, { platform: 'linux' }), { code: 'ERR_STRATA_CONFIG' })
  await assert.rejects(scanner.scan(tgt, { platform: 'linux/s390x' }), { code: 'ERR_STRATA_IMAGE', message: /linux\/s390x/ })
})

test('a tiny limit is ERR_STRATA_LIMIT', async (t) => {
  const tgt = target('oci', 'minbase.oci')
  if (!tgt) return t.skip('minbase.oci missing')
  const tiny = new Scanner({ limits: { max_entries: 10 }, noCache: true })
  await assert.rejects(tiny.scan(tgt), { code: 'ERR_STRATA_LIMIT', message: /max entries/ })
})

test('bad options are ERR_STRATA_CONFIG', () => {
  assert.throws(() => new Scanner({ limits: { max_things: 1 } }), { code: 'ERR_STRATA_CONFIG', message: /unknown limit/ })
  assert.throws(() => new Scanner({ limits: { max_entries: 1.5 } }), { code: 'ERR_STRATA_CONFIG' })
  assert.throws(() => new Scanner({ scanners: ['telepathy'] }), { code: 'ERR_STRATA_CONFIG', message: /unknown scanner/ })
  assert.throws(() => new Scanner({ secretConfig: path.join(tmp, 'absent.yaml') }), { code: 'ERR_STRATA_CONFIG' })
})

test('an unreadable database is ERR_STRATA_DATABASE', () => {
  const bogus = path.join(tmp, 'bogus.db')
  fs.writeFileSync(bogus, 'not a strata database\n'.repeat(64))
  assert.throws(() => new Scanner({ db: bogus }), { code: 'ERR_STRATA_DATABASE', message: /database/ })
})
