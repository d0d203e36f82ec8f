/** One variable-length region, as SHOW MEMORY/POOL/FULL reports it. */
export interface VariableRegionStatistics {
  readonly name: string
  readonly currentBytes: number
  readonly initialBytes: number
  readonly maximumBytes: number
  readonly freeBytes: number
  readonly inUseBytes: number
  readonly largestFreeBlock: number
  readonly smallestFreeBlock: number
  readonly freeBlocks: number
  readonly freeBlocksUpTo32Bytes: number
  /** Blocks handed out and not returned. */
  readonly liveBlocks: number
  /** 1 - largest free block / free bytes: 0 when all free space is one block. */
  readonly fragmentation: number
}

/** One lookaside list, as SHOW MEMORY/POOL/FULL reports it. */
export interface LookasideStatistics {
  readonly name: string
  /** Packet size and upper bound on the request size it serves. */
  readonly packetSize: number
  /** Lower bound on a request served from this list. */
  readonly lowerBound: number
  readonly packets: number
  readonly initialPackets: number
  readonly maximumPackets: number
  readonly freePackets: number
  readonly inUsePackets: number
  readonly currentBytes: number
  readonly maximumBytes: number
}

/** Event counts since the pool was created. */
export interface PoolCounters {
  readonly allocations: number
  readonly deallocations: number
  /** Requests answered SS$_INSFMEM. */
  readonly failures: number
  /** Pages added by expansion, all regions together. */
  readonly expansionPages: number
}

export interface NonpagedPoolStatistics extends PoolCounters {
  readonly srp: LookasideStatistics
  readonly irp: LookasideStatistics
  readonly lrp: LookasideStatistics
  readonly variable: VariableRegionStatistics
}

const PAGE = 512

function row(label: string, ...columns: (number | string)[]): string {
  return `    ${label.padEnd(40)}${columns.map((c) => String(c).padStart(12)).join('')}`
}

function lookasideSection(title: string, parameter: string, s: LookasideStatistics): string[] {
  const pages = (bytes: number) => Math.ceil(bytes / PAGE)
  return [
    `${title.padEnd(44)}${'Packets'.padStart(12)}${'Bytes'.padStart(12)}${'Pages'.padStart(12)}`,
    row('Current Total Size', s.packets, s.packets * s.packetSize, pages(s.currentBytes)),
    row(
      `Initial Size (${parameter}COUNT)`,
      s.initialPackets,
      s.initialPackets * s.packetSize,
      pages(s.initialPackets * s.packetSize),
    ),
    row(
      `Maximum Size (${parameter}COUNTV)`,
      s.maximumPackets,
      s.maximumPackets * s.packetSize,
      pages(s.maximumBytes),
    ),
    row('Free Space', s.freePackets, s.freePackets * s.packetSize),
    row('Space in Use', s.inUsePackets, s.inUsePackets * s.packetSize),
    row('Packet Size/Upper Bound', '', s.packetSize),
    row('Lower Bound on Allocation', '', s.lowerBound),
  ]
}

/** Formats a variable region like the "Dynamic Memory" part of SHOW MEMORY/POOL/FULL. */
export function formatVariableRegion(
  title: string,
  parameters: [string, string],
  s: VariableRegionStatistics,
): string {
  const pair = (l1: string, v1: number, l2: string, v2: number) =>
    `    ${l1.padEnd(28)}${String(v1).padStart(10)}    ${l2.padEnd(28)}${String(v2).padStart(10)}`
  return [
    title,
    pair('Current Size (bytes)', s.currentBytes, 'Current Size (pages)', s.currentBytes / PAGE),
    pair(
      `Initial Size (${parameters[0]})`,
      s.initialBytes,
      'Initial Size (pages)',
      s.initialBytes / PAGE,
    ),
    pair(
      `Maximum Size (${parameters[1]})`,
      s.maximumBytes,
      'Maximum Size (pages)',
      s.maximumBytes / PAGE,
    ),
    pair('Free Space (bytes)', s.freeBytes, 'Space in Use (bytes)', s.inUseBytes),
    pair(
      'Size of Largest Block',
      s.largestFreeBlock,
      'Size of Smallest Block',
      s.smallestFreeBlock,
    ),
    pair(
      'Number of Free Blocks',
      s.freeBlocks,
      'Free Blocks LEQU 32 Bytes',
      s.freeBlocksUpTo32Bytes,
    ),
    `    ${'Fragmentation'.padEnd(28)}${`${(s.fragmentation * 100).toFixed(1)}%`.padStart(10)}`,
  ].join('\n')
}

/** The nonpaged part of SHOW MEMORY/POOL/FULL, as plain text. */
export function formatNonpagedPoolStatistics(s: NonpagedPoolStatistics): string {
  return [
    ...lookasideSection('Small Packet (SRP) Lookaside List', 'SRP', s.srp),
    '',
    ...lookasideSection('I/O Request Packet (IRP) Lookaside List', 'IRP', s.irp),
    '',
    ...lookasideSection('Large Packet (LRP) Lookaside List', 'LRP', s.lrp),
    '',
    formatVariableRegion('Nonpaged Dynamic Memory', ['NPAGEDYN', 'NPAGEVIR'], s.variable),
    '',
    `    Allocations ${s.allocations}, deallocations ${s.deallocations}, failures (SS$_INSFMEM) ${s.failures}, pages added by expansion ${s.expansionPages}`,
  ].join('\n')
}
