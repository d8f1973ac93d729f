export interface Config {
  /** The development portal's sign-in page. */
  devSignIn?: {
    /**
     * Catalog user names offered on the sign-in page.
     * @visibility frontend
     */
    users?: string[];
  };
}
