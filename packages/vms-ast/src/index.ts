export { ACB_LENGTH, type Acb, type AccessMode, AstManager, type Delivery } from './ast'
