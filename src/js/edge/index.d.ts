export * from './guard.js'
export * from './auth-routes.js'
export * from './stores.js'
