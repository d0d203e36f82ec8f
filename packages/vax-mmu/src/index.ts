export {
  FAULT_LENGTH,
  FAULT_PTE_REFERENCE,
  FAULT_WRITE,
  MemoryManagement,
  PAGE_SHIFT,
  PTE_M,
  PTE_PFN,
  PTE_PROT_SHIFT,
  PTE_V,
} from './mmu'
export { PROTECTION_NAMES, READ_MODES, WRITE_MODES } from './protection'
