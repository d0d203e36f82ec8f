/**
 * The numbers the VDM headers define. DG/UX's own values are not in the pages we follow;
 * these are this package's, fixed so that saved packets and images stay valid.
 */

/** `devt`: a device number, `major << 18 | minor` as DG/UX builds it. */
export type Devt = number

/** The major number of every VDM instance (the instance is the minor). */
export const VDM_MAJOR = 48

/** Builds a device number from its major and minor numbers. */
export function makedev(major: number, minor: number): Devt {
  return ((major << 18) | minor) >>> 0
}

/** No device: `(devt)-1`. */
export const NODEV: Devt = 0xffffffff

/** The version every VDM framework packet carries (vdm(7)). */
export const DGVDMIOCTLPACKETVERSION0 = 0x5644_0000
/** The version every Mirror Subdriver packet carries (vdmmirr(7), STRUCTURES). */
export const DGVDMMIRRIOCTLPACKETVERSION0 = 0x4d52_0000

/** Subdriver IDs (vdm(7)): physical disks, partitions, mirrors. */
export const DGVDMPHYSSUBDRIVERID = 1
export const DGVDMPARTSUBDRIVERID = 2
/** The Mirror Subdriver's ID (vdmmirr(7), STRUCTURES). */
export const DGVDMMIRRSUBDRIVERID = 3

/** A mirror has up to three images (vdmmirr(7), DESCRIPTION). */
export const DGVDMMIRRMAXIMAGES = 3

/** VDM framework commands, issued on /dev/vdm (vdm(7)). */
export const DGVDMCREATEINSTANCE = 0x5601
export const DGVDMDELETEINSTANCE = 0x5602
export const DGVDMLINKCHILDINSTANCE = 0x5603
export const DGVDMUNLINKCHILDINSTANCE = 0x5604
export const DGVDMGETCHILDINSTANCE = 0x5605
export const DGVDMGETATTRIBUTES = 0x5606
export const DGVDMUPDATEATTRIBUTES = 0x5607
export const DGVDMIOCTLSUBDRIVER = 0x5608

/** Mirror Subdriver ioctls (vdmmirr(7), IOCTLS). */
export const DGVDMMIRRSYNCIMAGES = 0x4d01
export const DGVDMMIRRTERMINATESYNC = 0x4d02
export const DGVDMMIRRTHROTTLESYNC = 0x4d03
export const DGVDMMIRRFRACTUREIMAGE = 0x4d04

/** Disk ioctls every instance answers (dsk(7)). */
export const DSKIOCGET = 0x6401
export const DSKIOCUSAGE = 0x6402

/** Open modes for vdmphys(7). */
export const ORDONLY = 0
export const ORDWR = 2
