export { type Acb, type AccessMode, AstManager, type Delivery } from './ast'
