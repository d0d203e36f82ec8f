import { type Devt, DGVDMMIRRIOCTLPACKETVERSION0, DGVDMMIRRMAXIMAGES } from './constants'
import type { PacketLayout } from './packet'

/** `struct dgvdmmirrcreatepacket` (vdmmirr(7), DGVDMCREATEINSTANCE). */
export interface DgVdmMirrCreatePacket {
  version: number
  /** 1: synchronize automatically when the images are found inconsistent at reboot. */
  automaticsync: number
  /** Open fails with ENXIO below this many non-corrupt images; -1 turns the test off. */
  minimumimagesrequiredtouse: number
  /** Open and automatic sync refused when more images than this are missing; -1 turns the test off. */
  maximumimagesmissingtouse: number
  /** The pause between I/Os of an automatic synchronization. */
  millisecondsbetweensyncio: number
  /** How many elements of `imagedevicenumbers` are images. */
  numberofimages: number
  imagedevicenumbers: Devt[]
}

/** `struct dgvdmmirrgetchildpacket` (vdmmirr(7), DGVDMGETCHILDINSTANCE): all output. */
export interface DgVdmMirrGetChildPacket {
  version: number
  corrupt: number
  syncsource: number
  syncdest: number
  fractured: number
  /** For a destination: the block being synchronized. */
  syncblock: number
  /** For a fractured image: the width of the monitored groups (0: not monitored). */
  changegranularity: number
  /** For a destination: the source image (NODEV otherwise). */
  sourceimage: Devt
}

/** `struct dgvdmmirrgetpacket` (vdmmirr(7), DGVDMGETATTRIBUTES): all output. */
export interface DgVdmMirrGetPacket {
  version: number
  automaticsync: number
  syncinprogress: number
  minimumimagesrequiredtouse: number
  maximumimagesmissingtouse: number
  millisecondsbetweensyncio: number
}

/** `struct dgvdmmirrupdatepacket` (vdmmirr(7), DGVDMUPDATEATTRIBUTES). */
export interface DgVdmMirrUpdatePacket {
  version: number
  automaticsync: number
  minimumimagesrequiredtouse: number
  maximumimagesmissingtouse: number
  millisecondsbetweensyncio: number
}

/** `struct dgvdmmirrsyncimagespacket` (vdmmirr(7), DGVDMMIRRSYNCIMAGES). */
export interface DgVdmMirrSyncImagesPacket {
  version: number
  millisecondsbetweensyncio: number
  sourceimage: Devt
  numberofdestinations: number
  destimages: Devt[]
}

/** `struct dgvdmmirrterminatesyncpacket` (vdmmirr(7), DGVDMMIRRTERMINATESYNC). */
export interface DgVdmMirrTerminateSyncPacket {
  version: number
  destimage: Devt
}

/** `struct dgvdmmirrthrottlesyncpacket` (vdmmirr(7), DGVDMMIRRTHROTTLESYNC). */
export interface DgVdmMirrThrottleSyncPacket {
  version: number
  millisecondsbetweensyncio: number
  destimage: Devt
}

/** `struct dgvdmmirrfractureimagepacket` (vdmmirr(7), DGVDMMIRRFRACTUREIMAGE). */
export interface DgVdmMirrFractureImagePacket {
  version: number
  /** Width in blocks of the groups whose changes are monitored; 0: none. */
  changegranularity: number
  imagedevicenumber: Devt
}

/** `dsk(7)` DSKIOCGET: the size of the instance. */
export interface DskGetPacket {
  /** Size in 512-byte blocks (output). */
  totalblocks: number
}

/** `dsk(7)` DSKIOCUSAGE: use statistics (all output). */
export interface DskUsagePacket {
  reads: number
  writes: number
  blocksread: number
  blockswritten: number
}

const V = DGVDMMIRRIOCTLPACKETVERSION0
const IMAGES = { devtArray: DGVDMMIRRMAXIMAGES, countField: 'numberofimages' } as const
const DESTS = { devtArray: DGVDMMIRRMAXIMAGES - 1, countField: 'numberofdestinations' } as const

