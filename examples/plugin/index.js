// sg-lint-plugin-acme: a worked example of an sg-lint plugin (see docs/plugins.md).
//
// One rule, acme/database-from-groups-only: security groups that guard a database, cache or search domain may admit
// traffic only from other security groups (the application tier), never from CIDR blocks, except the ones a team
// allows by option. It reads the normalized model, so it holds for CloudFormation, Terraform and CDK alike. Two presets,
// acme/recommended and acme/strict, bundle its settings with policies.
'use strict';

const { defineRule, kit } = require('sg-lint');

const databaseFromGroupsOnly = defineRule({
  meta: {
    id: 'database-from-groups-only',
    description: 'Require security groups that guard databases to admit only other security groups, not CIDR blocks',
    defaultSeverity: 'warning',
    tags: ['security', 'database', 'ingress'],
    recommended: true,
    url: 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#acmedatabase-from-groups-only',
    options: {
      allowCidrs: {
        schema: { type: 'array', items: { type: 'string', pattern: '^[0-9A-Fa-f:.]+/[0-9]{1,3}$' } },
        default: [],
        description: 'CIDR blocks that may still reach databases (a VPN, a peered VPC), such as ["10.8.0.0/16"]',
      },
    },
  },
  check(ctx) {
    const allowed = ctx.options.allowCidrs.map((c) => kit.parseCidr(c)).filter((r) => r.ok).map((r) => r.peer);
    for (const group of ctx.groups) {
      const guarded = kit.dataStoreAttachments(group);
      if (guarded.length === 0) continue;
      for (const rule of group.ingress) {
        const cidr = kit.knownCidr(rule);
        if (cidr === undefined || allowed.some((a) => kit.cidrContains(a, cidr))) continue;
        const subject = `Security group ${group.address} guards ${kit.describeAttachments(guarded)} and`;
        ctx.report({
          target: { rule, group },
          message: `${subject} admits ${kit.describeTraffic(rule)} from the CIDR block ${cidr.cidr}${kit.describeHow(kit.conditionsOf(rule, group))}: admit the application's security group instead`,
        });
      }
    }
  },
});

// Presets a configuration extends as acme/recommended or acme/strict: rule settings and policies, as a
// configuration file writes them. The configuration's own rules, overrides and policies apply after them.
const presets = {
  recommended: {
    extends: 'recommended',
    rules: { 'acme/database-from-groups-only': 'warning' },
    policies: [
      {
        id: 'acme/no-public-8080',
        message: 'Port 8080 (application servers) is never public',
        severity: 'warning',
        url: 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#presets',
        forbid: { ports: [8080], peers: 'public' },
      },
    ],
  },
  strict: {
    extends: ['strict', 'acme/recommended'],
    rules: {
      'acme/database-from-groups-only': 'error',
      'acme/no-public-8080': 'error',
    },
    policies: [
      {
        id: 'acme/owner-tag',
        message: 'Security groups carry an owner tag',
        severity: 'warning',
        url: 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md#presets',
        require: { tags: ['owner'] },
      },
    ],
  },
};

module.exports = {
  meta: { name: 'acme', version: '1.0.0', url: 'https://github.com/sg-lint/sg-lint/blob/main/examples/plugin/README.md' },
  rules: [databaseFromGroupsOnly],
  presets,
};
