import { findPersonalData } from "./utils/secrets.js";
import { reportFoundInStrings } from "./utils/strings.js";
import { defineRule } from "./types.js";

export default defineRule({
  meta: {
    id: "personal-data",
    severity: "warning",
    defaultOff: true,
    description: "Find e-mail addresses, phone numbers, payment card numbers and IBANs in the data (off by default).",
    messages: {
      found: "{{label}} in the data ({{masked}}): personal data a model can learn and repeat. Remove or pseudonymise it if it is real.",
    },
    scope: "record",
    docs: [
      "Off by default: support and CRM data often carries contact details on purpose. Turn it on with",
      "`--rule personal-data=warning` (or `error`), or in `tunelint.config.json`, when the data must be free of them",
      "(GDPR and similar rules apply to training data too).",
      "",
      "What is found, in every string of every record:",
      "",
      "- **e-mail addresses**, except the documentation domains (`example.com`, `.org`, `.net`, `.example`, `.test`, `.invalid`, `localhost`);",
      "- **phone numbers**: international (`+` country code, 10 to 15 digits in groups) or North American (`(555) 123-4567`, `555-123-4567`, `555.123.4567`), except `555-01xx` fiction numbers;",
      "- **payment card numbers**: 13 to 19 digits (groups of 4 with spaces or hyphens allowed) starting like a Visa, Mastercard, American Express, Discover, JCB or Diners number, **with a valid Luhn check digit**;",
      "- **IBANs**: a country code with its registered length and **a valid mod-97 checksum**.",
      "",
      'With the rule on, `{"messages": [{"role": "user", "content": "Refund card 4111 1111 1111 1111 please"}, ...]}` is',
      "reported at the card number, shown as `4111…(19 chars)`.",
      "",
      "Values are masked as credentials are (at most the first 4 characters, never more than a quarter of the value, and",
      "the length; an e-mail shows only its first letter and the first letter of its domain): no report ever shows one in",
      "full. The column points at the value itself.",
    ].join("\n"),
    examples: {
      good: ['{"messages": [{"role": "user", "content": "Write to support@example.com"}, {"role": "assistant", "content": "Done."}]}'],
    },
    since: "0.2.0",
  },
  // Safe on the Latin-1 view: every pattern (and its look-arounds) is made of ASCII classes without the i or u flags,
  // which match neither a non-ASCII character nor a byte of one, so the view finds exactly the decoded matches; any
  // match makes the engine judge the line again, decoded, where it is reported (masks and columns from decoded text).
  latin1View: "safe",
  create: () => ({
    record(ctx, report) {
      reportFoundInStrings(ctx, report, 6, findPersonalData);
    },
  }),
});
