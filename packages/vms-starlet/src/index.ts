export { assembleObjectWithStarlet, assembleWithStarlet, withStarlet } from './assemble'
export {
  DEFINITION_MODULES,
  type DefinitionModule,
  DVIDEF,
  IODEF,
  JPIDEF,
  LCKDEF,
  LNMDEF,
  PRDEF,
  PSLDEF,
  SSDEF,
  SYIDEF,
} from './definitions'
export { definitionMacro, serviceMacros, starletLibrary } from './library'
export { type ArgumentKind, SERVICE_ARGUMENTS, SERVICES, type ServiceArgument } from './services'
