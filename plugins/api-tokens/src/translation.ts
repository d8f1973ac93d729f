import {
  createTranslationRef,
  TranslationFunction,
} from '@backstage/frontend-plugin-api';

/**
 * Every text the API tokens frontend shows, in English. A portal translates
 * or rewords them with `createTranslationResource` or
 * `createTranslationMessages` for this ref.
 *
 * @public
 */
export const apiTokensTranslationRef = createTranslationRef({
  id: 'plugin.api-tokens',
  messages: {
    pages: {
      settingsTab: 'API Tokens',
      admin: 'Administrator',
      adminSubtitle: 'API tokens',
      users: 'Users',
      systemSettings: 'System Settings',
      faults: 'Faults',
      lookup: 'Look up a token',
      tokens: 'Tokens',
    },
    common: {
      add: 'Add',
      cancel: 'Cancel',
      never: 'Never',
      errorWithMessage: '{{title}}: {{message}}',
    },
    expiry: {
      future: 'expires {{relative}}',
      past: 'expired {{relative}}',
    },
    notAllowed: {
      title: 'You are not allowed to manage API tokens',
      description:
        'This page is for administrators of API tokens. Ask an administrator of this portal if you need access.',
    },
    temporaryToken: {
      title: 'Temporary API Token',
      subheader: 'A token for this browser session, with your own permissions',
      loadError: 'Could not get your temporary API token',
      tryAgain: 'Try again',
      copy: 'Copy temporary API token',
      copied: 'Temporary API token copied to the clipboard',
      show: 'Show temporary API token',
      hide: 'Hide temporary API token',
      expires: 'Expires {{time}} ({{expiry}})',
      usage:
        'Send it as {{header}} to act as yourself from scripts and tools. It stops working when it expires; this page then gives you a new one.',
    },
    tokenTable: {
      loadError: 'Could not load tokens',
      loadMore: 'Load more tokens',
      hint: 'ends in …{{hint}}',
      columns: {
        name: 'Name',
        kind: 'Kind',
        created: 'Created',
        expires: 'Expires',
        lastUsed: 'Last used',
        scope: 'Scope',
        state: 'State',
        actions: 'Actions',
      },
      kinds: {
        permanent: 'Permanent',
        temporary: 'Temporary',
      },
      states: {
        active: 'Active',
        expired: 'Expired',
        revoked: 'Revoked',
      },
      rotate: 'Rotate',
      details: 'Details',
      replacedBy: 'replaced by …{{hint}}',
      replaces: 'replaces …{{hint}}',
      revoke: 'Revoke',
      revokeTitle: 'Revoke this token?',
      revokeText:
        'Revoke {{name}} (ends in …{{hint}})? Scripts and tools that use it stop working within seconds. This cannot be undone.',
    },
    inventory: {
      title: 'Every API token',
      subheader:
        'All tokens of the organisation; filter, sort, revoke or export them',
      summaryLabel: 'Token counts; pick one to filter the list',
      summaryLoadError: 'Could not load the token counts',
      cards: {
        active: 'Active',
        expiringSoon: 'Expiring in {{days}} days',
        neverUsed: 'Active, never used',
        recentlyRevoked: 'Revoked in the last {{days}} days',
      },
      filters: {
        label: 'Filters',
        state: 'State',
        kind: 'Kind',
        anyKind: 'Any kind',
        owner: 'Owner',
        ownerHelp: 'A user of the catalog: type to search',
        name: 'Name contains',
        expiresAfter: 'Expires after',
        expiresBefore: 'Expires before',
        unusedDays: 'Not used for (days)',
        neverUsed: 'never used',
        revokedSince: 'revoked since {{date}}',
        clear: 'Clear filters',
      },
      sort: {
        label: 'Sort by',
        order: 'Order',
        createdAt: 'Created',
        expiresAt: 'Expiry',
        lastUsedAt: 'Last used',
        name: 'Name',
        asc: 'Ascending',
        desc: 'Descending',
      },
      columns: {
        select: 'Select',
        owner: 'Owner',
        createdBy: 'Created by',
      },
      selectPage: 'Select every token on this page',
      selectToken: 'Select {{name}}',
      selected_one: '{{count}} token selected',
      selected_other: '{{count}} tokens selected',
      revokeSelected: 'Revoke selected',
      bulkRevokeTitle_one: 'Revoke {{count}} token?',
      bulkRevokeTitle_other: 'Revoke {{count}} tokens?',
      bulkRevokeText:
        'Revoke {{tokens}}, owned by {{owners}}? Scripts and tools that use them stop working within seconds. This cannot be undone.',
      bulkRevokeFailed:
        'Revoked {{revoked}} of {{count}}; the others failed: {{message}}',
      exportCsv: 'Export CSV',
      exporting: 'Exporting…',
      exportError: 'Could not export the tokens',
      empty: 'No token matches these filters.',
      page: 'Page {{page}}',
      previousPage: 'Previous page',
      nextPage: 'Next page',
    },
    ownTokens: {
      title: 'Your API tokens',
      empty:
        'You have no API tokens. Administrators create permanent tokens for you; your temporary token appears here once created.',
      thisSession: 'this session',
      faultsTitle: 'Expiry warnings',
      faultsSubheader: 'Raised when one of your tokens is about to expire',
      faultsLoadError: 'Could not load expiry warnings',
      faultsEmpty: 'None of your tokens is about to expire.',
    },
    faultTable: {
      loadMore: 'Load more faults',
      acknowledge: 'Acknowledge',
      acknowledgedBy: 'Acknowledged by {{user}}',
      columns: {
        token: 'Token',
        owner: 'Owner',
        expires: 'Expires',
        warning: 'Warning',
        raised: 'Raised',
        status: 'Status',
        actions: 'Actions',
      },
      warning_one: '{{count}} day before expiry',
      warning_other: '{{count}} days before expiry',
      emailUndeliverable:
        'Could not deliver the expiry email for {{tokenName}} to {{address}}',
      leaked: '{{tokenName}}: token leaked at {{url}}',
      leakedWarning: 'Leaked: revoked at once',
      status: {
        open: 'Open',
        resolved: 'Resolved',
        resolvedRevoked: 'Resolved: revoked',
        resolvedExpired: 'Resolved: expired',
      },
    },
    adminLookup: {
      title: 'Look up a token',
      subheader:
        'Paste a token value found somewhere to see whose it is and its state. The value is not kept.',
      token: 'Token value',
      submit: 'Look up',
      error: 'Could not look up the token',
      result: 'Token',
      fields: {
        name: 'Name',
        owner: 'Owner',
        kind: 'Kind',
        state: 'State',
        createdBy: 'Created by',
        createdAt: 'Created',
        expiresAt: 'Expires',
        lastUsedAt: 'Last used',
        revokedAt: 'Revoked',
        revokedBy: 'Revoked by',
        leakUrl: 'Leaked at',
      },
      state: {
        active: 'Active',
        expired: 'Expired',
        revoked: 'Revoked',
        leaked: 'Revoked: leaked',
      },
    },
    adminFaults: {
      title: 'Expiry faults',
      subheader:
        'Raised when a token is about to expire, as set in System Settings',
      runCheck: 'Run expiry check now',
      status: 'Status',
      statusAll: 'All',
      statusOpen: 'Open',
      statusResolved: 'Resolved',
      owner: 'Owner',
      ownerPlaceholder: 'jane or user:default/jane',
      loadError: 'Could not load faults',
      empty: 'No faults: no token has come close to expiring yet.',
      emptyFiltered: 'No faults match these filters.',
      checkError: 'The expiry check failed',
    },
    expiryCheck: {
      title: 'Expiry check finished',
      summary: 'Raised {{raised}}, resolved {{resolved}}.',
      newFaults_one: '{{count}} new fault',
      newFaults_other: '{{count}} new faults',
      faults_one: '{{count}} fault',
      faults_other: '{{count}} faults',
      raisedList: 'Faults raised',
      raisedFault: '{{tokenName}} ({{ownerRef}})',
      moreRaised_one: 'And {{count}} more fault, in the list of faults.',
      moreRaised_other: 'And {{count}} more faults, in the list of faults.',
      emailed: 'Emailed {{addresses}}.',
      noEmail: 'No email was sent.',
      emailFailures: 'Could not email {{addresses}}; the next run tries again:',
      addresses_one: '{{count}} address',
      addresses_other: '{{count}} addresses',
      emailFailuresList: 'Email failures',
    },
    adminSettings: {
      title: 'Expiry notifications',
      subheader:
        'Settings changed here take effect at the next expiry check and override app-config',
      tabs: 'System settings pages',
      configTab: 'Config',
      loadError: 'Could not load settings',
      empty: 'No settings yet: the defaults from app-config apply.',
      updatedBy: 'by {{user}}',
      edit: 'Edit',
      delete: 'Delete',
      deleteTitle: 'Delete this setting?',
      deleteText:
        'Delete {{setting}}? The default from app-config applies again.',
      columns: {
        type: 'Type',
        key: 'Key',
        value: 'Value',
        updated: 'Updated',
        actions: 'Actions',
      },
    },
    setting: {
      addTitle: 'Add Config',
      editTitle: 'Edit Config',
      type: 'Config Type',
      appConfig: 'App Config',
      key: 'Key',
      value: 'Value',
      valueRequired: 'Enter a value',
      submit: 'Submit',
      labels: {
        EnableUserTokenNotification: 'Enable User Token Notification',
        UserTokenExpirationNotificationEmails:
          'User Token Expiration Notification Emails',
        MaximumTokenLifetimeDays: 'Maximum Token Lifetime Days',
      },
      help: {
        EnableUserTokenNotification:
          'Days before expiry when a fault is raised, 1 to 365; several separated by semicolons, e.g. 30;7;1',
        UserTokenExpirationNotificationEmails:
          'Email addresses to notify, separated by semicolons, e.g. ops@example.com;security@example.com',
        MaximumTokenLifetimeDays:
          'The longest a permanent token may live, in days, 1 to 365; app-config may set a smaller maximum',
      },
    },
    rotateToken: {
      title: 'Rotate this token',
      intro:
        'A new token replaces {{name}} (ends in …{{hint}}), with the same name, owner and permissions. Update the secret wherever the old one is used (e.g. in CI) before the overlap ends.',
      overlap: 'Overlap',
      overlapHelp: 'How long the old token keeps working',
      overlaps: {
        '0': 'None: stop the old token now',
        '1': '1 hour',
        '4': '4 hours',
        '24': '24 hours',
        '72': '3 days',
        '168': '7 days',
      },
      submit: 'Rotate',
    },
    tokenDetails: {
      title: 'Token {{name}}',
      close: 'Close',
      replacedBy: 'Replaced by',
      replaces: 'Replaces',
      clientsTitle: 'Recent clients',
      noClients: 'No recorded use.',
      columns: {
        address: 'Address',
        userAgent: 'User agent',
        lastUsed: 'Last used',
      },
    },
    scope: {
      fullAccess: 'Full access',
      readOnly: 'read only',
      noPlugins: 'no plugins',
      permissions_one: '{{count}} permission',
      permissions_other: '{{count}} permissions',
    },
    scopeEditor: {
      title: 'Scope',
      intro:
        'What the token may do, at most. It never does more than {{userName}} may do.',
      presets: 'Scope preset',
      presetEverything: 'Everything the user can do',
      presetReadOnly: 'Read only',
      presetCatalogRead: 'Catalog read',
      presetCustom: 'Custom',
      plugins: 'Plugins',
      allPlugins: 'All plugins',
      pluginsHelp: 'The backend plugins the token may call at all',
      permissions: 'Permissions',
      allPermissions: 'All permissions',
      permissionsHelp:
        'The only permissions the token may be allowed; the policy still decides each',
      readOnly: 'Read only',
      readOnlyHelp:
        'Only permissions that read, and only GET and HEAD requests to plugins without permission checks',
    },
    scopePreview: {
      title: 'What the token will be able to do',
      caption:
        "Answered by the portal's permission policy for {{userName}}, for a token with this scope.",
      filter: 'Filter permissions',
      loadError: 'Could not preview the scope',
      tryAgain: 'Try again',
      empty: 'The installed plugins publish no permissions.',
      noMatch: 'No permissions match "{{filter}}".',
      columns: {
        permission: 'Permission',
        result: 'The token',
      },
      results: {
        ALLOW: 'can',
        DENY: 'cannot',
        CONDITIONAL: 'depends on the resource',
      },
      counts:
        '{{allowed}} can · {{denied}} cannot · {{conditional}} depend on the resource',
    },
    createToken: {
      title: 'Create a new token',
      intro:
        'A permanent API token that acts as {{userName}}, with their permissions.',
      name: 'Token Name',
      nameRequired: 'Give the token a name',
      nameHelp: 'Say where it is used, e.g. "ci-deploy" or "backup job"',
      expiry: 'Expiry date',
      invalidDate: 'Enter a valid date',
      pastDate: 'The expiry date cannot be in the past',
      lateDate:
        'Permanent tokens expire on {{date}} at the latest; choose that day or earlier',
      expiryHelp:
        'Optional. Without a date the token expires on {{date}}, the longest allowed.',
      expiryHelpNoLimit:
        'Optional. Without a date the token lasts as long as allowed.',
      limitsError: 'Could not read the token lifetime limits: {{message}}',
      submit: 'Create',
    },
    createdToken: {
      title: 'Token created',
      warning:
        'Copy this token now and store it somewhere safe. You cannot retrieve it later: it is shown only this once. If it gets lost, create a new one.',
      secret: 'Token',
      copy: 'Copy',
      copied: 'Copied to the clipboard.',
      copyFailed:
        'Could not copy automatically; select the token and copy it by hand.',
      expires: '{{name}} expires {{time}} ({{expiry}}).',
      scope: 'Scope: {{scope}}',
      scopePermissions: 'Permissions: {{permissions}}',
      done: 'Done',
      notCopied: 'You have not copied the token. Close anyway?',
      goBack: 'Go back',
      closeAnyway: 'Close anyway',
    },
    users: {
      title: 'Users',
      subheader: 'Pick a user to see and create their API tokens',
      search: 'Search users',
      loadError: 'Could not load users',
      noMatch: 'No users match "{{search}}".',
      empty: 'There are no users in the catalog.',
      count_one: '{{count}} user',
      count_other: '{{count}} users',
      previousPage: 'Previous page',
      nextPage: 'Next page',
      columns: {
        username: 'Username',
        name: 'Name',
        email: 'Email',
        entity: 'Entity',
      },
    },
    user: {
      allUsers: 'All users',
      loadError: 'Could not load the user',
      notInCatalog: '{{userRef}} is not in the catalog',
      notInCatalogText:
        'The user may have left. Their tokens no longer work, but you can still see and revoke them.',
      notAUser: '"{{userRef}}" is not a user',
      notAUserText:
        'Open a user from the list of users, or use a reference like user:default/jane.',
      tabs: 'User pages',
      tokensTab: 'Tokens',
      tokensTitle: 'Tokens',
      noTokens: '{{userName}} has no API tokens yet.',
      noTokensInState: '{{userName}} has no tokens in these states.',
      stateFilter: 'Show tokens that are',
    },
    entityTab: {
      title: 'API tokens',
      notAUser: 'API tokens belong to users; this entity is a {{kind}}.',
      notAllowed:
        'Only administrators and the user themself can see these API tokens.',
    },
  },
});

/** The translation function of {@link apiTokensTranslationRef}. */
export type ApiTokensTranslation = TranslationFunction<
  typeof apiTokensTranslationRef.T
>;
