#!/usr/bin/env node
// strata-ci: scan an image in CI, print a summary, write reports, and fail the job when a
// finding is at or above a severity.
//
//   strata-ci TARGET [--fail-on SEVERITY] [--sarif FILE] [--json FILE] [--platform P]
//                    [--db FILE | --no-db] [--no-cache] [--quiet]
//
// Exit codes: 0 no finding at or above the threshold, 1 findings at or above it, 2 error.
'use strict'

const fs = require('node:fs')
const { Scanner, render, formats } = require('..')

const SEVERITIES = ['unknown', 'low', 'medium', 'high', 'critical']
const USAGE = `usage: strata-ci TARGET [--fail-on ${SEVERITIES.join('|')}] [--sarif FILE] [--json FILE]
                 [--platform OS/ARCH] [--db FILE | --no-db] [--no-cache] [--quiet]`

function parseArgs(argv) {
  const opts = { failOn: 'high', sarif: null, json: null, platform: null, db: undefined, noCache: false, quiet: false }
  const positional = []
  const takes = { '--fail-on': 'failOn', '--sarif': 'sarif', '--json': 'json', '--platform': 'platform', '--db': 'db' }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, null]
    if (flag in takes) {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new UsageError(`${flag} needs a value`)
      opts[takes[flag]] = value
    } else if (flag === '--no-db') {
      opts.db = false
    } else if (flag === '--no-cache') {
      opts.noCache = true
    } else if (flag === '--quiet' || flag === '-q') {
      opts.quiet = true
    } else if (flag === '--help' || flag === '-h') {
      opts.help = true
    } else if (flag.startsWith('-') && flag !== '-') {
      throw new UsageError(`unknown option ${flag}`)
    } else {
      positional.push(arg)
    }
  }
  if (opts.help) return opts
  if (positional.length !== 1) throw new UsageError('expected exactly one TARGET')
  opts.target = positional[0]
  opts.failOn = opts.failOn.toLowerCase()
  if (!SEVERITIES.includes(opts.failOn)) throw new UsageError(`unknown severity ${JSON.stringify(opts.failOn)}`)
  return opts
}

class UsageError extends Error {}

const rank = (sev) => Math.max(0, SEVERITIES.indexOf(sev))

/** Severities of the findings counted by --fail-on (as the CLI's --exit-code counts them). */
function severities(report) {
  return [
    ...report.vulnerabilities.filter((v) => v.status !== 'not_affected').map((v) => v.severity),
    ...report.secrets.map((s) => s.severity),
    ...report.malware.map((m) => m.severity),
    ...report.misconfigurations.map((m) => m.severity),
    ...report.compliance.map((c) => c.severity),
  ]
}

function summarize(report, threshold) {
  const bySeverity = {}
  for (const v of report.vulnerabilities) bySeverity[v.severity] = (bySeverity[v.severity] ?? 0) + 1
  const vulnDetail = SEVERITIES.slice().reverse().filter((s) => bySeverity[s]).map((s) => `${s} ${bySeverity[s]}`).join(', ')
  const platform = report.image.platform ? ` (${report.image.platform.os}/${report.image.platform.architecture}${report.image.platform.variant ? '/' + report.image.platform.variant : ''})` : ''
  const failing = severities(report).filter((s) => rank(s) >= rank(threshold)).length
  const lines = [
    `${report.target}${platform}${report.image.os ? ': ' + report.image.os.name + ' ' + report.image.os.version : ''}`,
    `  packages ${report.packages.length}, vulnerabilities ${report.vulnerabilities.length}${vulnDetail ? ' (' + vulnDetail + ')' : ''}, ` +
      `secrets ${report.secrets.length}, malware ${report.malware.length}, misconfigurations ${report.misconfigurations.length}, compliance ${report.compliance.length}`,
    `  ${failing} finding(s) at or above ${threshold}`,
  ]
  return { lines, failing }
}

async function main(argv) {
  let opts
  try {
    opts = parseArgs(argv)
  } catch (e) {
    if (!(e instanceof UsageError)) throw e
    process.stderr.write(`strata-ci: ${e.message}\n${USAGE}\n`)
    return 2
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`)
    return 0
  }
  if (opts.sarif && !formats().includes('sarif')) {
    process.stderr.write('strata-ci: --sarif: this build of strata has no SARIF format yet (use --json)\n')
    return 2
  }
  let output
  try {
    const scanner = new Scanner({ db: opts.db, noCache: opts.noCache })
    output = await scanner.scan(opts.target, { platform: opts.platform ?? undefined })
  } catch (e) {
    process.stderr.write(`strata-ci: error: cannot scan ${opts.target}: ${e.message}${e.code ? ` [${e.code}]` : ''}\n`)
    return 2
  }
  if (opts.json) fs.writeFileSync(opts.json, render(output, 'json'))
  if (opts.sarif) fs.writeFileSync(opts.sarif, render(output, 'sarif'))
  const reports = output.platforms ?? [output]
  let failing = 0
  for (const report of reports) {
    const s = summarize(report, opts.failOn)
    failing += s.failing
    if (!opts.quiet) process.stdout.write(s.lines.join('\n') + '\n')
  }
  process.stdout.write(failing > 0 ? `strata-ci: FAIL: ${failing} finding(s) at or above ${opts.failOn}\n` : `strata-ci: OK: no finding at or above ${opts.failOn}\n`)
  return failing > 0 ? 1 : 0
}

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code },
  (e) => { process.stderr.write(`strata-ci: internal error: ${e && e.stack ? e.stack : e}\n`); process.exitCode = 2 },
)
