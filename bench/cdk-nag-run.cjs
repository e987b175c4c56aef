// Runs cdk-nag's AwsSolutions pack on one CloudFormation template the way its README shows (App, CfnInclude,
// Validations.of(app).addPlugins(new AwsSolutionsChecks(app)), app.synth()) and prints, as JSON, the number
// of findings per rule id and the logical IDs each rule flagged (to the file named by the second argument; cdk-nag prints
// its own report on the console). Used by bench/run.mjs with NODE_PATH pointing at
// bench/.cache/node_modules (aws-cdk-lib, constructs and cdk-nag are installed there, never into the package).
'use strict';
const { App, Stack, Validations } = require('aws-cdk-lib');
const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
const { AwsSolutionsChecks } = require('cdk-nag');

const templateFile = process.argv[2];
const resultFile = process.argv[3];
// The stack resource limit (500) is switched off: the benchmark's larger templates model big stacks split later.
const app = new App({ context: { '@aws-cdk/core:stackResourceLimit': 0 }, outdir: require('node:path').join(require('node:os').tmpdir(), `cdk-nag-bench-${process.pid}`) });
const stack = new Stack(app, 'Bench');
new CfnInclude(stack, 'Template', { templateFile });
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: false }));
let synthError;
try {
  app.synth(); // as cdk-nag's README shows: violations make synth fail
} catch (e) {
  synthError = e; // cdk-nag 3 reports violations as a failed policy validation
}
const fs = require('node:fs');
const reportFile = require('node:path').join(app.outdir, 'validation-report.json');
const counts = {};
const flagged = {};
if (fs.existsSync(reportFile)) {
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf8'));
  for (const plugin of report.pluginReports ?? []) {
    for (const v of plugin.violations ?? []) {
      const id = String(v.ruleName ?? '');
      for (const r of v.violatingResources ?? v.violatingConstructs ?? []) {
        counts[id] = (counts[id] ?? 0) + 1;
        (flagged[id] ??= []).push(String(r.resourceLogicalId ?? r.constructPath ?? '').split('/').pop());
      }
    }
  }
} else if (synthError) {
  process.stderr.write(String(synthError && synthError.stack || synthError));
  process.exit(3);
}
if (process.env.KEEP) console.log(app.outdir); else fs.rmSync(app.outdir, { recursive: true, force: true });
fs.writeFileSync(resultFile, JSON.stringify({ counts, flagged }));
