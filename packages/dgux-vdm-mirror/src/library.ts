/**
 * The C library routines vdmmirr(7)'s EXAMPLE calls, as vdm(7), vdmphys(7) and
 * vdmpart(7) define them: each returns a device number (NODEV on failure) or a status
 * (0, or -1), with the errno in `vdm.errno`.
 */
import {
  type Devt,
  DGVDMCREATEINSTANCE,
  DGVDMIOCTLSUBDRIVER,
  DGVDMPARTSUBDRIVERID,
  DGVDMPHYSSUBDRIVERID,
  NODEV,
} from './constants'
import type { Vdm } from './vdm'
import { vdminitpacket } from './vdm-packets'

/** vdm(7) `vdmcreateinstance`: a new instance of a subdriver, or NODEV. */
export function vdmcreateinstance(
  vdm: Vdm,
  instancename: string,
  subdriverid: number,
  attributes: object,
): Devt {
  const packet = vdminitpacket('create')
  packet.instancename = instancename
  packet.subdriverid = subdriverid
  packet.subdriverattributespacketptr = attributes
  return vdm.vdmioctl(DGVDMCREATEINSTANCE, packet) === 0 ? packet.devicenumber : NODEV
}

/** vdm(7) `vdmioctl`: a command on /dev/vdm. */
export function vdmioctl(vdm: Vdm, command: number, packet: object): number {
  return vdm.vdmioctl(command, packet)
}

/** vdm(7) `vdmioctlsubdriver`: a subdriver command through DGVDMIOCTLSUBDRIVER. */
export function vdmioctlsubdriver(
  vdm: Vdm,
  subdriverid: number,
  instance: Devt,
  command: number,
  argument: object,
): number {
  const packet = vdminitpacket('ioctlsubdriver')
  packet.subdriverid = subdriverid
  packet.instancedevicenumber = instance
  packet.command = command
  packet.argument = argument
  return vdm.vdmioctl(DGVDMIOCTLSUBDRIVER, packet)
}

/** vdmphys(7) `vdmphyscreateinstance`: an instance for a physical disk known by name. */
export function vdmphyscreateinstance(
  vdm: Vdm,
  instancename: string,
  physicaldevicename: string,
  openmode: number,
): Devt {
  const packet = vdminitpacket('phys')
  packet.physicaldevicename = physicaldevicename
  packet.openmode = openmode
  return vdmcreateinstance(vdm, instancename, DGVDMPHYSSUBDRIVERID, packet)
}

/**
 * vdmpart(7) `vdmpartcreateinstance`: `size` blocks of `child` from `startingblock`.
 * The last argument, a piece to chain after, must be NODEV (partitions of one piece).
 */
export function vdmpartcreateinstance(
  vdm: Vdm,
  instancename: string,
  startingblock: number,
  size: number,
  child: Devt,
  next: Devt,
): Devt {
  if (next !== NODEV) {
    vdm.errno = 'EINVAL'
    vdm.errorMessage = 'EINVAL: partitions of more than one piece are not supported'
    return NODEV
  }
  const packet = vdminitpacket('part')
  packet.startingblock = startingblock
  packet.size = size
  packet.childdevicenumber = child
  return vdmcreateinstance(vdm, instancename, DGVDMPARTSUBDRIVERID, packet)
}
