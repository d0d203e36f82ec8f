import { type Devt, DGVDMIOCTLPACKETVERSION0 } from './constants'
import { zeroedPacket } from './mirror-packets'
import type { PacketLayout } from './packet'

/** DGVDMCREATEINSTANCE (vdm(7)): makes an instance of a subdriver. */
export interface DgVdmCreateInstancePacket {
  version: number
  /** The instance's name, unique among instances (at most 31 bytes). */
  instancename: string
  subdriverid: number
  /** The subdriver's own create packet. */
  subdriverattributespacketptr: object | null
  /** Output: the new instance's device number. */
  devicenumber: Devt
}

/** DGVDMDELETEINSTANCE (vdm(7)). */
export interface DgVdmDeleteInstancePacket {
  version: number
  devicenumber: Devt
}

/** DGVDMLINKCHILDINSTANCE and DGVDMUNLINKCHILDINSTANCE (vdm(7)). */
export interface DgVdmLinkChildInstancePacket {
  version: number
  parentdevicenumber: Devt
  childdevicenumber: Devt
  /** The subdriver's child packet; the mirror needs none (vdmmirr(7)). */
  childpacketptr: object | null
}

/** One child as DGVDMGETCHILDINSTANCE returns it (vdm(7) `dgvdmchildinstancepacket`). */
export interface DgVdmChildInstancePacket {
  childinstance: { devicenumberused: number; specifiervalue: { devicenumber: Devt } }
  /** The parent subdriver's role packet for the child (the mirror's dgvdmmirrgetchildpacket). */
  childrolepacketptr: object | null
}

/** DGVDMGETCHILDINSTANCE (vdm(7)): one child per call, `key` 0 to start. */
export interface DgVdmGetChildInstancePacket {
  version: number
  parentsubdriverid: number
  parentdevicenumber: Devt
  /** How many child packets the caller provides: one. */
  available: number
  /** In: 0 for the first child, else what the last call returned. Out: the key of the next. */
  key: number
  childinstancearrayptr: DgVdmChildInstancePacket | null
}

/** DGVDMGETATTRIBUTES and DGVDMUPDATEATTRIBUTES (vdm(7)). */
export interface DgVdmAttributesPacket {
  version: number
  devicenumber: Devt
  /** Output (GET): the instance's subdriver. */
  subdriverid: number
  /** Output (GET): the instance's name. */
  instancename: string
  subdriverattributespacketptr: object | null
}

/** DGVDMIOCTLSUBDRIVER (vdm(7)): a subdriver ioctl sent through /dev/vdm. */
export interface DgVdmIoctlSubdriverPacket {
  version: number
  subdriverid: number
  instancedevicenumber: Devt
  command: number
  argument: object | null
}

/** vdmphys(7) create packet: a physical disk by its name ("sd(insc(),0)"). */
export interface DgVdmPhysCreatePacket {
  version: number
  physicaldevicename: string
  openmode: number
}

/** vdmpart(7) create packet: `size` blocks of a disk from `startingblock`. */
export interface DgVdmPartCreatePacket {
  version: number
  startingblock: number
  size: number
  childdevicenumber: Devt
}

const V = DGVDMIOCTLPACKETVERSION0

/** The layouts the VDM checks its packets against. */
export const VDM_LAYOUTS = {
  create: {
    name: 'dgvdmcreateinstancepacket',
    version: V,
    fields: {
      version: 'version',
      instancename: 'string',
      subdriverid: 'uint',
      subdriverattributespacketptr: 'pointer',
      devicenumber: 'devt',
    },
    output: ['devicenumber'],
  },
  delete: {
    name: 'dgvdmdeleteinstancepacket',
    version: V,
    fields: { version: 'version', devicenumber: 'devt' },
  },
  link: {
    name: 'dgvdmlinkchildinstancepacket',
    version: V,
    fields: {
      version: 'version',
      parentdevicenumber: 'devt',
      childdevicenumber: 'devt',
      childpacketptr: 'pointer',
    },
  },
  getchild: {
    name: 'dgvdmgetchildinstancepacket',
    version: V,
    fields: {
      version: 'version',
      parentsubdriverid: 'uint',
      parentdevicenumber: 'devt',
      available: 'uint',
      key: 'uint',
      childinstancearrayptr: 'pointer',
    },
  },
  attributes: {
    name: 'dgvdmattributespacket',
    version: V,
    fields: {
      version: 'version',
      devicenumber: 'devt',
      subdriverid: 'uint',
      instancename: 'string',
      subdriverattributespacketptr: 'pointer',
    },
    output: ['subdriverid', 'instancename'],
  },
  ioctlsubdriver: {
    name: 'dgvdmioctlsubdriverpacket',
    version: V,
    fields: {
      version: 'version',
      subdriverid: 'uint',
      instancedevicenumber: 'devt',
      command: 'uint',
      argument: 'pointer',
    },
  },
  phys: {
    name: 'dgvdmphyscreatepacket',
    version: V,
    fields: { version: 'version', physicaldevicename: 'string', openmode: 'uint' },
  },
  part: {
    name: 'dgvdmpartcreatepacket',
    version: V,
    fields: {
      version: 'version',
      startingblock: 'daddr',
      size: 'daddr',
      childdevicenumber: 'devt',
    },
  },
} as const satisfies Record<string, PacketLayout>

/** The packet type of each VDM layout name. */
export interface VdmPacketTypes {
  create: DgVdmCreateInstancePacket
  delete: DgVdmDeleteInstancePacket
  link: DgVdmLinkChildInstancePacket
  getchild: DgVdmGetChildInstancePacket
  attributes: DgVdmAttributesPacket
  ioctlsubdriver: DgVdmIoctlSubdriverPacket
  phys: DgVdmPhysCreatePacket
  part: DgVdmPartCreatePacket
}

/** The `vdminitpacket` macro of vdmmirr(7)'s EXAMPLE: zeroed, version DGVDMIOCTLPACKETVERSION0. */
export function vdminitpacket<K extends keyof VdmPacketTypes>(kind: K): VdmPacketTypes[K] {
  return zeroedPacket(VDM_LAYOUTS[kind]) as unknown as VdmPacketTypes[K]
}
