// Shared helpers of the Node tests: the real test images and the CLI's reports.
'use strict'

const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const { execFileSync, spawnSync } = require('node:child_process')

const REPO = path.resolve(__dirname, '..', '..')
const IMAGES = process.env.STRATA_IMAGES || path.join(os.homedir(), '.cache', 'strata-images')
const TARGET_DIR = process.env.CARGO_TARGET_DIR || path.join(REPO, 'target')
const PACKAGE = path.resolve(__dirname, '..')

/** `oci:` / `docker-archive:` target of a test image, or null when it was not built. */
function target(kind, name) {
  const p = path.join(IMAGES, name)
  return fs.existsSync(p) ? `${kind}:${p}` : null
}

let cliPath = null
/** The release CLI (`$STRATA_CLI`, or built into `$CARGO_TARGET_DIR`). */
function cli() {
  if (cliPath) return cliPath
  cliPath = process.env.STRATA_CLI || path.join(TARGET_DIR, 'release', 'strata')
  if (!fs.existsSync(cliPath)) {
    execFileSync('cargo', ['build', '--release', '-p', 'strata-cli', '--manifest-path', path.join(REPO, 'Cargo.toml')], { stdio: 'inherit' })
  }
  return cliPath
}

const cliCache = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-node-cli-'))
const memo = new Map()
/** `strata scan TARGET -f json ARGS...`, parsed. */
function cliJson(t, ...args) {
  const key = JSON.stringify([t, ...args])
  if (!memo.has(key)) {
    const out = execFileSync(cli(), ['scan', t, '-f', 'json', '-q', '--cache-dir', cliCache, ...args], { maxBuffer: 1 << 30 })
    memo.set(key, JSON.parse(out))
  }
  return memo.get(key)
}

/** Runs the CLI and returns its exit status and stdout. */
function cliRun(...args) {
  const r = spawnSync(cli(), args, { maxBuffer: 1 << 30, encoding: 'utf8' })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A report without the figures that depend on the run (time, cache hits). */
function stripVolatile(report) {
  if (report.platforms) return { ...report, platforms: report.platforms.map(stripVolatile) }
  const { stats, ...rest } = report
  return rest
}

module.exports = { REPO, IMAGES, PACKAGE, target, cli, cliJson, cliRun, stripVolatile }
