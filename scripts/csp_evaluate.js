// Print Google's CSP Evaluator findings for a Content-Security-Policy header as JSON lines.
// Usage: node scripts/csp_evaluate.js "<policy>"  (the default and strict-CSP checks both run)
"use strict";

const { CspEvaluator, DEFAULT_CHECKS, STRICTCSP_CHECKS } = require("csp_evaluator/dist/evaluator.js");
const { CspParser } = require("csp_evaluator/dist/parser.js");
const { Severity } = require("csp_evaluator/dist/finding.js");

const severityNames = Object.fromEntries(Object.entries(Severity).map(([name, value]) => [value, name]));
const parsed = new CspParser(process.argv[2] || "").csp;
const findings = new CspEvaluator(parsed).evaluate([...DEFAULT_CHECKS, ...STRICTCSP_CHECKS]);
for (const finding of findings) {
  console.log(JSON.stringify({
    severity: severityNames[finding.severity] || String(finding.severity),
    directive: finding.directive,
    value: finding.value || "",
    description: finding.description,
  }));
}
