// Hand-written TypeScript types of the Strata JSON report (schema_version 1), the options of
// `Scanner.scan`, and the progress events. They mirror core/src/{report,finding,image}.rs:
// field names are those of the JSON report; optional fields are omitted from the JSON when
// empty.

/** Severity of a finding, from least to most severe. */
export type Severity = 'unknown' | 'low' | 'medium' | 'high' | 'critical'

/** Package ecosystem. */
export type Ecosystem =
  | 'deb' | 'rpm' | 'apk' | 'maven' | 'pypi' | 'npm' | 'golang' | 'cargo' | 'composer' | 'gem' | 'nuget' | 'binary'

/** Where a finding was found: the file (virtual `outer!/inner` for archive members) and the layer. */
export interface Origin {
  path: string
  real_path?: string
  layer?: string
  layer_index?: number
  /** Set when a later layer deleted the file (it still ships in the image's blobs). */
  removed_in_layer?: number
}

/** An installed package. */
export interface Package extends Origin {
  name: string
  version: string
  ecosystem: Ecosystem
  purl?: string
  cpe?: string
  arch?: string
  source_name?: string
  source_version?: string
  licenses?: string[]
  vendor?: string
  evidence?: string
  os_package?: string
  direct?: boolean
  properties?: Record<string, string>
  detector: string
}

/** A CVSS rating. */
export interface Cvss {
  source?: string
  vector?: string
  score?: number
}

/** Whether and how a vulnerability applies. */
export type VulnStatus = 'fixed' | 'affected' | 'will_not_fix' | 'fix_deferred' | 'not_affected' | 'end_of_life'

/** A vulnerability matched to an installed package. */
export interface Vulnerability extends Origin {
  id: string
  aliases?: string[]
  package: string
  version: string
  ecosystem: Ecosystem
  purl?: string
  fixed_version?: string
  status: VulnStatus
  severity: Severity
  cvss?: Cvss[]
  title?: string
  description?: string
  references?: string[]
  solution?: string
  known_exploited?: boolean
  data_source: string
}

/** A secret (never its value: `redacted` is masked). */
export interface Secret extends Origin {
  rule_id: string
  category: string
  title: string
  severity: Severity
  line?: number
  redacted: string
  fingerprint?: string
}

/** A malicious or known-bad file. */
export interface Malware extends Origin {
  name: string
  engine: string
  severity: Severity
  sha256?: string
  size: number
  description?: string
}

/** An unsafe setting. */
export interface Misconfiguration extends Origin {
  id: string
  category: string
  title: string
  severity: Severity
  message?: string
  resolution?: string
}

/** A software-compliance finding. */
export interface Compliance extends Origin {
  id: string
  title: string
  severity: Severity
  package?: string
}

/** Something skipped or odd during the scan. */
export interface Diagnostic {
  level: 'info' | 'warning' | 'error'
  code: string
  message: string
  layer?: string
  layer_index?: number
  path?: string
}

/** An image platform. */
export interface Platform {
  os: string
  architecture: string
  variant?: string
}

/** One layer, bottom = index 0. */
export interface LayerInfo {
  index: number
  digest: string
  diff_id: string
  size: number
  media_type?: string
  created_by?: string
}

/** Facts about the image. */
export interface ImageSection {
  digest: string | null
  config_digest?: string
  repo_tags?: string[]
  platform: Platform | null
  os: { family: string; name: string; version: string } | null
  layers: LayerInfo[]
}

/** File information of the merged filesystem. */
export interface FileSummary {
  count: number
  total_size: number
  directories: number
  symlinks: number
  largest: { path: string; size: number; layer_index: number }[]
  layers: { index: number; files: number; size: number; whiteouts: number; visible_files: number }[]
}

/** The base image. */
export interface BaseImage {
  name: string
  version: string
  layers: number
  evidence: string
}

/** Figures about the scan itself. */
export interface ScanStats {
  layers_read: number
  layers_cached: number
  bytes_read: number
  bytes_uncompressed: number
  entries: number
  bodies_read: number
  duration_ms: number
}

/** The report of one image (one platform). */
export interface Report {
  schema_version: number
  target: string
  image: ImageSection
  packages: Package[]
  vulnerabilities: Vulnerability[]
  secrets: Secret[]
  malware: Malware[]
  misconfigurations: Misconfiguration[]
  compliance: Compliance[]
  files: FileSummary | null
  base_image: BaseImage | null
  diagnostics: Diagnostic[]
  stats: ScanStats
}

/** Combined figures of a multi-platform scan. */
export interface Summary {
  platforms: number
  packages: number
  vulnerabilities: number
  secrets: number
  malware: number
  misconfigurations: number
  compliance: number
}

/** The report of an image index: one report per platform. */
export interface IndexReport {
  schema_version: number
  target: string
  digest: string | null
  platforms: Report[]
  summary: Summary
}

/** What `scan` resolves to: a `Report`, or an `IndexReport` (has `platforms`) for an index. */
export type ScanOutput = Report | IndexReport

/** A progress event. */
export type ProgressEvent =
  | { event: 'image_started'; platform: string | null; layers: number; total_bytes: number }
  | { event: 'layer_started'; index: number; digest: string; size: number }
  | { event: 'layer_bytes'; index: number; read: number }
  | { event: 'layer_finished'; index: number; cached: boolean }
  | { event: 'analyzing' }
  | { event: 'image_finished' }

/** Options of `Scanner.scanSync`. */
export interface ScanSyncOptions {
  /** Only this platform of an index (`linux/amd64`, `linux/arm/v7`). */
  platform?: string
}

/** Options of `Scanner.scan`. */
export interface ScanOptions extends ScanSyncOptions {
  /** Aborting it stops the scan (rejects with `code` `ERR_STRATA_CANCELLED`). The binding
   * sets the signal's `onabort` property. */
  signal?: AbortSignal
  /** Called on the main thread with each progress event; if it throws, the scan is
   * cancelled and the promise rejects with that error. */
  onProgress?: (event: ProgressEvent) => void
}

/** The `code` of errors thrown by the binding. */
export type StrataErrorCode =
  | 'ENOENT'
  | 'ERR_STRATA_IMAGE'
  | 'ERR_STRATA_DATABASE'
  | 'ERR_STRATA_LIMIT'
  | 'ERR_STRATA_CANCELLED'
  | 'ERR_STRATA_CONFIG'
  | 'ERR_STRATA'
