export * from './signInPageWithTemporaryTokenSignOut';
export * from './withTemporaryTokenSignOut';