/** The layouts the Mirror Subdriver checks its packets against. */
export const MIRR_LAYOUTS = {
  create: {
    name: 'dgvdmmirrcreatepacket',
    version: V,
    fields: {
      version: 'version',
      automaticsync: 'bit',
      minimumimagesrequiredtouse: 'short',
      maximumimagesmissingtouse: 'short',
      millisecondsbetweensyncio: 'uint',
      numberofimages: 'ushort',
      imagedevicenumbers: IMAGES,
    },
  },
  getchild: {
    name: 'dgvdmmirrgetchildpacket',
    version: V,
    fields: {
      version: 'version',
      corrupt: 'bit',
      syncsource: 'bit',
      syncdest: 'bit',
      fractured: 'bit',
      syncblock: 'daddr',
      changegranularity: 'uint',
      sourceimage: 'devt',
    },
    output: [
      'corrupt',
      'syncsource',
      'syncdest',
      'fractured',
      'syncblock',
      'changegranularity',
      'sourceimage',
    ],
  },
  get: {
    name: 'dgvdmmirrgetpacket',
    version: V,
    fields: {
      version: 'version',
      automaticsync: 'bit',
      syncinprogress: 'bit',
      minimumimagesrequiredtouse: 'short',
      maximumimagesmissingtouse: 'short',
      millisecondsbetweensyncio: 'uint',
    },
    output: [
      'automaticsync',
      'syncinprogress',
      'minimumimagesrequiredtouse',
      'maximumimagesmissingtouse',
      'millisecondsbetweensyncio',
    ],
  },
  update: {
    name: 'dgvdmmirrupdatepacket',
    version: V,
    fields: {
      version: 'version',
      automaticsync: 'bit',
      minimumimagesrequiredtouse: 'short',
      maximumimagesmissingtouse: 'short',
      millisecondsbetweensyncio: 'uint',
    },
  },
  syncimages: {
    name: 'dgvdmmirrsyncimagespacket',
    version: V,
    fields: {
      version: 'version',
      millisecondsbetweensyncio: 'uint',
      sourceimage: 'devt',
      numberofdestinations: 'ushort',
      destimages: DESTS,
    },
  },
  terminatesync: {
    name: 'dgvdmmirrterminatesyncpacket',
    version: V,
    fields: { version: 'version', destimage: 'devt' },
  },
  throttlesync: {
    name: 'dgvdmmirrthrottlesyncpacket',
    version: V,
    fields: { version: 'version', millisecondsbetweensyncio: 'uint', destimage: 'devt' },
  },
  fractureimage: {
    name: 'dgvdmmirrfractureimagepacket',
    version: V,
    fields: { version: 'version', changegranularity: 'uint', imagedevicenumber: 'devt' },
  },
} as const satisfies Record<string, PacketLayout>

/** The packet type of each layout name. */
export interface MirrPacketTypes {
  create: DgVdmMirrCreatePacket
  getchild: DgVdmMirrGetChildPacket
  get: DgVdmMirrGetPacket
  update: DgVdmMirrUpdatePacket
  syncimages: DgVdmMirrSyncImagesPacket
  terminatesync: DgVdmMirrTerminateSyncPacket
  throttlesync: DgVdmMirrThrottleSyncPacket
  fractureimage: DgVdmMirrFractureImagePacket
}

/** A zeroed packet of every field in `layout`, with its version set. */
export function zeroedPacket(layout: PacketLayout): Record<string, unknown> {
  const packet: Record<string, unknown> = {}
  for (const [key, type] of Object.entries(layout.fields))
    packet[key] =
      typeof type === 'object'
        ? new Array<number>(type.devtArray).fill(0)
        : type === 'string'
          ? ''
          : type === 'pointer'
            ? null
            : 0
  packet.version = layout.version
  return packet
}

/**
 * The page's `vdmmirrinitpacket` macro: a packet with every byte zero and its version
 * set to DGVDMMIRRIOCTLPACKETVERSION0 (vdmmirr(7), EXAMPLE).
 */
export function vdmmirrinitpacket<K extends keyof MirrPacketTypes>(kind: K): MirrPacketTypes[K] {
  return zeroedPacket(MIRR_LAYOUTS[kind]) as unknown as MirrPacketTypes[K]
}
