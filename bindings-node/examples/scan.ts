// A typed example, checked by `tsc --noEmit -p examples` (no emit, no run).
import { Scanner, render, formats, type Report, type ScanOutput, type ProgressEvent, type Severity } from 'strata'

const order: Severity[] = ['unknown', 'low', 'medium', 'high', 'critical']

function reports(out: ScanOutput): Report[] {
  return 'platforms' in out ? out.platforms : [out]
}

export async function main(target: string): Promise<number> {
  const scanner = new Scanner({ noCache: true, limits: { max_entries: 1_000_000 }, scanners: ['os', 'secret'] })
  const ac = new AbortController()
  const out = await scanner.scan(target, {
    signal: ac.signal,
    onProgress: (e: ProgressEvent) => {
      if (e.event === 'layer_started') console.error(`layer ${e.index} ${e.digest}`)
    },
  })
  for (const r of reports(out)) {
    console.log(r.image.os?.name ?? 'unknown OS', r.packages.length, 'packages')
    for (const v of r.vulnerabilities) {
      if (order.indexOf(v.severity) >= order.indexOf('high')) console.log(v.id, v.package, v.fixed_version ?? '-')
    }
    for (const s of r.secrets) console.log(s.rule_id, s.path, s.layer_index, s.removed_in_layer)
  }
  if (formats().includes('table')) console.log(render(out, 'table'))
  try {
    scanner.scanSync('/no/such/image')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
  }
  return 0
}
